package io.camelgraphteams.emulator.teams;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL_2;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.TEAM;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_B;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.GraphClient;
import io.camelgraphteams.emulator.support.GraphClient.Answer;

/** Graph's read API over the emulator's Teams data: GET, lists, channel delta and users/{id}/chats/getAllMessages. */
class TeamsReadApiTest {

    private static final String CHANNEL_PATH = "/teams/" + TEAM + "/channels/" + CHANNEL;
    private static EmulatorFixture f;
    private static TeamsStore teams;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(EmulatorFixture.fastTimings());
        teams = f.emulator.teams();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void getChannelMessageHasGraphsShape() {
        ChatMessage posted = teams.postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "Hello World"));

        Answer answer = f.graph.get(CHANNEL_PATH + "/messages/" + posted.id());

        assertThat(answer.status()).isEqualTo(200);
        JsonNode m = answer.json();
        assertThat(m.get("@odata.context").asText()).endsWith("/v1.0/$metadata#teams('" + TEAM + "')/channels('" + CHANNEL
                + "')/messages/$entity");
        assertThat(m.get("id").asText()).isEqualTo(posted.id());
        assertThat(m.get("etag").asText()).isEqualTo(Long.toString(Instant.parse(m.get("lastModifiedDateTime").asText())
                .toEpochMilli()));
        assertThat(m.get("messageType").asText()).isEqualTo("message");
        assertThat(m.get("body").get("content").asText()).isEqualTo("Hello World");
        assertThat(m.get("body").get("contentType").asText()).isEqualTo("text");
        assertThat(m.get("from").get("user").get("id").asText()).isEqualTo(USER_A);
        assertThat(m.get("channelIdentity").get("channelId").asText()).isEqualTo(CHANNEL);
        assertThat(m.get("replyToId").isNull()).isTrue();
        assertThat(m.get("deletedDateTime").isNull()).isTrue();
    }

    @Test
    void replyIsReadableUnderItsParent() {
        ChatMessage root = teams.postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "root"));
        ChatMessage reply = teams.postReply(TEAM, CHANNEL, root.id(), NewMessage.text(USER_B, "a reply"));

        Answer one = f.graph.get(CHANNEL_PATH + "/messages/" + root.id() + "/replies/" + reply.id());
        assertThat(one.json().get("replyToId").asText()).isEqualTo(root.id());
        assertThat(reply.resourcePath()).isEqualTo("teams('" + TEAM + "')/channels('" + CHANNEL + "')/messages('"
                + root.id() + "')/replies('" + reply.id() + "')");
        Answer list = f.graph.get(CHANNEL_PATH + "/messages/" + root.id() + "/replies");
        assertThat(list.json().get("value")).extracting(n -> n.get("id").asText()).containsExactly(reply.id());
        assertThat(f.graph.get(CHANNEL_PATH + "/messages/" + reply.id()).status()).isEqualTo(404);
    }

    @Test
    void mentionsAreListedAndTaggedInTheBody() {
        ChatMessage m = teams.postChatMessage(CHAT, NewMessage.from(USER_A).content("please look").mention(USER_B).build());

        JsonNode json = f.graph.get("/chats/" + CHAT + "/messages/" + m.id()).json();
        assertThat(json.get("mentions").get(0).get("mentioned").get("user").get("id").asText()).isEqualTo(USER_B);
        assertThat(json.get("mentions").get(0).get("mentionText").asText()).isEqualTo("Megan Bowen");
        assertThat(json.get("body").get("contentType").asText()).isEqualTo("html");
        assertThat(json.get("body").get("content").asText()).contains("<at id=\"0\">Megan Bowen</at>");
        assertThat(json.get("chatId").asText()).isEqualTo(CHAT);
    }

    @Test
    void editAndDeleteMoveLastModifiedAndEtag() {
        ChatMessage posted = teams.postChatMessage(CHAT, NewMessage.text(USER_A, "v1"));
        ChatMessage edited = teams.editMessage(posted.id(), "v2");
        ChatMessage deleted = teams.deleteMessage(posted.id());

        assertThat(edited.lastModifiedDateTime()).isAfter(posted.lastModifiedDateTime());
        assertThat(edited.etag()).isNotEqualTo(posted.etag());
        assertThat(edited.lastEditedDateTime()).isNotNull();
        JsonNode json = f.graph.get("/chats/" + CHAT + "/messages/" + posted.id()).json();
        assertThat(json.get("deletedDateTime").asText()).isEqualTo(ChatMessage.graphTime(deleted.deletedDateTime()));
        assertThat(json.get("etag").asText()).isEqualTo(deleted.etag());
    }

    @Test
    void chatMessagesListPagesWithNextLinkAndFilters() {
        String chat = teams.createChat(null, "paging", "group", List.of(USER_A, USER_B), List.of()).id();
        List<ChatMessage> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posted.add(teams.postChatMessage(chat, NewMessage.text(USER_A, "m" + i)));
        }
        List<String> seen = new ArrayList<>();
        String next = "/chats/" + chat + "/messages?$top=2";
        int pages = 0;
        while (next != null) {
            JsonNode page = f.graph.get(next).json();
            page.get("value").forEach(m -> seen.add(m.get("id").asText()));
            next = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(posted.get(4).id(), posted.get(3).id(), posted.get(2).id(), posted.get(1).id(),
                posted.get(0).id());

        String since = posted.get(2).lastModifiedDateTime().toString();
        JsonNode filtered = f.graph.get("/chats/" + chat + "/messages?$orderby=lastModifiedDateTime%20desc"
                + "&$filter=lastModifiedDateTime%20gt%20" + since).json();
        assertThat(filtered.get("value")).extracting(m -> m.get("id").asText())
                .containsExactly(posted.get(4).id(), posted.get(3).id());
    }

    @Test
    void pageSizeOver50IsBadRequest() {
        Answer answer = f.graph.get("/chats/" + CHAT + "/messages?$top=51");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("BadRequest");
    }

    @Test
    void channelDeltaPagesThenReturnsOnlyLaterChanges() {
        String path = "/teams/" + TEAM + "/channels/" + CHANNEL_2 + "/messages/delta";
        List<ChatMessage> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            posted.add(teams.postChannelMessage(TEAM, CHANNEL_2, NewMessage.text(USER_A, "d" + i)));
        }
        List<String> firstRound = new ArrayList<>();
        String deltaLink = drain(path + "?$top=2", firstRound);
        assertThat(firstRound).containsExactlyElementsOf(posted.stream().map(ChatMessage::id).toList());

        ChatMessage added = teams.postChannelMessage(TEAM, CHANNEL_2, NewMessage.text(USER_B, "later"));
        teams.editMessage(posted.get(1).id(), "d1 edited");
        List<String> secondRound = new ArrayList<>();
        String deltaLink2 = drain(deltaLink, secondRound);
        assertThat(secondRound).containsExactly(added.id(), posted.get(1).id());

        List<String> thirdRound = new ArrayList<>();
        drain(deltaLink2, thirdRound);
        assertThat(thirdRound).isEmpty();
    }

    @Test
    void channelDeltaWithLastModifiedFilterStartsThere() {
        String channel = teams.createChannel(TEAM, null, "filter").id();
        ChatMessage old = teams.postChannelMessage(TEAM, channel, NewMessage.text(USER_A, "old"));
        ChatMessage recent = teams.postChannelMessage(TEAM, channel, NewMessage.text(USER_A, "recent"));
        List<String> ids = new ArrayList<>();
        drain("/teams/" + TEAM + "/channels/" + channel + "/messages/delta?$filter=lastModifiedDateTime%20gt%20"
                + old.lastModifiedDateTime(), ids);
        assertThat(ids).containsExactly(recent.id());
    }

    @Test
    void channelDeltaWithExpandedRepliesSeesNewReplies() {
        String channel = teams.createChannel(TEAM, null, "replies").id();
        ChatMessage root = teams.postChannelMessage(TEAM, channel, NewMessage.text(USER_A, "root"));
        String base = "/teams/" + TEAM + "/channels/" + channel + "/messages/delta";
        String deltaLink = drain(base + "?$expand=replies", new ArrayList<>());
        ChatMessage reply = teams.postReply(TEAM, channel, root.id(), NewMessage.text(USER_B, "reply"));

        JsonNode page = f.graph.get(deltaLink).json();
        assertThat(page.get("value")).hasSize(1);
        assertThat(page.get("value").get(0).get("id").asText()).isEqualTo(root.id());
        assertThat(page.get("value").get(0).get("replies").get(0).get("id").asText()).isEqualTo(reply.id());
        assertThat(page.has("@odata.deltaLink")).isTrue();
    }

    @Test
    void userChatsGetAllMessagesListsChatsOfThatUserOnly() {
        String userC = teams.createUser(null, "Outsider", null).id();
        String privateChat = teams.createChat(null, "other", "oneOnOne", List.of(USER_B, userC), List.of()).id();
        ChatMessage mine = teams.postChatMessage(CHAT, NewMessage.text(USER_B, "for A and B"));
        ChatMessage notMine = teams.postChatMessage(privateChat, NewMessage.text(USER_B, "for B and C"));

        List<String> ids = new ArrayList<>();
        String next = "/users/" + USER_A + "/chats/getAllMessages?$top=1";
        while (next != null) {
            JsonNode page = f.graph.get(next).json();
            page.get("value").forEach(m -> ids.add(m.get("id").asText()));
            next = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        assertThat(ids).contains(mine.id()).doesNotContain(notMine.id());

        JsonNode filtered = f.graph.get("/users/" + USER_A + "/chats/getAllMessages?$filter=lastModifiedDateTime%20gt%20"
                + mine.lastModifiedDateTime().minusMillis(1)).json();
        assertThat(filtered.get("value")).extracting(m -> m.get("id").asText()).containsExactly(mine.id());
    }

    @Test
    void readingChannelsWithoutChannelPermissionIs403() {
        String app = "c0c0c0c0-0000-4000-8000-0000000000cc";
        f.emulator.registerApp(RegisteredApp.builder(app).secret("s").permissions(Set.of("Chat.Read.All")).build());
        GraphClient client = new GraphClient(f.emulator.graphV1Url(), f.emulator.accessToken(app));
        Answer answer = client.get(CHANNEL_PATH + "/messages");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorMessage()).startsWith("Missing role permissions on the request.");
        assertThat(client.get("/chats/" + CHAT + "/messages").status()).isEqualTo(200);
    }

    /** Follows nextLinks, collecting ids; returns the deltaLink. */
    private static String drain(String first, List<String> ids) {
        String next = first;
        while (true) {
            Answer answer = f.graph.get(next);
            assertThat(answer.status()).as("%s", answer.json()).isEqualTo(200);
            answer.json().get("value").forEach(m -> ids.add(m.get("id").asText()));
            if (answer.json().has("@odata.deltaLink")) {
                assertThat(answer.json().has("@odata.nextLink")).isFalse();
                return answer.json().get("@odata.deltaLink").asText();
            }
            next = answer.json().get("@odata.nextLink").asText();
        }
    }
}
