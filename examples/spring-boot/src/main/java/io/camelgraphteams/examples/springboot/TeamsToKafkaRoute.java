package io.camelgraphteams.examples.springboot;

import io.camelgraphteams.component.GraphTeamsConstants;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * Every Teams chat and channel message of the tenant → one Kafka topic. The record key is the conversation (the chat
 * id, or the channel id), so one conversation's messages stay in order on one partition. graph-teams answers Graph
 * only after the send completed: a failed send makes Graph deliver the notification again.
 */
@Component
public class TeamsToKafkaRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("graph-teams:chats/getAllMessages"
             + "?notificationUrl={{graph.public-url}}/graph/notifications"
             + "&lifecycleNotificationUrl={{graph.public-url}}/graph/lifecycle")
                .routeId("teams-to-kafka")
                .setHeader(KafkaConstants.KEY, simple("${header." + GraphTeamsConstants.CHAT_ID + "} ?: ${header."
                                                      + GraphTeamsConstants.CHANNEL_ID + "}"))
                .to("kafka:{{kafka.topic}}")
                .log("${header." + GraphTeamsConstants.CHANGE_TYPE + "} message ${header."
                     + GraphTeamsConstants.MESSAGE_ID + "} of ${header." + KafkaConstants.KEY + "} → {{kafka.topic}}");
    }
}
