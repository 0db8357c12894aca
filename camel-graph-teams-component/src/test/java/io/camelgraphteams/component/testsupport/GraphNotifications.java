package io.camelgraphteams.component.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.crypto.EncryptedContent;

/**
 * Builds notification batches in Graph's payload shape, the way Graph would POST them.
 */
public final class GraphNotifications {

    public static final ObjectMapper JSON = new ObjectMapper();

    private GraphNotifications() {
    }

    /** A chatMessage JSON of about {@code bodySize} characters, shaped like Graph's GET answer. */
    public static String chatMessage(String chatId, String messageId, String text) {
        ObjectNode message = JSON.createObjectNode();
        message.put("id", messageId);
        message.putNull("replyToId");
        message.put("etag", messageId);
        message.put("messageType", "message");
        message.put("createdDateTime", "2026-11-27T10:00:00Z");
        message.put("lastModifiedDateTime", "2026-11-27T10:00:00Z");
        message.put("chatId", chatId);
        message.put("importance", "normal");
        ObjectNode user = message.putObject("from").putObject("user");
        user.put("id", "8b081ef6-4792-4def-b2c9-c363a1bf41d5");
        user.put("displayName", "Adele Vance");
        ObjectNode body = message.putObject("body");
        body.put("contentType", "text");
        body.put("content", text);
        message.putArray("mentions");
        return message.toString();
    }

    /** A change notification about a chat message, without resource data. */
    public static ObjectNode chatItem(String subscriptionId, String tenantId, String clientState, String chatId,
                                      String messageId) {
        String resource = "chats('" + chatId + "')/messages('" + messageId + "')";
        ObjectNode item = JSON.createObjectNode();
        item.put("subscriptionId", subscriptionId);
        item.put("changeType", "created");
        if (clientState != null) {
            item.put("clientState", clientState);
        }
        item.put("tenantId", tenantId);
        item.put("subscriptionExpirationDateTime", "2026-11-30T10:00:00.0000000+00:00");
        item.put("resource", resource);
        ObjectNode data = item.putObject("resourceData");
        data.put("id", messageId);
        data.put("@odata.type", "#Microsoft.Graph.chatMessage");
        data.put("@odata.id", resource);
        return item;
    }

    /** The same item with encryptedContent attached. */
    public static ObjectNode withEncryptedContent(ObjectNode item, EncryptedContent content) {
        item.set("encryptedContent", TestEncryption.encryptedContentNode(content));
        return item;
    }

    /** A lifecycle notification item. */
    public static ObjectNode lifecycleItem(String subscriptionId, String tenantId, String clientState, String event) {
        ObjectNode item = JSON.createObjectNode();
        item.put("subscriptionId", subscriptionId);
        item.put("lifecycleEvent", event);
        if (clientState != null) {
            item.put("clientState", clientState);
        }
        item.put("tenantId", tenantId);
        item.put("subscriptionExpirationDateTime", "2026-11-30T10:00:00.0000000+00:00");
        return item;
    }

    /** {"value":[items], "validationTokens":[tokens]} (tokens omitted when empty). */
    public static byte[] batch(List<ObjectNode> items, List<String> validationTokens) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode value = root.putArray("value");
        items.forEach(value::add);
        if (!validationTokens.isEmpty()) {
            ArrayNode tokens = root.putArray("validationTokens");
            validationTokens.forEach(tokens::add);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
