package io.camelgraphteams.routes;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.GraphTeamsConstants;
import org.apache.camel.Body;
import org.apache.camel.Headers;

/**
 * The one-line log summary of a forwarded notification: change type, conversation, sender and the start of the text.
 * Used from the YAML routes as the bean "messageSummary".
 */
public final class MessageSummary {

    static final int TEXT_LENGTH = 60;

    private static final ObjectMapper JSON = new ObjectMapper();

    public String summarize(@Body String body, @Headers Map<String, Object> headers) {
        String changeType = String.valueOf(headers.getOrDefault(GraphTeamsConstants.CHANGE_TYPE, "?"));
        StringBuilder line = new StringBuilder(String.format("%-7s ", changeType)).append(conversation(headers));
        Object replyTo = headers.get(GraphTeamsConstants.REPLY_TO_ID);
        if (replyTo != null) {
            line.append(" (reply to ").append(replyTo).append(')');
        }
        JsonNode message = parse(body);
        if (message == null || !Boolean.TRUE.equals(headers.get(GraphTeamsConstants.RESOURCE_DATA_INCLUDED))) {
            return line.append(" | message ").append(headers.get(GraphTeamsConstants.MESSAGE_ID))
                    .append(" (no resource data)").toString();
        }
        String sender = message.path("from").path("user").path("displayName").asText("");
        if (sender.isEmpty()) {
            sender = message.path("from").path("application").path("displayName").asText("(unknown sender)");
        }
        line.append(" | ").append(sender).append(" | ");
        if (!message.path("deletedDateTime").isMissingNode() && !message.path("deletedDateTime").isNull()) {
            return line.append("(deleted)").toString();
        }
        return line.append(shorten(plainText(message.path("body").path("content").asText("")))).toString();
    }

    private static String conversation(Map<String, Object> headers) {
        Object chat = headers.get(GraphTeamsConstants.CHAT_ID);
        if (chat != null) {
            return "chat " + chat;
        }
        Object channel = headers.get(GraphTeamsConstants.CHANNEL_ID);
        return channel != null ? "channel " + channel : "?";
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Teams message bodies are HTML: mentions as @name, drop the tags, decode the common entities, collapse spaces. */
    static String plainText(String html) {
        return html.replaceAll("<at\\b[^>]*>\\s*", " @").replaceAll("<[^>]*>", " ")
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&")
                .replaceAll("\\s+", " ").trim();
    }

    static String shorten(String text) {
        return text.length() <= TEXT_LENGTH ? text : text.substring(0, TEXT_LENGTH - 1) + "…";
    }
}
