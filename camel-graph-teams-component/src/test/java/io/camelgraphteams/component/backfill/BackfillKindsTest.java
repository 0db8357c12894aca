package io.camelgraphteams.component.backfill;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_BACKFILL;
import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_NOTIFICATION;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHANNEL;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.INSTALLED_APP;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.TEAM;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_B;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each of the six resources backfills what Graph lost, with the headers a live notification has: a channel and the
 * tenant's channels by the channel's delta (replies included), a chat, the tenant's chats and the chats of an installed
 * app by the chat's messages, a user's chats by users/{id}/chats/getAllMessages. The tenant-wide resources know their
 * conversations from earlier deliveries; the others from the start.
 */
class BackfillKindsTest extends BackfillTestSupport {

    enum Kind {
        CHANNEL_MESSAGES("teams/" + TEAM + "/channels/" + CHANNEL + "/messages", true, false),
        TENANT_CHANNEL_MESSAGES("teams/getAllMessages", true, true),
        CHAT_MESSAGES("chats/" + CHAT + "/messages", false, false),
        TENANT_CHAT_MESSAGES("chats/getAllMessages", false, true),
        USER_CHAT_MESSAGES("users/" + USER_A + "/chats/getAllMessages", false, false),
        APP_INSTALLED_CHAT_MESSAGES("appCatalogs/teamsApps/" + INSTALLED_APP + "/installedToChats/getAllMessages", false,
                true);

        final String resource;
        final boolean channel;
        final boolean learnsConversations;

        Kind(String resource, boolean channel, boolean learnsConversations) {
            this.resource = resource;
            this.channel = channel;
            this.learnsConversations = learnsConversations;
        }
    }

    @BeforeAll
    static void installApp() {
        graph.emulator().teams().installApp(CHAT, INSTALLED_APP);
    }

    private static TeamsStore teams() {
        return graph.emulator().teams();
    }

    private static ChatMessage post(Kind kind, String text) {
        return kind.channel ? teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, text))
                : teams().postChatMessage(CHAT, NewMessage.text(USER_B, text));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void lostChangesAreBackfilledOnceWithTheHeadersOfALiveNotification(Kind kind) throws Exception {
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = options(port);
        if (kind == Kind.USER_CHAT_MESSAGES || kind == Kind.APP_INSTALLED_CHAT_MESSAGES) {
            options.set("model", "B");
        }
        consumer = ManagedConsumer.start(graph, port, kind.resource, options);
        ChatMessage live = post(kind, "live " + kind);
        awaitArrival(live);

        List<ChatMessage> lostChanges = lost(() -> {
            List<ChatMessage> changes = new ArrayList<>();
            ChatMessage root = post(kind, "lost " + kind);
            changes.add(root);
            if (kind.channel) {
                changes.add(teams().postReply(TEAM, CHANNEL, root.id(), NewMessage.text(USER_B, "lost reply " + kind)));
            }
            changes.add(teams().editMessage(live.id(), "edited " + kind));
            return changes;
        });
        consumer.consumer().backfillNow().get(15, TimeUnit.SECONDS);

        Exchange root = assertOnce(lostChanges.get(0), SOURCE_BACKFILL);
        assertThat(root.getMessage().getBody(String.class)).contains("lost " + kind);
        assertThat(root.getMessage().getHeader(GraphTeamsConstants.RESOURCE)).isEqualTo(lostChanges.get(0).resourcePath());
        assertThat(root.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE)).isEqualTo("created");
        assertThat(root.getMessage().getHeader(GraphTeamsConstants.SUBSCRIPTION_ID)).isEqualTo(consumer.subscriptionId());
        if (kind.channel) {
            assertThat(root.getMessage().getHeader(GraphTeamsConstants.TEAM_ID)).isEqualTo(TEAM);
            assertThat(root.getMessage().getHeader(GraphTeamsConstants.CHANNEL_ID)).isEqualTo(CHANNEL);
            assertThat(root.getMessage().getHeader(GraphTeamsConstants.CHAT_ID)).isNull();
            Exchange reply = assertOnce(lostChanges.get(1), SOURCE_BACKFILL);
            assertThat(reply.getMessage().getHeader(GraphTeamsConstants.REPLY_TO_ID)).isEqualTo(lostChanges.get(0).id());
            assertThat(reply.getMessage().getHeader(GraphTeamsConstants.RESOURCE))
                    .isEqualTo(lostChanges.get(1).resourcePath());
            assertThat(reply.getMessage().getBody(String.class)).contains("lost reply").doesNotContain("\"replies\"");
            assertThat(root.getMessage().getBody(String.class)).as("the root without its expanded replies")
                    .doesNotContain("lost reply");
        } else {
            assertThat(root.getMessage().getHeader(GraphTeamsConstants.CHAT_ID)).isEqualTo(CHAT);
            assertThat(root.getMessage().getHeader(GraphTeamsConstants.TEAM_ID)).isNull();
        }
        Exchange edit = assertOnce(lostChanges.get(lostChanges.size() - 1), SOURCE_BACKFILL);
        assertThat(edit.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE)).isEqualTo("updated");
        assertOnce(live, SOURCE_NOTIFICATION);
        assertThat(consumer.received()).hasSize(1 + lostChanges.size());
        assertNothingDoubled();
        assertThat(consumer.consumer().getBackfillStatus().conversations()).isEqualTo(1);
    }
}
