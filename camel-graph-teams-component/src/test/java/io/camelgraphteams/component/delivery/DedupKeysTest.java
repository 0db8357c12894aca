package io.camelgraphteams.component.delivery;

import java.util.Optional;

import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.resource.NotifiedResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedup key: namespace, conversation, message id and version, all read from the message itself, never from the
 * notification's envelope. A backfilled message and its live notification get the same key whatever changeType the
 * envelope claims; the key version 0.1 stored (with the changeType) is still made for the upgrade look-up.
 */
class DedupKeysTest {

    private static final String NS = "graph-teams.chat-messages.0123456789ab";

    private static ChatMessageFacts chatMessage(String id, String etag, String modified) {
        return ChatMessageFacts.parse("{\"id\":\"" + id + "\",\"etag\":" + (etag == null ? "null" : "\"" + etag + "\"")
                + ",\"chatId\":\"19:Chat@thread.v2\",\"createdDateTime\":\"2023-11-14T22:13:20Z\""
                + ",\"lastModifiedDateTime\":" + (modified == null ? "null" : "\"" + modified + "\"") + "}")
                .orElseThrow();
    }

    private static ChatMessageFacts reply(String parent, String id, String etag) {
        return ChatMessageFacts.parse("{\"id\":\"" + id + "\",\"replyToId\":\"" + parent + "\",\"etag\":\"" + etag
                + "\",\"channelIdentity\":{\"teamId\":\"T-1\",\"channelId\":\"19:c@thread.tacv2\"}}").orElseThrow();
    }

    @Test
    void keyIsNamespaceConversationMessageAndVersion() {
        ChatMessageFacts message = chatMessage("1700000000000", "1700000005000", "2023-11-14T22:13:25Z");
        assertThat(DedupKeys.of(NS, message.conversation().orElseThrow(), message))
                .isEqualTo(NS + "|19:chat@thread.v2|1700000000000|1700000005000");
    }

    @Test
    void aReplyIsKeyedUnderItsParentInItsChannel() {
        ChatMessageFacts reply = reply("100", "200", "200");
        assertThat(reply.conversation()).contains(Conversation.channel("T-1", "19:c@thread.tacv2"));
        assertThat(DedupKeys.of(NS, reply.conversation().orElseThrow(), reply))
                .isEqualTo(NS + "|t-1/19:c@thread.tacv2|100/200|200");
    }

    @Test
    void withoutEtagTheVersionIsLastModified() {
        ChatMessageFacts message = chatMessage("1", null, "2023-11-14T22:13:25Z");
        assertThat(DedupKeys.of(NS, Conversation.chat("19:a@thread.v2"), message))
                .isEqualTo(NS + "|19:a@thread.v2|1|1700000005000");
    }

    @Test
    void eachVersionOfOneMessageHasItsOwnKey() {
        Conversation chat = Conversation.chat("19:a@thread.v2");
        ChatMessageFacts first = chatMessage("1", "1", null);
        ChatMessageFacts edited = chatMessage("1", "2", null);
        assertThat(DedupKeys.of(NS, chat, first)).isNotEqualTo(DedupKeys.of(NS, chat, edited));
        assertThat(DedupKeys.of(NS, chat, first)).isEqualTo(DedupKeys.of(NS, chat, chatMessage("1", "1", null)));
        assertThat(DedupKeys.of("graph-teams.other.000000000000", chat, first))
                .isNotEqualTo(DedupKeys.of(NS, chat, first));
        assertThat(DedupKeys.of(NS, Conversation.chat("19:b@thread.v2"), first))
                .isNotEqualTo(DedupKeys.of(NS, chat, first));
    }

    @Test
    void withoutVersionOrConversationThereIsNoKey() {
        assertThat(DedupKeys.of(NS, Conversation.chat("19:a@thread.v2"), chatMessage("1", null, null))).isNull();
        assertThat(DedupKeys.of(NS, null, chatMessage("1", "1", null))).isNull();
    }

    @Test
    void theLegacyKeyHoldsTheChangeTypeAsVersionZeroPointOneStoredIt() {
        NotifiedResource live = NotifiedResource.parse("chats('19:A@thread.v2')/messages('1700000000000')").orElseThrow();
        assertThat(DedupKeys.legacy(NS, live, "created", "1700000000000"))
                .isEqualTo(NS + "|19:a@thread.v2|1700000000000|created|1700000000000");
        NotifiedResource reply = NotifiedResource.parse(
                "teams('T-1')/channels('19:c@thread.tacv2')/messages('100')/replies('200')").orElseThrow();
        assertThat(DedupKeys.legacy(NS, reply, "updated", "201"))
                .isEqualTo(NS + "|t-1/19:c@thread.tacv2|100/200|updated|201");
        // the slash spelling of the resource names the same message
        NotifiedResource slashes = NotifiedResource.parse("/chats/19:A@thread.v2/messages/1700000000000").orElseThrow();
        assertThat(DedupKeys.legacy(NS, slashes, "created", "1700000000000"))
                .isEqualTo(DedupKeys.legacy(NS, live, "created", "1700000000000"));
        assertThat(DedupKeys.legacy(NS, live, null, "1")).isNull();
        assertThat(DedupKeys.legacy(NS, live, "created", null)).isNull();
    }

    @Test
    void theConversationOfAWatermarkIsTheEndpointsOwnOrTheMessages() {
        NotifiedResource inChat = new NotifiedResource(null, null, "19:A@thread.v2", "1", null);
        NotifiedResource inChannel = new NotifiedResource("t", "19:c@thread.tacv2", null, "1", null);
        // a single-resource endpoint keeps one watermark, whatever spelling Graph uses for the ids
        assertThat(Conversation.of(GraphResource.parse("chats/19:a@thread.v2/messages"), inChat))
                .contains(Conversation.chat("19:a@thread.v2"));
        assertThat(Conversation.of(GraphResource.parse("users/u-1/chats/getAllMessages"), inChat))
                .contains(Conversation.userChats("u-1"));
        assertThat(Conversation.of(GraphResource.parse("chats/getAllMessages"), inChat))
                .contains(Conversation.chat("19:A@thread.v2"));
        assertThat(Conversation.of(GraphResource.parse("teams/getAllMessages"), inChannel))
                .contains(Conversation.channel("t", "19:c@thread.tacv2"));
        assertThat(Conversation.parse(Conversation.channel("t", "19:c@thread.tacv2").key()))
                .isEqualTo(Optional.of(Conversation.channel("t", "19:c@thread.tacv2")));
        assertThat(Conversation.parse("user:u-1")).contains(Conversation.userChats("u-1"));
        assertThat(Conversation.parse("channel:t")).isEmpty();
        assertThat(Conversation.parse("team:t")).isEmpty();
    }
}
