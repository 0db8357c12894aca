package io.camelgraphteams.component.delivery;

import java.util.Optional;

import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.resource.NotifiedResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedup key: namespace, conversation, message id, changeType and version. A backfilled message (located from its
 * listing) and its live notification (located from the notification's resource) get the same key.
 */
class DedupKeysTest {

    private static final String NS = "graph-teams.chat-messages.0123456789ab";

    @Test
    void keyIsNamespaceConversationMessageChangeTypeAndVersion() {
        NotifiedResource message = new NotifiedResource(null, null, "19:Chat@thread.v2", "1700000000000", null);
        assertThat(DedupKeys.of(NS, message, "updated", "1700000005000"))
                .isEqualTo(NS + "|19:chat@thread.v2|1700000000000|updated|1700000005000");
    }

    @Test
    void aReplyIsKeyedUnderItsParentInItsChannel() {
        NotifiedResource reply = NotifiedResource.parse(
                "teams('T-1')/channels('19:c@thread.tacv2')/messages('100')/replies('200')").orElseThrow();
        assertThat(DedupKeys.of(NS, reply, "created", "200"))
                .isEqualTo(NS + "|t-1/19:c@thread.tacv2|100/200|created|200");
    }

    @Test
    void theLiveAndTheBackfilledCopyOfAChangeHaveOneKey() {
        NotifiedResource live = NotifiedResource.parse("chats('19:a@thread.v2')/messages('1700000000000')").orElseThrow();
        NotifiedResource listed = new NotifiedResource(null, null, "19:a@thread.v2", "1700000000000", null);
        assertThat(DedupKeys.of(NS, listed, "created", "1700000000000"))
                .isEqualTo(DedupKeys.of(NS, live, "created", "1700000000000"));
        // the slash spelling of the resource names the same message
        NotifiedResource slashes = NotifiedResource.parse("/chats/19:a@thread.v2/messages/1700000000000").orElseThrow();
        assertThat(DedupKeys.of(NS, slashes, "created", "1700000000000"))
                .isEqualTo(DedupKeys.of(NS, live, "created", "1700000000000"));
        // and the resource the backfill writes in its header is the notification's own
        assertThat(listed.toResourcePath()).isEqualTo("chats('19:a@thread.v2')/messages('1700000000000')");
    }

    @Test
    void eachChangeOfOneMessageHasItsOwnKey() {
        NotifiedResource m = new NotifiedResource(null, null, "19:a@thread.v2", "1", null);
        assertThat(DedupKeys.of(NS, m, "created", "1")).isNotEqualTo(DedupKeys.of(NS, m, "updated", "2"))
                .isNotEqualTo(DedupKeys.of(NS, m, "updated", "1"));
        assertThat(DedupKeys.of(NS, m, "updated", "2")).isNotEqualTo(DedupKeys.of(NS, m, "updated", "3"));
        assertThat(DedupKeys.of("graph-teams.other.000000000000", m, "created", "1"))
                .isNotEqualTo(DedupKeys.of(NS, m, "created", "1"));
    }

    @Test
    void withoutVersionThereIsNoKey() {
        NotifiedResource m = new NotifiedResource(null, null, "19:a@thread.v2", "1", null);
        assertThat(DedupKeys.of(NS, m, "created", null)).isNull();
        assertThat(DedupKeys.of(NS, m, null, "1")).isNull();
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
