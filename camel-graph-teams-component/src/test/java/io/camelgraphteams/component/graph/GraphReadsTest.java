package io.camelgraphteams.component.graph;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading messages by their notification resource, and paging with @odata.nextLink. */
class GraphReadsTest extends EmulatorGraphTestSupport {

    @Test
    void chatMessageByTheResourceANotificationCarries() throws Exception {
        ChatMessage posted = emulator.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                NewMessage.text(DemoTenant.ADELE, "read me"));
        GraphClient client = client(quickRetries());

        JsonNode message = client.getMessage(posted.resourcePath());

        assertThat(posted.resourcePath()).isEqualTo("chats('" + DemoTenant.GROUP_CHAT + "')/messages('" + posted.id()
                                                     + "')");

        assertThat(message.path("id").asText()).isEqualTo(posted.id());
        assertThat(message.path("chatId").asText()).isEqualTo(DemoTenant.GROUP_CHAT);
        assertThat(message.path("body").path("content").asText()).contains("read me");
    }

    @Test
    void channelMessageAndReplyBySlashPath() throws Exception {
        ChatMessage root = emulator.teams().postChannelMessage(DemoTenant.TEAM, DemoTenant.GENERAL_CHANNEL,
                NewMessage.text(DemoTenant.ADELE, "root"));
        ChatMessage reply = emulator.teams().postReply(DemoTenant.TEAM, DemoTenant.GENERAL_CHANNEL, root.id(),
                NewMessage.text(DemoTenant.MEGAN, "reply"));
        GraphClient client = client(quickRetries());
        String messages = "/teams/" + DemoTenant.TEAM + "/channels/" + DemoTenant.GENERAL_CHANNEL + "/messages/";

        JsonNode fetchedRoot = client.getMessage(messages + root.id());
        JsonNode fetchedReply = client.getMessage("teams('" + DemoTenant.TEAM + "')/channels('"
                                                  + DemoTenant.GENERAL_CHANNEL + "')/messages('" + root.id()
                                                  + "')/replies('" + reply.id() + "')");

        assertThat(fetchedRoot.path("id").asText()).isEqualTo(root.id());
        assertThat(fetchedReply.path("id").asText()).isEqualTo(reply.id());
        assertThat(fetchedReply.path("replyToId").asText()).isEqualTo(root.id());
    }

    @Test
    void unknownMessageIsNotFound() {
        GraphClient client = client(quickRetries());

        assertThatThrownBy(() -> client.getMessage("chats('" + DemoTenant.GROUP_CHAT + "')/messages('1')"))
                .isInstanceOfSatisfying(GraphApiException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void getAllFollowsNextLinksToTheLastPage() throws Exception {
        for (int i = 0; i < 5; i++) {
            emulator.teams().postChatMessage(DemoTenant.GROUP_CHAT, NewMessage.text(DemoTenant.ADELE, "m" + i));
        }
        int expected = emulator.teams().chatMessages(DemoTenant.GROUP_CHAT).size();
        GraphClient client = client(quickRetries());

        List<JsonNode> all = client.getAll("chats/" + DemoTenant.GROUP_CHAT + "/messages?$top=2");

        assertThat(all).hasSize(expected);
        assertThat(all.stream().map(m -> m.path("id").asText()).distinct().count()).isEqualTo(expected);
        assertThat(graph.requests("GET", "/messages")).hasSize((expected + 1) / 2);
    }

    @Test
    void getTakesAnAbsoluteNextLinkOnGraphsHost() throws Exception {
        for (int i = 0; i < 3; i++) {
            emulator.teams().postChatMessage(DemoTenant.GROUP_CHAT, NewMessage.text(DemoTenant.ADELE, "p" + i));
        }
        GraphClient client = client(quickRetries());
        JsonNode first = client.get("chats/" + DemoTenant.GROUP_CHAT + "/messages?$top=1");
        String nextLink = first.path("@odata.nextLink").asText();
        assertThat(nextLink).startsWith(graph.baseUrl() + "/v1.0/");

        JsonNode second = client.get(nextLink);

        assertThat(second.path("value")).hasSize(1);
        assertThat(second.path("value").get(0).path("id").asText())
                .isNotEqualTo(first.path("value").get(0).path("id").asText());
    }

    @Test
    void linkToAnotherHostIsRefusedBeforeTheTokenLeaves() {
        GraphClient client = client(quickRetries());

        assertThatThrownBy(() -> client.get("https://collector.example.net/v1.0/chats?$skiptoken=x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Refusing to send the Graph access token to https://collector.example.net");
        assertThat(client.counters().requests()).isZero();
    }
}
