package io.camelgraphteams.component.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

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

    /**
     * The facts of a message, read every way: from Graph's parsed tree, and in one streaming pass from the body's
     * string and from its decrypted UTF-8 bytes.
     */
    private static Optional<ChatMessageFacts> facts(ObjectNode json) {
        Optional<ChatMessageFacts> fromTree = ChatMessageFacts.of(json);
        assertThat(ChatMessageFacts.parse(json.toString())).as("streaming the body reads what the tree holds")
                .isEqualTo(fromTree);
        assertThat(ChatMessageFacts.parse(json.toString().getBytes(StandardCharsets.UTF_8)))
                .as("streaming the decrypted bytes reads what the tree holds").isEqualTo(fromTree);
        return fromTree;
    }

    @Test
    void aMessageNeverChangedWasCreated() {
        ChatMessageFacts facts = facts(message("2026-11-27T10:00:00.123Z", "2026-11-27T10:00:00.123Z",
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
        ChatMessageFacts facts = facts(message("2026-11-27T10:00:00.123Z", "2026-11-27T10:05:00Z",
                null)).orElseThrow();
        assertThat(facts.inferredChangeType()).isEqualTo("updated");
        assertThat(facts.version()).isEqualTo(Long.toString(Instant.parse("2026-11-27T10:05:00Z").toEpochMilli()));
    }

    @Test
    void deletedDateTimeMakesItDeleted() {
        ChatMessageFacts facts = facts(message("2026-11-27T10:00:00Z", "2026-11-27T10:06:00Z",
                "2026-11-27T10:06:00Z")).orElseThrow();
        assertThat(facts.inferredChangeType()).isEqualTo("deleted");
    }

    @Test
    void withoutEtagTheVersionIsLastModifiedDateTime() {
        ObjectNode json = message("2026-11-27T10:00:00Z", "2026-11-27T10:00:00.000+00:00", null);
        json.remove("etag");
        ChatMessageFacts facts = facts(json).orElseThrow();
        assertThat(facts.version()).isEqualTo(Long.toString(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli()));
        json.remove("lastModifiedDateTime");
        assertThat(facts(json).orElseThrow().version()).isNull();
    }

    @Test
    void onlyTopLevelFieldsCountNotTheIdsOfSenderMentionsOrAttachments() {
        ObjectNode json = message("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z", null);
        json.putObject("from").putObject("user").put("id", "user-1").put("etag", "not the message's");
        json.putArray("mentions").addObject().put("id", 0).putObject("mentioned").putObject("user").put("id", "u-2");
        json.putObject("body").put("contentType", "html").put("content", "<p>\"id\": \"fake\"</p>");
        json.put("lastEditedDateTime", (String) null);

        ChatMessageFacts facts = facts(json).orElseThrow();

        assertThat(facts.id()).isEqualTo("1700000000000");
        assertThat(facts.etag()).isEqualTo(json.get("etag").asText());
    }

    @Test
    void whatIsNotAChatMessageHasNoFacts() {
        assertThat(ChatMessageFacts.parse("{\"@odata.type\":\"#Microsoft.Graph.chatMessage\"}")).isEmpty();
        assertThat(ChatMessageFacts.parse("not json")).isEmpty();
        assertThat(ChatMessageFacts.parse("[{\"id\":\"1\"}]")).as("not an object").isEmpty();
        assertThat(ChatMessageFacts.parse("{\"id\":\"1\", \"etag\": ")).as("cut short").isEmpty();
        assertThat(ChatMessageFacts.parse((String) null)).isEmpty();
        assertThat(ChatMessageFacts.parse((byte[]) null)).isEmpty();
        assertThat(ChatMessageFacts.parse("{\"id\":\"1\",\"etag\":\"\u00ff".getBytes(StandardCharsets.ISO_8859_1)))
                .as("not UTF-8").isEmpty();
        assertThat(ChatMessageFacts.of(null)).isEmpty();
    }
}
