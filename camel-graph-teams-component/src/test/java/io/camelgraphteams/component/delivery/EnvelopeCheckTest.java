package io.camelgraphteams.component.delivery;

import java.util.Set;

import io.camelgraphteams.component.resource.NotifiedResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The unsigned envelope against the content it carries: every rule that makes an edited replay a dropped item. */
class EnvelopeCheckTest {

    private static final Set<String> ALL = Set.of("created", "updated", "deleted");
    private static final String CHAT = "19:chat@thread.v2";

    private static ChatMessageFacts chatMessage(String id, String extra) {
        return ChatMessageFacts.parse("{\"id\":\"" + id + "\",\"etag\":\"1\",\"chatId\":\"" + CHAT + "\","
                                      + "\"lastModifiedDateTime\":\"2026-12-06T10:00:00Z\"" + extra + "}").orElseThrow();
    }

    private static ChatMessageFacts channelMessage(String id, String replyToId) {
        return ChatMessageFacts.parse("{\"id\":\"" + id + "\",\"etag\":\"1\",\"replyToId\":"
                                      + (replyToId == null ? "null" : "\"" + replyToId + "\"")
                                      + ",\"channelIdentity\":{\"teamId\":\"t1\",\"channelId\":\"19:c@thread.tacv2\"}}")
                .orElseThrow();
    }

    private static NotifiedResource resource(String path) {
        return NotifiedResource.parse(path).orElseThrow();
    }

    @Test
    void anEnvelopeThatAgreesPasses() {
        assertThat(EnvelopeCheck.mismatch(resource("chats('" + CHAT + "')/messages('1')"), chatMessage("1", ""),
                "created", ALL, false)).isNull();
        assertThat(EnvelopeCheck.mismatch(resource("teams('t1')/channels('19:c@thread.tacv2')/messages('1')/replies('2')"),
                channelMessage("2", "1"), "updated", ALL, false)).isNull();
    }

    @Test
    void anotherMessageIdIsAMismatch() {
        assertThat(EnvelopeCheck.mismatch(resource("chats('" + CHAT + "')/messages('2')"), chatMessage("1", ""),
                "created", ALL, false)).contains("message 2", "message 1");
    }

    @Test
    void anotherChatOrChannelOrReplyParentIsAMismatch() {
        assertThat(EnvelopeCheck.mismatch(resource("chats('19:other@thread.v2')/messages('1')"), chatMessage("1", ""),
                "created", ALL, false)).contains("chat");
        assertThat(EnvelopeCheck.mismatch(resource("teams('t2')/channels('19:c@thread.tacv2')/messages('1')"),
                channelMessage("1", null), "created", ALL, false)).contains("channel");
        assertThat(EnvelopeCheck.mismatch(resource("teams('t1')/channels('19:c@thread.tacv2')/messages('9')/replies('2')"),
                channelMessage("2", "1"), "created", ALL, false)).contains("reply parent");
    }

    @Test
    void aChangeTypeNotSubscribedOrADeletionOfAMessageNotDeletedIsAMismatch() {
        NotifiedResource envelope = resource("chats('" + CHAT + "')/messages('1')");
        assertThat(EnvelopeCheck.mismatch(envelope, chatMessage("1", ""), "updated", Set.of("created"), false))
                .contains("not one the subscription asks for");
        assertThat(EnvelopeCheck.mismatch(envelope, chatMessage("1", ""), "deleted", ALL, false))
                .contains("not deleted");
        assertThat(EnvelopeCheck.mismatch(envelope,
                chatMessage("1", ",\"deletedDateTime\":\"2026-12-06T10:01:00Z\""), "created", ALL, false))
                .contains("is deleted");
        // a soft delete may come as an update
        assertThat(EnvelopeCheck.mismatch(envelope,
                chatMessage("1", ",\"deletedDateTime\":\"2026-12-06T10:01:00Z\""), "updated", ALL, false)).isNull();
    }

    @Test
    void contentWithoutAVersionIsRefused() {
        ChatMessageFacts versionless = ChatMessageFacts.parse("{\"id\":\"1\",\"chatId\":\"" + CHAT + "\"}")
                .orElseThrow();
        assertThat(EnvelopeCheck.mismatch(resource("chats('" + CHAT + "')/messages('1')"), versionless, "created",
                ALL, false)).contains("no etag");
    }

    @Test
    void graphsCurrentCopyMayBeLaterThanTheNotifiedChange() {
        // fetched after the notification: deleted since, the created notification still holds
        assertThat(EnvelopeCheck.mismatch(resource("chats('" + CHAT + "')/messages('1')"),
                chatMessage("1", ",\"deletedDateTime\":\"2026-12-06T10:01:00Z\""), "created", ALL, true)).isNull();
    }

    @Test
    void contentWhoseIdsHoldControlCharactersIsRefused() {
        String reason = EnvelopeCheck.mismatch(resource("chats('" + CHAT + "')/messages('2')"),
                chatMessage("1\\r\\nFORGED", ""), "created", ALL, false);
        assertThat(reason).startsWith("the content's ids hold control characters: ").doesNotContain("\r", "\n");
    }
}
