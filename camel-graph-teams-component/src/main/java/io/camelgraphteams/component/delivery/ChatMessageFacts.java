package io.camelgraphteams.component.delivery;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What dedup and the watermark read from a chatMessage: its id, version (etag) and timestamps, and the changeType they
 * imply. Read once per message: from the decrypted body by a streaming pass over its top-level fields (no tree is
 * built), or from the tree a Graph listing already parsed.
 */
public record ChatMessageFacts(
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

    private static final JsonFactory JSON = new JsonFactory();

    /** Empty when the body is not a chatMessage (not a JSON object, or no id). */
    public static Optional<ChatMessageFacts> parse(String body) {
        if (body == null || body.isEmpty()) {
            return Optional.empty();
        }
        String id = null;
        String replyToId = null;
        String etag = null;
        String created = null;
        String modified = null;
        String deleted = null;
        String chatId = null;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                String text = value == JsonToken.VALUE_NULL ? null : parser.getText();
                switch (field) {
                    case "id" -> id = text;
                    case "replyToId" -> replyToId = text;
                    case "etag" -> etag = text;
                    case "createdDateTime" -> created = text;
                    case "lastModifiedDateTime" -> modified = text;
                    case "deletedDateTime" -> deleted = text;
                    case "chatId" -> chatId = text;
                    default -> {
                        // not needed for dedup or the watermark
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return of(id, replyToId, etag, created, modified, deleted, chatId);
    }

    /** Empty when the node is not a chatMessage (no id). */
    public static Optional<ChatMessageFacts> of(JsonNode json) {
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        return of(text(json, "id"), text(json, "replyToId"), text(json, "etag"), text(json, "createdDateTime"),
                text(json, "lastModifiedDateTime"), text(json, "deletedDateTime"), text(json, "chatId"));
    }

    private static Optional<ChatMessageFacts> of(String id, String replyToId, String etag, String created,
                                                 String modified, String deleted, String chatId) {
        if (id == null) {
            return Optional.empty();
        }
        return Optional.of(new ChatMessageFacts(id, replyToId, etag, instant(created), instant(modified),
                instant(deleted), chatId));
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

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    private static Instant instant(String text) {
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
