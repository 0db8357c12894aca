package io.camelgraphteams.component.notification;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.crypto.EncryptedContent;

/**
 * Parses a notification batch strictly: anything but the documented shape is refused before any item is looked at.
 */
public final class NotificationBatchParser {

    // Graph's payloads are shallow; a deep or huge-number document is an attack on the parser, not a notification
    private static final int MAX_NESTING_DEPTH = 32;
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final int MAX_ITEMS = 10_000;
    // Graph sends one token per app and tenant of the batch
    private static final int MAX_TOKENS = 100;

    private final ObjectMapper mapper;

    public NotificationBatchParser(long maxBodySize) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, Math.max(1024, maxBodySize)))
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    public NotificationBatch parse(byte[] body) throws MalformedBatchException {
        JsonNode root;
        try (JsonParser parser = mapper.createParser(body)) {
            root = mapper.readTree(parser);
            if (root == null) {
                throw new MalformedBatchException("empty body");
            }
            if (parser.nextToken() != null) {
                throw new MalformedBatchException("trailing content after the JSON document");
            }
        } catch (IOException e) {
            throw new MalformedBatchException("body is not valid JSON");
        }
        if (!root.isObject()) {
            throw new MalformedBatchException("body is not a JSON object");
        }
        JsonNode value = root.get("value");
        if (value == null || !value.isArray()) {
            throw new MalformedBatchException("'value' must be an array of notifications");
        }
        if (value.size() > MAX_ITEMS) {
            throw new MalformedBatchException("more than " + MAX_ITEMS + " notifications in one batch");
        }
        List<ChangeNotification> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            items.add(parseItem(value.get(i), i));
        }
        return new NotificationBatch(items, parseTokens(root.get("validationTokens")));
    }

    private static List<String> parseTokens(JsonNode tokens) throws MalformedBatchException {
        if (tokens == null || tokens.isNull()) {
            return List.of();
        }
        if (!tokens.isArray()) {
            throw new MalformedBatchException("'validationTokens' must be an array of strings");
        }
        if (tokens.size() > MAX_TOKENS) {
            throw new MalformedBatchException("more than " + MAX_TOKENS + " validationTokens in one batch");
        }
        List<String> result = new ArrayList<>(tokens.size());
        for (JsonNode token : tokens) {
            if (!token.isTextual()) {
                throw new MalformedBatchException("'validationTokens' must be an array of strings");
            }
            result.add(token.textValue());
        }
        return List.copyOf(result);
    }

    private static ChangeNotification parseItem(JsonNode item, int index) throws MalformedBatchException {
        if (!item.isObject()) {
            throw new MalformedBatchException("value[" + index + "] is not an object");
        }
        String changeType = text(item, "changeType", index);
        String lifecycleEvent = text(item, "lifecycleEvent", index);
        if ((changeType == null) == (lifecycleEvent == null)) {
            throw new MalformedBatchException("value[" + index + "] must have exactly one of changeType and lifecycleEvent");
        }
        String subscriptionId = text(item, "subscriptionId", index);
        if (subscriptionId == null) {
            throw new MalformedBatchException("value[" + index + "] has no subscriptionId");
        }
        String tenantId = text(item, "tenantId", index);
        String resource = text(item, "resource", index);
        if (changeType != null && resource == null) {
            throw new MalformedBatchException("value[" + index + "] has no resource");
        }
        JsonNode resourceData = item.get("resourceData");
        if (resourceData != null && !resourceData.isNull() && !resourceData.isObject()) {
            throw new MalformedBatchException("value[" + index + "].resourceData is not an object");
        }
        return new ChangeNotification(
                subscriptionId, changeType, lifecycleEvent,
                text(item, "clientState", index), tenantId, resource,
                text(item, "subscriptionExpirationDateTime", index),
                resourceData == null || resourceData.isNull() ? null : resourceData,
                encryptedContent(item.get("encryptedContent"), index),
                item);
    }

    private static EncryptedContent encryptedContent(JsonNode node, int index) throws MalformedBatchException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new MalformedBatchException("value[" + index + "].encryptedContent is not an object");
        }
        String where = "value[" + index + "].encryptedContent";
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual() && !field.getValue().isNull()) {
                throw new MalformedBatchException(where + "." + field.getKey() + " is not a string");
            }
        }
        String data = node.path("data").textValue();
        String dataKey = node.path("dataKey").textValue();
        String dataSignature = node.path("dataSignature").textValue();
        String certificateId = node.path("encryptionCertificateId").textValue();
        if (data == null || dataKey == null || dataSignature == null || certificateId == null) {
            throw new MalformedBatchException(
                    where + " needs data, dataKey, dataSignature and encryptionCertificateId");
        }
        return new EncryptedContent(data, dataKey, dataSignature, certificateId,
                node.path("encryptionCertificateThumbprint").textValue());
    }

    private static String text(JsonNode item, String field, int index) throws MalformedBatchException {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedBatchException("value[" + index + "]." + field + " is not a string");
        }
        return node.textValue();
    }
}
