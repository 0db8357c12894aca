package io.camelgraphteams.benchmarks.routes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Makes notification batches as Microsoft Graph posts them to the routes app's chats endpoint, each notification a
 * new chatMessage with its own id: message ids are {@link #FIRST_MESSAGE_ID} + a sequence number, so the Kafka topic
 * can be checked for every one exactly once, and the dedup of the graph-teams consumer never drops one.
 * <p>
 * Encryption is Graph's: the chatMessage JSON (padded to {@code itemSize} bytes) is AES-256-CBC encrypted with IV =
 * the key's first 16 bytes, HMAC-SHA256 signed with the same key, and the key travels RSA-OAEP-SHA1 wrapped for the
 * app's certificate. One difference, for the load generator's sake: Graph draws a fresh key per notification, this
 * factory cycles through a pool of {@link #KEY_POOL} keys wrapped once at start, so making an item costs ~20 us instead
 * of an RSA operation. The receiver cannot tell: it unwraps the key of every item with its private key (the expensive
 * part, ~1 ms), as it does for Graph's.
 * <p>
 * Thread-safe: every thread that calls {@link #nextBatch} gets its own ciphers.
 */
final class NotificationFactory {

    /** Message ids of generated notifications: this plus the sequence number. Graph's are epoch milliseconds. */
    static final long FIRST_MESSAGE_ID = 9_000_000_000_000L;
    static final int KEY_POOL = 64;
    private static final int CHATS = 16;
    private static final String FILLER = "Release train status: the build is green, the docs are merged, the "
                                         + "rollout starts at nine and the on-call rota is in the channel files. ";
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    /** One POST body: {@code items} notifications with message sequence numbers {@code firstSequence}... */
    record Batch(byte[] body, long firstSequence, int items) {
    }

    /** Graph's encryptedContent of one item, base64 as on the wire: the input of the raw decrypt phase. */
    record EncryptedItem(String data, String dataKey, String dataSignature) {
    }

    private record PoolKey(byte[] key, String wrapped) {
    }

    private final String subscriptionId;
    private final String tenantId;
    private final String clientState;
    private final String certificateId;
    private final String thumbprint;
    private final int itemSize;
    private final List<String> tokens;
    private final PoolKey[] keys;
    private final String[] chatIds;
    private final String expiration;
    private final AtomicLong nextSequence = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final ThreadLocal<Crypto> crypto = ThreadLocal.withInitial(Crypto::new);

    NotificationFactory(String subscriptionId, String tenantId, String clientState, X509Certificate certificate,
                        String certificateId, int itemSize, List<String> tokens) throws GeneralSecurityException {
        this.subscriptionId = subscriptionId;
        this.tenantId = tenantId;
        this.clientState = clientState;
        this.certificateId = certificateId;
        this.thumbprint = HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        this.itemSize = itemSize;
        this.tokens = List.copyOf(tokens);
        SecureRandom random = new SecureRandom();
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, certificate.getPublicKey());
        this.keys = new PoolKey[KEY_POOL];
        for (int k = 0; k < KEY_POOL; k++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            keys[k] = new PoolKey(key, Base64.getEncoder().encodeToString(rsa.doFinal(key)));
        }
        this.chatIds = new String[CHATS];
        for (int c = 0; c < CHATS; c++) {
            chatIds[c] = String.format("19:%08x-4d1c-4b5e-9a3f-0c2b7d6e5f41_bench@thread.v2", c);
        }
        this.expiration = GRAPH_TIME.format(Instant.now().plusSeconds(3 * 24 * 3600));
    }

    /** Notifications made so far (the next sequence number). */
    long made() {
        return nextSequence.get();
    }

    /** The next {@code size} notifications as one POST body, carrying one validation token (round robin). */
    Batch nextBatch(int size) {
        long first = nextSequence.getAndAdd(size);
        String token = tokens.get((int) Math.floorMod(batches.getAndIncrement(), (long) tokens.size()));
        Crypto c = crypto.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream(size * (itemSize * 4 / 3 + 1200));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("value");
            for (int i = 0; i < size; i++) {
                writeItem(json, c, first + i);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("validationTokens");
            json.writeString(token);
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Batch(out.toByteArray(), first, size);
    }

    /** {@code count} encrypted items made exactly as in batches (sequence numbers outside the batches' range). */
    List<EncryptedItem> encryptedItems(int count) {
        Crypto c = crypto.get();
        List<EncryptedItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long sequence = Long.MAX_VALUE / 2 + i;
            PoolKey key = keys[(int) (sequence % KEY_POOL)];
            String[] content = c.encrypt(chatMessage(sequence, chatIds[(int) (sequence % CHATS)]), key.key());
            items.add(new EncryptedItem(content[0], key.wrapped(), content[1]));
        }
        return items;
    }

    static String messageId(long sequence) {
        return Long.toString(FIRST_MESSAGE_ID + sequence);
    }

    /** The sequence number of a generated message id, or -1 for any other id. */
    static long sequenceOf(String messageId) {
        try {
            long sequence = Long.parseLong(messageId) - FIRST_MESSAGE_ID;
            return sequence >= 0 ? sequence : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void writeItem(JsonGenerator json, Crypto c, long sequence) throws IOException {
        String id = messageId(sequence);
        String chatId = chatIds[(int) (sequence % CHATS)];
        String resource = "chats('" + chatId + "')/messages('" + id + "')";
        PoolKey key = keys[(int) (sequence % KEY_POOL)];
        String[] content = c.encrypt(chatMessage(sequence, chatId), key.key());
        json.writeStartObject();
        json.writeStringField("subscriptionId", subscriptionId);
        json.writeStringField("changeType", "created");
        json.writeStringField("clientState", clientState);
        json.writeStringField("subscriptionExpirationDateTime", expiration);
        json.writeStringField("resource", resource);
        json.writeObjectFieldStart("resourceData");
        json.writeStringField("id", id);
        json.writeStringField("@odata.type", "#Microsoft.Graph.chatMessage");
        json.writeStringField("@odata.id", resource);
        json.writeEndObject();
        json.writeObjectFieldStart("encryptedContent");
        json.writeStringField("data", content[0]);
        json.writeStringField("dataSignature", content[1]);
        json.writeStringField("dataKey", key.wrapped());
        json.writeStringField("encryptionCertificateId", certificateId);
        json.writeStringField("encryptionCertificateThumbprint", thumbprint);
        json.writeEndObject();
        json.writeStringField("tenantId", tenantId);
        json.writeEndObject();
    }

    /** Graph's chatMessage JSON, the text padded so the document is about {@code itemSize} bytes. */
    private byte[] chatMessage(long sequence, String chatId) {
        String id = messageId(sequence);
        String now = GRAPH_TIME.format(Instant.now());
        StringBuilder doc = new StringBuilder(itemSize + 64)
                .append("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#chats('").append(chatId)
                .append("')/messages/$entity\",\"id\":\"").append(id).append("\",\"replyToId\":null,\"etag\":\"")
                .append(id).append("\",\"messageType\":\"message\",\"createdDateTime\":\"").append(now)
                .append("\",\"lastModifiedDateTime\":\"").append(now)
                .append("\",\"lastEditedDateTime\":null,\"deletedDateTime\":null,\"subject\":null,\"summary\":null,"
                        + "\"chatId\":\"").append(chatId)
                .append("\",\"importance\":\"normal\",\"locale\":\"en-us\",\"webUrl\":null,\"channelIdentity\":null,"
                        + "\"policyViolation\":null,\"eventDetail\":null,\"from\":{\"application\":null,"
                        + "\"device\":null,\"user\":{\"@odata.type\":\"#microsoft.graph.teamworkUserIdentity\","
                        + "\"id\":\"8b081ef6-4792-4def-b2c9-c363a1bf41d5\",\"displayName\":\"Adele Vance\","
                        + "\"userIdentityType\":\"aadUser\",\"tenantId\":\"").append(tenantId)
                .append("\"}},\"attachments\":[],\"mentions\":[],\"reactions\":[],\"body\":{\"contentType\":\"text\","
                        + "\"content\":\"");
        String tail = "\"}}";
        int offset = (int) (sequence % FILLER.length());
        while (doc.length() + tail.length() < itemSize) {
            doc.append(FILLER.charAt(offset++ % FILLER.length()));
        }
        return doc.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One thread's AES and HMAC objects. */
    private static final class Crypto {
        private final Cipher aes;
        private final Mac hmac;
        private final Base64.Encoder base64 = Base64.getEncoder();

        Crypto() {
            try {
                aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
                hmac = Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {base64 data, base64 dataSignature} */
        String[] encrypt(byte[] plaintext, byte[] key) {
            try {
                aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
                        new IvParameterSpec(Arrays.copyOf(key, 16)));
                byte[] data = aes.doFinal(plaintext);
                hmac.init(new SecretKeySpec(key, "HmacSHA256"));
                return new String[] { base64.encodeToString(data), base64.encodeToString(hmac.doFinal(data)) };
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not encrypt a notification", e);
            }
        }
    }
}
