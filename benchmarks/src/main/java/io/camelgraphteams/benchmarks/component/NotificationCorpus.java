package io.camelgraphteams.benchmarks.component;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.TestEncryption;

import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;

/**
 * Batches built before anything is timed, the way Graph builds them: every item is a chatMessage of about
 * {@code itemSize} bytes of JSON encrypted under a fresh random key (RSA-OAEP-SHA1 wrapped for the test certificate,
 * HMAC-SHA256 signed, AES-256-CBC encrypted), and every batch carries exactly one validation token out of a small
 * pool, round robin.
 * <p>
 * The same {@link EncryptedContent} objects feed the raw JDK decrypt phase, so both phases do the same work per item.
 */
final class NotificationCorpus {

    static final String SUBSCRIPTION_ID = "0f1e2d3c-4b5a-4968-8776-655443322110";
    private static final int CHATS = 8;
    private static final String FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
                                         + "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis "
                                         + "nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. ";

    /** One POST body, its item count, and the encrypted content of each of its items. */
    record Batch(byte[] body, int items, List<EncryptedContent> contents) {
    }

    private final List<Batch> batches;
    private final List<String> tokens;
    private final long plaintextBytes;

    private NotificationCorpus(List<Batch> batches, List<String> tokens, long plaintextBytes) {
        this.batches = batches;
        this.tokens = tokens;
        this.plaintextBytes = plaintextBytes;
    }

    /**
     * @param tokens validation tokens; batch {@code b} carries {@code tokens.get(b % tokens.size())}
     */
    static NotificationCorpus build(int batchCount, int batchSize, int itemSize, List<String> tokens,
                                    X509Certificate certificate) {
        long[] plaintext = new long[batchCount];
        List<Batch> batches = IntStream.range(0, batchCount).parallel()
                .mapToObj(b -> {
                    List<ObjectNode> items = new ArrayList<>(batchSize);
                    List<EncryptedContent> contents = new ArrayList<>(batchSize);
                    String chatId = "19:" + String.format("%08x", b % CHATS) + "-efb3-4757-924a-5f94061cf8c2_"
                                    + "97f62344-5e1b-4f1a-9d5e-3c0a2a1b7e55@unq.gbl.spaces";
                    for (int i = 0; i < batchSize; i++) {
                        String messageId = Long.toString(1_764_237_600_000L + (long) b * batchSize + i);
                        byte[] json = paddedChatMessage(chatId, messageId, itemSize);
                        plaintext[b] += json.length;
                        // TestEncryption draws a fresh random 32-byte key per call, as Graph does per item
                        EncryptedContent content = TestEncryption.encrypt(json, certificate, CERTIFICATE_ID);
                        contents.add(content);
                        items.add(GraphNotifications.withEncryptedContent(
                                GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, chatId, messageId),
                                content));
                    }
                    byte[] body = GraphNotifications.batch(items, List.of(tokens.get(b % tokens.size())));
                    return new Batch(body, batchSize, List.copyOf(contents));
                })
                .toList();
        long total = 0;
        for (long bytes : plaintext) {
            total += bytes;
        }
        return new NotificationCorpus(batches, List.copyOf(tokens), total);
    }

    /** Graph's chatMessage JSON with the text body padded so the document is about {@code size} bytes. */
    static byte[] paddedChatMessage(String chatId, String messageId, int size) {
        int base = GraphNotifications.chatMessage(chatId, messageId, "").getBytes(StandardCharsets.UTF_8).length;
        StringBuilder text = new StringBuilder(Math.max(0, size - base));
        int offset = (int) (Long.parseLong(messageId) % FILLER.length());
        while (text.length() < size - base) {
            text.append(FILLER.charAt(offset++ % FILLER.length()));
        }
        return GraphNotifications.chatMessage(chatId, messageId, text.toString()).getBytes(StandardCharsets.UTF_8);
    }

    List<Batch> batches() {
        return batches;
    }

    List<String> tokens() {
        return tokens;
    }

    /** Every item's encrypted content, batch by batch. */
    List<EncryptedContent> contents() {
        List<EncryptedContent> all = new ArrayList<>(itemCount());
        batches.forEach(batch -> all.addAll(batch.contents()));
        return all;
    }

    int itemCount() {
        return batches.stream().mapToInt(Batch::items).sum();
    }

    long bodyBytes() {
        return batches.stream().mapToLong(batch -> batch.body().length).sum();
    }

    double averagePlaintextBytes() {
        return (double) plaintextBytes / itemCount();
    }
}
