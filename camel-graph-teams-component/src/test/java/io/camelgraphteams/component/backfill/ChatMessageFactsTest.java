package io.camelgraphteams.component.backfill;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The changeType a listed message is emitted with must be the one its live notification carried, or dedup cannot
 * recognise a message delivered live: created while never changed, updated after an edit or a reaction, deleted once
 * deletedDateTime is set.
 */
class ChatMessageFactsTest {

    private static ObjectNode message(String created, String modified, String deleted) {
        ObjectNode json = GraphNotifications.JSON.createObjectNode();
        json.put("id", "1700000000000");
        json.putNull("replyToId");
        json.put("etag", Long.toString(Instant.parse(modified).toEpochMilli()));
        json.put("createdDateTime", created);
        json.put("lastModifiedDateTime", modified);
        if (deleted != null) {
            json.put("deletedDateTime", deleted);
        } else {
            json.putNull("deletedDateTime");
        }
        json.putNull("lastEditedDateTime");
        json.put("chatId", "19:chat@thread.v2");
        return json;
    }

    @Test
    void aMessageNeverChangedWasCreated() {
        ChatMessageFacts facts = ChatMessageFacts.parse(message("2026-11-27T10:00:00.123Z", "2026-11-27T10:00:00.123Z",
                null)).orElseThrow();
        assertThat(facts.inferredChangeType()).isEqualTo("created");
        assertThat(facts.version())
                .isEqualTo(Long.toString(Instant.parse("2026-11-27T10:00:00.123Z").toEpochMilli()));
        assertThat(facts.changedAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00.123Z"));
        assertThat(facts.chatId()).isEqualTo("19:chat@thread.v2");
    }

    @Test
    void anEditOrAReactionMakesItUpdated() {
        // a reaction moves lastModifiedDateTime without lastEditedDateTime: Graph notifies it as updated
        ChatMessageFacts facts = ChatMessageFacts.parse(message("2026-11-27T10:00:00.123Z", "2026-11-27T10:05:00Z",
                null)).orElseThrow();
        assertThat(facts.inferredChangeType()).isEqualTo("updated");
        assertThat(facts.version()).isEqualTo(Long.toString(Instant.parse("2026-11-27T10:05:00Z").toEpochMilli()));
    }

    @Test
    void deletedDateTimeMakesItDeleted() {
        ChatMessageFacts facts = ChatMessageFacts.parse(message("2026-11-27T10:00:00Z", "2026-11-27T10:06:00Z",
                "2026-11-27T10:06:00Z")).orElseThrow();
        assertThat(facts.inferredChangeType()).isEqualTo("deleted");
    }

    @Test
    void withoutEtagTheVersionIsLastModifiedDateTime() {
        ObjectNode json = message("2026-11-27T10:00:00Z", "2026-11-27T10:00:00.000+00:00", null);
        json.remove("etag");
        ChatMessageFacts facts = ChatMessageFacts.parse(json).orElseThrow();
        assertThat(facts.version()).isEqualTo(Long.toString(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli()));
        json.remove("lastModifiedDateTime");
        assertThat(ChatMessageFacts.parse(json).orElseThrow().version()).isNull();
    }

    @Test
    void theBodyLeavesOutTheRepliesAChannelListingExpands() {
        ObjectNode json = message("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z", null);
        json.put("replies@odata.context", "https://graph.microsoft.com/v1.0/$metadata#replies");
        json.putArray("replies").addObject().put("id", "1700000000001");
        ChatMessageFacts facts = ChatMessageFacts.parse(json).orElseThrow();
        assertThat(facts.body()).doesNotContain("replies").contains("\"id\":\"1700000000000\"");
        assertThat(facts.json().has("replies")).as("the parsed message is left alone").isTrue();
    }

    @Test
    void whatIsNotAChatMessageHasNoFacts() {
        assertThat(ChatMessageFacts.parse("{\"@odata.type\":\"#Microsoft.Graph.chatMessage\"}")).isEmpty();
        assertThat(ChatMessageFacts.parse("not json")).isEmpty();
        assertThat(ChatMessageFacts.parse((String) null)).isEmpty();
    }
}
