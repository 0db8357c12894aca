package io.camelgraphteams.component.backfill;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What dedup and backfill read from a chatMessage's JSON (as Graph returns it, or as a notification carries it): its
 * id, version (etag) and timestamps, and the changeType they imply.
 *
 * @param json the message as parsed (for a listed channel message possibly with its {@code replies})
 */
public record ChatMessageFacts(
        JsonNode json,
        String id,
        String replyToId,
        String etag,
        Instant createdDateTime,
        Instant lastModifiedDateTime,
        Instant deletedDateTime,
        String chatId) {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Empty when the body is not a chatMessage (no id, or not JSON). */
    public static Optional<ChatMessageFacts> parse(String body) {
        if (body == null || body.isEmpty()) {
            return Optional.empty();
        }
        try {
            return parse(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Empty when the node is not a chatMessage (no id). */
    public static Optional<ChatMessageFacts> parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        String id = text(json, "id");
        if (id == null) {
            return Optional.empty();
        }
        return Optional.of(new ChatMessageFacts(json, id, text(json, "replyToId"), text(json, "etag"),
                instant(json, "createdDateTime"), instant(json, "lastModifiedDateTime"),
                instant(json, "deletedDateTime"), text(json, "chatId")));
    }

    /**
     * The version of this state of the message, part of the dedup key: the etag, or lastModifiedDateTime when Graph
     * gave none; null when neither is known (such a message cannot be deduplicated).
     */
    public String version() {
        if (etag != null) {
            return etag;
        }
        return lastModifiedDateTime != null ? Long.toString(lastModifiedDateTime.toEpochMilli()) : null;
    }

    /** When this state came about: lastModifiedDateTime, else deletedDateTime, else createdDateTime (may be null). */
    public Instant changedAt() {
        if (lastModifiedDateTime != null) {
            return lastModifiedDateTime;
        }
        return deletedDateTime != null ? deletedDateTime : createdDateTime;
    }

    /**
     * The changeType Graph's notification of this state carried: deleted when deletedDateTime is set, created while
     * lastModifiedDateTime still equals createdDateTime (never edited, reacted to or deleted), otherwise updated. A
     * backfilled message so gets the dedup key its live notification had.
     */
    public String inferredChangeType() {
        if (deletedDateTime != null) {
            return DELETED;
        }
        if (lastModifiedDateTime == null || lastModifiedDateTime.equals(createdDateTime)) {
            return CREATED;
        }
        return UPDATED;
    }

    /** The message as a notification would carry it: without the {@code replies} a channel listing expands. */
    public String body() {
        if (json.has("replies") || json.has("replies@odata.context")) {
            ObjectNode copy = ((ObjectNode) json).deepCopy();
            copy.remove("replies");
            copy.remove("replies@odata.context");
            return copy.toString();
        }
        return json.toString();
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    private static Instant instant(JsonNode json, String field) {
        String text = text(json, field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
