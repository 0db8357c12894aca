package io.camelgraphteams.component.receiving;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.LogCapture;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, no forged logs: every value a request can carry into a log line (a validation token's header fields and
 * claims, JSON keys, an item's ids, encryptedContent's certificate fields, a message's own ids) is sent holding CR LF
 * and a line of its own; whatever the consumer logs (DEBUG included), that line never starts a log line.
 */
class LogInjectionTest extends ReceivingTestSupport {

    private static final String FORGED = "FORGED-LOG-LINE 2026-12-06 ERROR admin logged in";
    private static final String INJECTED = "x\r\n" + FORGED;

    private LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        startChats("allowedTenantIds=" + TENANT_ID);
        logs = LogCapture.start().everythingAtTrace();
    }

    @AfterEach
    void stopCapture() {
        if (logs != null) {
            logs.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("injections")
    void aLineBreakInARequestValueNeverStartsALogLine(Supplier<byte[]> batch) throws Exception {
        int status = receiving.postBatch(batch.get()).statusCode();

        assertThat(status).as("answered").isBetween(200, 599);
        assertThat(receiving.received()).as("nothing routed").isEmpty();
        assertThat(logs.events(e -> e.everything().contains(FORGED))).as("the value reached a log line, made safe")
                .isNotEmpty();
        assertThat(logs.events(LogInjectionTest::startsAForgedLine)).as("events writing the forged line").isEmpty();
    }

    static Stream<Named<Supplier<byte[]>>> injections() {
        List<Named<Supplier<byte[]>>> cases = new ArrayList<>();
        cases.add(Named.of("token header kid", () -> tokenBatch(header(validToken(), "kid", INJECTED))));
        cases.add(Named.of("token header x5t", () -> tokenBatch(header(header(validToken(), "kid", null), "x5t",
                INJECTED))));
        cases.add(Named.of("token header alg", () -> tokenBatch(header(validToken(), "alg", INJECTED))));
        cases.add(Named.of("token header typ", () -> tokenBatch(header(validToken(), "typ", INJECTED))));
        cases.add(Named.of("token claim tid", () -> tokenBatch(issuer.v1Token(APP_ID, INJECTED).sign())));
        cases.add(Named.of("token claim aud", () -> tokenBatch(issuer.v1Token(INJECTED, TENANT_ID).sign())));
        cases.add(Named.of("token claim iss", () -> tokenBatch(issuer.v1Token(APP_ID, TENANT_ID)
                .claim("iss", INJECTED).sign())));
        cases.add(Named.of("token claim ver", () -> tokenBatch(issuer.v1Token(APP_ID, TENANT_ID)
                .claim("ver", INJECTED).sign())));
        cases.add(Named.of("JSON key inside encryptedContent", () -> itemBatch(item ->
                ((ObjectNode) item.get("encryptedContent")).put(INJECTED, 1))));
        cases.add(Named.of("subscriptionId", () -> itemBatch(item -> item.put("subscriptionId", INJECTED)
                .put("clientState", "wrong"))));
        cases.add(Named.of("tenantId", () -> itemBatch(item -> item.put("tenantId", INJECTED))));
        cases.add(Named.of("resource", () -> itemBatch(item -> item.put("resource", INJECTED))));
        cases.add(Named.of("resource with a message id", () -> itemBatch(item -> item.put("resource",
                "chats('" + CHAT_ID + "')/messages('" + INJECTED + "')"))));
        cases.add(Named.of("changeType", () -> itemBatch(item -> item.put("changeType", INJECTED))));
        cases.add(Named.of("encryptionCertificateId", () -> itemBatch(item ->
                ((ObjectNode) item.get("encryptedContent")).put("encryptionCertificateId", INJECTED))));
        cases.add(Named.of("encryptionCertificateThumbprint", () -> itemBatch(item ->
                ((ObjectNode) item.get("encryptedContent")).put("encryptionCertificateThumbprint", INJECTED))));
        cases.add(Named.of("message id inside the encrypted content", () -> contentBatch("id", INJECTED)));
        cases.add(Named.of("chat id inside the encrypted content", () -> contentBatch("chatId", INJECTED)));
        cases.add(Named.of("lifecycleEvent", () -> batch(List.of(GraphNotifications.lifecycleItem(SUBSCRIPTION_ID,
                TENANT_ID, CLIENT_STATE, INJECTED)), validToken())));
        return cases.stream();
    }

    /** A line of any part of the event (message, parameter, stack trace) that begins with the injected text. */
    private static boolean startsAForgedLine(LogCapture.Event event) {
        List<String> parts = new ArrayList<>(event.parameters());
        parts.add(event.message());
        if (event.thrown() != null) {
            parts.add(event.thrown());
        }
        return parts.stream().flatMap(part -> part.lines()).anyMatch(line -> line.startsWith(FORGED));
    }

    private static byte[] tokenBatch(String token) {
        return batch(List.of(encryptedItem("5001")), token);
    }

    private static byte[] itemBatch(java.util.function.Consumer<ObjectNode> change) {
        ObjectNode item = encryptedItem("5002");
        change.accept(item);
        return batch(List.of(item), validToken());
    }

    /** A batch whose encrypted content (genuine, HMAC-valid) has {@code field} set to {@code value}. */
    private static byte[] contentBatch(String field, String value) {
        try {
            ObjectNode message = (ObjectNode) GraphNotifications.JSON.readTree(
                    GraphNotifications.chatMessage(CHAT_ID, "5003", "content with an odd " + field));
            message.put(field, value);
            EncryptedContent content = TestEncryption.encrypt(message.toString().getBytes(StandardCharsets.UTF_8),
                    TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID);
            ObjectNode item = GraphNotifications.withEncryptedContent(
                    GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "5003"), content);
            return batch(List.of(item), validToken());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token with one field of its header replaced (or removed for null); the signature no longer matches. */
    private static String header(String token, String field, String value) {
        String[] parts = token.split("\\.");
        try {
            ObjectNode header = (ObjectNode) GraphNotifications.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (value == null) {
                header.remove(field);
            } else {
                header.put(field, value);
            }
            String encoded = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(header.toString().getBytes(StandardCharsets.UTF_8));
            return encoded + "." + parts[1] + "." + parts[2];
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
