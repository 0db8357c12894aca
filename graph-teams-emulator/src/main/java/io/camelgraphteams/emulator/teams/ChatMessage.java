package io.camelgraphteams.emulator.teams;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.http.Json;

/**
 * One version of a Teams chatMessage. Immutable: an edit or delete stores a new version, so a version handed to the
 * delivery engine never changes under it.
 *
 * @param changeSequence position of this version in the emulator's global change order (drives delta tokens)
 */
public record ChatMessage(
        String id,
        String replyToId,
        String tenantId,
        String teamId,
        String channelId,
        String chatId,
        User from,
        String contentType,
        String content,
        String subject,
        String importance,
        List<User> mentions,
        Instant createdDateTime,
        Instant lastModifiedDateTime,
        Instant lastEditedDateTime,
        Instant deletedDateTime,
        long changeSequence) {

    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public ChatMessage {
        mentions = List.copyOf(mentions);
    }

    public static String graphTime(Instant instant) {
        return instant == null ? null : GRAPH_TIME.format(instant);
    }

    public boolean isChannelMessage() {
        return channelId != null;
    }

    public boolean isReply() {
        return replyToId != null;
    }

    public boolean isDeleted() {
        return deletedDateTime != null;
    }

    /** Teams' etag: the last modification time in epoch milliseconds. */
    public String etag() {
        return Long.toString(lastModifiedDateTime.toEpochMilli());
    }

    /**
     * The resource string of change notifications: teams('t')/channels('c')/messages('m'), with /replies('r') for a
     * reply, or chats('c')/messages('m').
     */
    public String resourcePath() {
        if (isChannelMessage()) {
            String root = "teams('" + teamId + "')/channels('" + channelId + "')/messages('";
            return isReply() ? root + replyToId + "')/replies('" + id + "')" : root + id + "')";
        }
        return "chats('" + chatId + "')/messages('" + id + "')";
    }

    /** The body without HTML tags, for $search. */
    public String plainText() {
        return content == null ? "" : content.replaceAll("<[^>]*>", " ");
    }

    public ChatMessage edited(String newContent, Instant at, long sequence) {
        return new ChatMessage(id, replyToId, tenantId, teamId, channelId, chatId, from, contentType, newContent, subject,
                importance, mentions, createdDateTime, at, at, null, sequence);
    }

    /** Teams keeps a deleted message with deletedDateTime set and an empty body. */
    public ChatMessage deleted(Instant at, long sequence) {
        return new ChatMessage(id, replyToId, tenantId, teamId, channelId, chatId, from, contentType, "", subject,
                importance, mentions, createdDateTime, at, lastEditedDateTime, at, sequence);
    }

    /** Graph's JSON for this message (without @odata.context and replies, which depend on how it was asked for). */
    public ObjectNode toJson() {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("replyToId", replyToId);
        m.put("etag", etag());
        m.put("messageType", "message");
        m.put("createdDateTime", graphTime(createdDateTime));
        m.put("lastModifiedDateTime", graphTime(lastModifiedDateTime));
        m.put("lastEditedDateTime", graphTime(lastEditedDateTime));
        m.put("deletedDateTime", graphTime(deletedDateTime));
        m.put("subject", subject);
        m.putNull("summary");
        m.put("chatId", chatId);
        m.put("importance", importance);
        m.put("locale", "en-us");
        m.put("webUrl", webUrl());
        m.putNull("policyViolation");
        m.putNull("eventDetail");
        ObjectNode fromNode = m.putObject("from");
        fromNode.putNull("application");
        fromNode.putNull("device");
        fromNode.set("user", identity(from));
        ObjectNode body = m.putObject("body");
        body.put("contentType", contentType);
        body.put("content", content);
        if (isChannelMessage()) {
            ObjectNode channelIdentity = m.putObject("channelIdentity");
            channelIdentity.put("teamId", teamId);
            channelIdentity.put("channelId", channelId);
        } else {
            m.putNull("channelIdentity");
        }
        m.putArray("attachments");
        ArrayNode mentionNodes = m.putArray("mentions");
        for (int i = 0; i < mentions.size(); i++) {
            User user = mentions.get(i);
            ObjectNode mention = mentionNodes.addObject();
            mention.put("id", i);
            mention.put("mentionText", user.displayName());
            ObjectNode mentioned = mention.putObject("mentioned");
            mentioned.putNull("application");
            mentioned.putNull("device");
            mentioned.putNull("conversation");
            mentioned.putNull("tag");
            mentioned.set("user", identity(user));
        }
        m.putArray("reactions");
        return m;
    }

    private static ObjectNode identity(User user) {
        ObjectNode node = Json.object();
        node.put("@odata.type", "#microsoft.graph.teamworkUserIdentity");
        node.put("id", user.id());
        node.put("displayName", user.displayName());
        node.put("userIdentityType", "aadUser");
        node.put("tenantId", user.tenantId());
        return node;
    }

    private String webUrl() {
        String created = Long.toString(createdDateTime.toEpochMilli());
        if (isChannelMessage()) {
            return "https://teams.microsoft.com/l/message/" + URLEncoder.encode(channelId, StandardCharsets.UTF_8) + "/" + id
                    + "?groupId=" + teamId + "&tenantId=" + tenantId + "&createdTime=" + created
                    + "&parentMessageId=" + (isReply() ? replyToId : id);
        }
        return "https://teams.microsoft.com/l/message/" + URLEncoder.encode(chatId, StandardCharsets.UTF_8) + "/" + id
                + "?context=%7B%22contextType%22%3A%22chat%22%7D";
    }
}
