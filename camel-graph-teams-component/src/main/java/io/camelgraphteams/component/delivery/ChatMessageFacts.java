package io.camelgraphteams.component.delivery;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.camelgraphteams.component.resource.Conversation;

/**
 * What dedup and the watermark read from a chatMessage: its id, version (etag) and timestamps, and the changeType they
 * imply. Read once per message: from the decrypted bytes by a streaming pass over their top-level fields (no tree, no
 * string of the whole body), or from the tree a Graph listing already parsed. A timestamp is parsed when first asked
 * for: a live notification needs only lastModifiedDateTime, once.
 */
public final class ChatMessageFacts {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";

    private static final JsonFactory JSON = new JsonFactory();

    private final String id;
    private final String replyToId;
    private final String etag;
    private final String chatId;
    private final String teamId;
    private final String channelId;
    private final Timestamp created;
    private final Timestamp lastModified;
    private final Timestamp deleted;

    private ChatMessageFacts(String id, String replyToId, String etag, String chatId, String teamId, String channelId,
                             String created, String lastModified, String deleted) {
        this.id = id;
        this.replyToId = replyToId;
        this.etag = etag;
        this.chatId = chatId;
        this.teamId = teamId;
        this.channelId = channelId;
        this.created = new Timestamp(created);
        this.lastModified = new Timestamp(lastModified);
        this.deleted = new Timestamp(deleted);
    }

    /** Empty when the UTF-8 body is not a chatMessage (not a JSON object, or no id). */
    public static Optional<ChatMessageFacts> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(body)) {
            return read(parser);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Empty when the body is not a chatMessage (not a JSON object, or no id). */
    public static Optional<ChatMessageFacts> parse(String body) {
        if (body == null || body.isEmpty()) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(body)) {
            return read(parser);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<ChatMessageFacts> read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return Optional.empty();
        }
        String[] values = new String[9];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT && "channelIdentity".equals(field)) {
                readChannelIdentity(parser, values);
            } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            } else {
                int slot = slot(field);
                if (slot >= 0) {
                    values[slot] = value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
            }
        }
        return of(values[0], values[1], values[2], values[3], values[7], values[8], values[4], values[5], values[6]);
    }

    /** {@code "channelIdentity": {"teamId": ..., "channelId": ...}}: where a channel message is. */
    private static void readChannelIdentity(JsonParser parser, String[] values) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            } else if ("teamId".equals(field)) {
                values[7] = value == JsonToken.VALUE_NULL ? null : parser.getText();
            } else if ("channelId".equals(field)) {
                values[8] = value == JsonToken.VALUE_NULL ? null : parser.getText();
            }
        }
    }

    /** Where a top-level field goes, or -1 for the fields dedup and the watermark do not need. */
    private static int slot(String field) {
        return switch (field) {
            case "id" -> 0;
            case "replyToId" -> 1;
            case "etag" -> 2;
            case "chatId" -> 3;
            case "createdDateTime" -> 4;
            case "lastModifiedDateTime" -> 5;
            case "deletedDateTime" -> 6;
            default -> -1;
        };
    }

    /** Empty when the node is not a chatMessage (no id). */
    public static Optional<ChatMessageFacts> of(JsonNode json) {
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        JsonNode channel = json.path("channelIdentity");
        return of(text(json, "id"), text(json, "replyToId"), text(json, "etag"), text(json, "chatId"),
                channel.isObject() ? text(channel, "teamId") : null, channel.isObject() ? text(channel, "channelId") : null,
                text(json, "createdDateTime"), text(json, "lastModifiedDateTime"), text(json, "deletedDateTime"));
    }

    private static Optional<ChatMessageFacts> of(String id, String replyToId, String etag, String chatId,
                                                 String teamId, String channelId, String created, String modified,
                                                 String deleted) {
        return id == null ? Optional.empty() : Optional.of(new ChatMessageFacts(id, replyToId, etag, chatId, teamId,
                channelId, created, modified, deleted));
    }

    public String id() {
        return id;
    }

    public String replyToId() {
        return replyToId;
    }

    public String etag() {
        return etag;
    }

    public String chatId() {
        return chatId;
    }

    /** The team of a channel message ({@code channelIdentity.teamId}); null for a chat message. */
    public String teamId() {
        return teamId;
    }

    public String channelId() {
        return channelId;
    }

    /** Where the message says it is: its channel, or its chat; empty when it names neither. */
    public Optional<Conversation> conversation() {
        if (teamId != null && channelId != null) {
            return Optional.of(Conversation.channel(teamId, channelId));
        }
        return chatId != null ? Optional.of(Conversation.chat(chatId)) : Optional.empty();
    }

    public Instant createdDateTime() {
        return created.instant();
    }

    public Instant lastModifiedDateTime() {
        return lastModified.instant();
    }

    public Instant deletedDateTime() {
        return deleted.instant();
    }

    /**
     * The version of this state of the message, part of the dedup key: the etag, or lastModifiedDateTime when Graph
     * gave none; null when neither is known (such a message cannot be deduplicated).
     */
    public String version() {
        if (etag != null) {
            return etag;
        }
        Instant modified = lastModifiedDateTime();
        return modified != null ? Long.toString(modified.toEpochMilli()) : null;
    }

    /** When this state came about: lastModifiedDateTime, else deletedDateTime, else createdDateTime (may be null). */
    public Instant changedAt() {
        Instant modified = lastModifiedDateTime();
        if (modified != null) {
            return modified;
        }
        Instant gone = deletedDateTime();
        return gone != null ? gone : createdDateTime();
    }

    /**
     * The changeType Graph's notification of this state carried: deleted when deletedDateTime is set, created while
     * lastModifiedDateTime still equals createdDateTime (never edited, reacted to or deleted), otherwise updated. A
     * backfilled message so gets the dedup key its live notification had.
     */
    public String inferredChangeType() {
        if (deletedDateTime() != null) {
            return DELETED;
        }
        Instant modified = lastModifiedDateTime();
        if (modified == null || modified.equals(createdDateTime())) {
            return CREATED;
        }
        return UPDATED;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChatMessageFacts that && Objects.equals(id, that.id)
               && Objects.equals(replyToId, that.replyToId) && Objects.equals(etag, that.etag)
               && Objects.equals(chatId, that.chatId) && Objects.equals(teamId, that.teamId)
               && Objects.equals(channelId, that.channelId) && Objects.equals(createdDateTime(), that.createdDateTime())
               && Objects.equals(lastModifiedDateTime(), that.lastModifiedDateTime())
               && Objects.equals(deletedDateTime(), that.deletedDateTime());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, replyToId, etag, chatId);
    }

    @Override
    public String toString() {
        return "ChatMessageFacts[id=" + id + ", etag=" + etag + ", lastModifiedDateTime=" + lastModified.text + "]";
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    /** A timestamp as Graph wrote it, parsed on first use (an unreadable one counts as absent). */
    private static final class Timestamp {

        private final String text;
        private volatile Instant parsed;
        private volatile boolean done;

        Timestamp(String text) {
            this.text = text == null || text.isBlank() ? null : text;
            this.done = this.text == null;
        }

        Instant instant() {
            if (!done) {
                try {
                    parsed = OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    parsed = null;
                }
                done = true;
            }
            return parsed;
        }
    }
}
