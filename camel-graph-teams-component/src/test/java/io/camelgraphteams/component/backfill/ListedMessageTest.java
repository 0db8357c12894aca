package io.camelgraphteams.component.backfill;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A listed message is routed as its notification would carry it, under the changeType its notification had. */
class ListedMessageTest {

    private static ObjectNode message(String created, String modified) {
        ObjectNode json = GraphNotifications.JSON.createObjectNode();
        json.put("id", "1700000000000");
        json.put("etag", "1700000000000");
        json.put("createdDateTime", created);
        json.put("lastModifiedDateTime", modified);
        json.put("chatId", "19:chat@thread.v2");
        return json;
    }

    @Test
    void theBodyLeavesOutTheRepliesAChannelListingExpands() {
        ObjectNode json = message("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z");
        json.put("replies@odata.context", "https://graph.microsoft.com/v1.0/$metadata#replies");
        json.putArray("replies").addObject().put("id", "1700000000001");
        ListedMessage listed = ListedMessage.of(json).orElseThrow();
        assertThat(listed.body()).doesNotContain("replies").contains("\"id\":\"1700000000000\"");
        assertThat(listed.json().has("replies")).as("the parsed message is left alone").isTrue();
    }

    @Test
    void anEditedMessageCreatedAfterTheWatermarkIsACreationForAnEndpointWithoutUpdates() {
        ListedMessage edited = ListedMessage.of(message("2026-11-27T10:00:00Z", "2026-11-27T10:05:00Z")).orElseThrow();
        Instant before = Instant.parse("2026-11-27T09:00:00Z");
        Instant after = Instant.parse("2026-11-27T10:01:00Z");

        assertThat(edited.changeType(Set.of("created", "updated"), before)).isEqualTo("updated");
        assertThat(edited.changeType(Set.of("created"), before)).as("its creation was never delivered")
                .isEqualTo("created");
        assertThat(edited.changeType(Set.of("created"), after)).as("created before the watermark: delivered then")
                .isNull();
        assertThat(edited.changeType(Set.of("deleted"), before)).isNull();
    }

    @Test
    void aReplyInAChannelIsNamedUnderItsRootMessage() {
        ObjectNode reply = message("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z");
        reply.put("replyToId", "1699999999999");
        NotifiedResource where = ListedMessage.of(reply).orElseThrow()
                .where(Conversation.channel("team-1", "19:channel@thread.tacv2"));
        assertThat(where).isEqualTo(new NotifiedResource("team-1", "19:channel@thread.tacv2", null, "1699999999999",
                "1700000000000"));
        assertThat(ListedMessage.of(message("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z")).orElseThrow()
                .where(Conversation.userChats("user-1")).chatId()).isEqualTo("19:chat@thread.v2");
    }
}
