package io.camelgraphteams.component.notification;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.crypto.EncryptedContent;

/**
 * Parses a notification batch strictly, in one streaming pass that builds the items as it goes: anything but the
 * documented shape is refused, and no tree of the whole body is ever built, so a hostile body costs at most what its
 * first {@value #MAX_ITEMS} items cost. Jackson's read constraints bound the document's length, its tokens, nesting,
 * numbers and strings before anything is kept.
 */
public final class NotificationBatchParser {

    // Graph's payloads are shallow; a deep or huge-number document is an attack on the parser, not a notification
    private static final int MAX_NESTING_DEPTH = 32;
    private static final int MAX_NUMBER_LENGTH = 64;
    private static final int MAX_ITEMS = 10_000;
    // a genuine item is about 30 tokens; resourceData and unknown fields may add some
    private static final long MAX_TOKENS_PER_ITEM = 200;
    // Graph sends one token per app and tenant of the batch
    private static final int MAX_TOKENS = 100;

    private final ObjectMapper mapper;

    public NotificationBatchParser(long maxBodySize) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, Math.max(1024, maxBodySize)))
                        .maxDocumentLength(Math.max(1024, maxBodySize))
                        .maxTokenCount(MAX_ITEMS * MAX_TOKENS_PER_ITEM)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    public NotificationBatch parse(byte[] body) throws MalformedBatchException {
        List<ChangeNotification> items = null;
        List<String> tokens = List.of();
        boolean tokensNull = false;
        try (JsonParser parser = mapper.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedBatchException("empty body");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedBatchException("body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("value".equals(field)) {
                    items = parseItems(parser, body, value);
                } else if ("validationTokens".equals(field)) {
                    tokensNull = value == JsonToken.VALUE_NULL;
                    tokens = parseTokens(parser, value);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new MalformedBatchException("trailing content after the JSON document");
            }
        } catch (IOException e) {
            throw new MalformedBatchException("body is not valid JSON");
        }
        if (items == null) {
            throw new MalformedBatchException("'value' must be an array of notifications");
        }
        return new NotificationBatch(items, tokens, tokensNull);
    }

    private List<ChangeNotification> parseItems(JsonParser parser, byte[] body, JsonToken start)
            throws IOException, MalformedBatchException {
        if (start != JsonToken.START_ARRAY) {
            throw new MalformedBatchException("'value' must be an array of notifications");
        }
        List<ChangeNotification> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (items.size() == MAX_ITEMS) {
                throw new MalformedBatchException("more than " + MAX_ITEMS + " notifications in one batch");
            }
            items.add(parseItem(parser, body, token, items.size()));
        }
        return items;
    }

    private static List<String> parseTokens(JsonParser parser, JsonToken start)
            throws IOException, MalformedBatchException {
        if (start == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (start != JsonToken.START_ARRAY) {
            throw new MalformedBatchException("'validationTokens' must be an array of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.VALUE_STRING) {
                throw new MalformedBatchException("'validationTokens' must be an array of strings");
            }
            if (result.size() == MAX_TOKENS) {
                throw new MalformedBatchException("more than " + MAX_TOKENS + " validationTokens in one batch");
            }
            result.add(parser.getText());
        }
        return List.copyOf(result);
    }

    private ChangeNotification parseItem(JsonParser parser, byte[] body, JsonToken start, int index)
            throws IOException, MalformedBatchException {
        if (start != JsonToken.START_OBJECT) {
            throw new MalformedBatchException("value[" + index + "] is not an object");
        }
        long from = parser.currentTokenLocation().getByteOffset();
        String changeType = null;
        String lifecycleEvent = null;
        String subscriptionId = null;
        String clientState = null;
        String tenantId = null;
        String resource = null;
        String expiration = null;
        JsonNode resourceData = null;
        EncryptedContent encryptedContent = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "changeType" -> changeType = text(parser, value, field, index);
                case "lifecycleEvent" -> lifecycleEvent = text(parser, value, field, index);
                case "subscriptionId" -> subscriptionId = text(parser, value, field, index);
                case "clientState" -> clientState = text(parser, value, field, index);
                case "tenantId" -> tenantId = text(parser, value, field, index);
                case "resource" -> resource = text(parser, value, field, index);
                case "subscriptionExpirationDateTime" -> expiration = text(parser, value, field, index);
                case "resourceData" -> resourceData = resourceData(parser, value, index);
                case "encryptedContent" -> encryptedContent = encryptedContent(parser, value, index);
                default -> parser.skipChildren();
            }
        }
        long to = parser.currentTokenLocation().getByteOffset() + 1;
        if ((changeType == null) == (lifecycleEvent == null)) {
            throw new MalformedBatchException("value[" + index + "] must have exactly one of changeType and lifecycleEvent");
        }
        if (subscriptionId == null) {
            throw new MalformedBatchException("value[" + index + "] has no subscriptionId");
        }
        if (changeType != null && resource == null) {
            throw new MalformedBatchException("value[" + index + "] has no resource");
        }
        // only a lifecycle event is ever forwarded as it came: only its tree is built, from its own bytes
        JsonNode raw = lifecycleEvent != null ? mapper.readTree(body, (int) from, (int) (to - from)) : null;
        return new ChangeNotification(subscriptionId, changeType, lifecycleEvent, clientState, tenantId, resource,
                expiration, resourceData, encryptedContent, raw);
    }

    private JsonNode resourceData(JsonParser parser, JsonToken value, int index)
            throws IOException, MalformedBatchException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new MalformedBatchException("value[" + index + "].resourceData is not an object");
        }
        return mapper.readTree(parser);
    }

    private static EncryptedContent encryptedContent(JsonParser parser, JsonToken value, int index)
            throws IOException, MalformedBatchException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        String where = "value[" + index + "].encryptedContent";
        if (value != JsonToken.START_OBJECT) {
            throw new MalformedBatchException(where + " is not an object");
        }
        String data = null;
        String dataKey = null;
        String dataSignature = null;
        String certificateId = null;
        String thumbprint = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
                throw new MalformedBatchException(where + "." + field + " is not a string");
            }
            String text = token == JsonToken.VALUE_NULL ? null : parser.getText();
            switch (field) {
                case "data" -> data = text;
                case "dataKey" -> dataKey = text;
                case "dataSignature" -> dataSignature = text;
                case "encryptionCertificateId" -> certificateId = text;
                case "encryptionCertificateThumbprint" -> thumbprint = text;
                default -> {
                    // other string fields are allowed and ignored
                }
            }
        }
        if (data == null || dataKey == null || dataSignature == null || certificateId == null) {
            throw new MalformedBatchException(where + " needs data, dataKey, dataSignature and encryptionCertificateId");
        }
        return new EncryptedContent(data, dataKey, dataSignature, certificateId, thumbprint);
    }

    private static String text(JsonParser parser, JsonToken value, String field, int index)
            throws IOException, MalformedBatchException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new MalformedBatchException("value[" + index + "]." + field + " is not a string");
        }
        return parser.getText();
    }
}
