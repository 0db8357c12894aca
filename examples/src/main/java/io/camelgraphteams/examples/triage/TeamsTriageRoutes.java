package io.camelgraphteams.examples.triage;

import io.camelgraphteams.component.GraphTeamsConstants;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Content-based routing of Teams messages: deletions → an audit file each, messages that @mention the watched user →
 * a JMS queue, everything else → Kafka keyed by conversation. Deletions are checked first: Teams keeps the mentions
 * of a deleted message, and a deletion is an audit record whoever it mentioned.
 */
public class TeamsTriageRoutes extends RouteBuilder {

    @Override
    public void configure() {
        String mentionedUserId = getContext().resolvePropertyPlaceholders("{{triage.mentioned-user-id}}");

        from("graph-teams:{{graph.resource}}")
                .routeId("teams-triage")
                .choice()
                    .when(header(GraphTeamsConstants.CHANGE_TYPE).isEqualTo("deleted"))
                        .to("direct:audit-deletion")
                    .when(new MentionsUser(mentionedUserId))
                        .to("direct:mentions")
                    .otherwise()
                        .to("direct:everything-else")
                .end();

        from("direct:audit-deletion")
                .routeId("audit-deletion")
                .process(TeamsTriageRoutes::nameAuditFile)
                .to("file:{{triage.audit-directory}}?tempPrefix=.writing-")
                .log("audit: message ${header.CamelGraphTeamsMessageId} deleted → ${header.CamelFileName}");

        from("direct:mentions")
                .routeId("mentions")
                .to("jms:queue:{{triage.mentions-queue}}")
                .log("mention of {{triage.mentioned-user-id}}: ${header.CamelGraphTeamsChangeType} message "
                     + "${header.CamelGraphTeamsMessageId} → queue {{triage.mentions-queue}}");

        from("direct:everything-else")
                .routeId("everything-else")
                .setHeader("CamelKafkaKey", simple("${header.CamelGraphTeamsChatId} ?: ${header.CamelGraphTeamsChannelId}"))
                .to("kafka:{{kafka.topic}}?brokers={{kafka.brokers}}")
                .log("${header.CamelGraphTeamsChangeType} message ${header.CamelGraphTeamsMessageId} → {{kafka.topic}}");
    }

    /**
     * One file per deletion, named after the conversation and the message: message ids are only unique within a
     * conversation, and a redelivered notification overwrites its own record instead of adding one.
     */
    static void nameAuditFile(Exchange exchange) {
        String conversation = exchange.getMessage().getHeader(GraphTeamsConstants.CHAT_ID, String.class);
        if (conversation == null) {
            conversation = exchange.getMessage().getHeader(GraphTeamsConstants.CHANNEL_ID, String.class);
        }
        String messageId = exchange.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID, String.class);
        // chat and channel ids hold ':' and '@', which not every file system takes
        String safeConversation = String.valueOf(conversation).replaceAll("[^A-Za-z0-9._-]", "_");
        exchange.getMessage().setHeader(Exchange.FILE_NAME, safeConversation + "/" + messageId + ".json");
    }
}
