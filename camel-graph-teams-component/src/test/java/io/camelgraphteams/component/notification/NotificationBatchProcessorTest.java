package io.camelgraphteams.component.notification;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.crypto.DecryptionKeyRing;
import io.camelgraphteams.component.crypto.NotificationDecryptor;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.security.ClientStateCheck;
import io.camelgraphteams.component.security.ValidationTokenVerifier;
import io.camelgraphteams.component.support.Deadline;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks and the opening of a batch, without HTTP: one rule per test, with a fixed clock, an in-memory key set
 * for the validation tokens and a direct executor, so each runs in milliseconds.
 */
class NotificationBatchProcessorTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String APP = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
    private static final String TENANT = "2bcd9dfb-6a66-4236-98f9-e8fe4a675323";
    private static final String OTHER_TENANT = "7d0b3e9a-1c2f-4a5b-9c8d-0e1f2a3b4c5d";
    private static final String CLIENT_STATE = "client-state-secret";
    private static final String CHAT = "19:chat@thread.v2";
    private static final String CERTIFICATE_ID = "processor-test-key";
    private static final Executor DIRECT = Runnable::run;

    private final DecryptionKey key = TestKeys.cached("processor-test").decryptionKey(CERTIFICATE_ID);
    private final TestTokenIssuer issuer = new TestTokenIssuer(Clock.fixed(NOW, ZoneOffset.UTC));
    private final NotificationCounters counters = new NotificationCounters();
    private final List<String> reported = new ArrayList<>();

    private NotificationBatchProcessor processor(String scope, MessageFetcher fetcher, Executor workers) {
        ValidationTokenVerifier verifier = new ValidationTokenVerifier(new ImmutableJWKSet<>(new JWKSet(issuer.publicKey())),
                List.of(APP), Set.of(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
        return new NotificationBatchProcessor(new NotificationBatchParser(1 << 20), verifier,
                new NotificationDecryptor(DecryptionKeyRing.of(List.of(key))), new ClientStateCheck(CLIENT_STATE),
                rules(scope, true), fetcher, workers, 4, counters, new ClientStateAlarm(null), recordingHandler(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static AcceptanceRules rules(String scope, boolean includeResourceData) {
        return new AcceptanceRules(GraphResource.parse(scope), Set.of(), includeResourceData, false,
                Duration.ofMinutes(5));
    }

    private NotificationBatchProcessor processor() {
        return processor("chats/getAllMessages", null, DIRECT);
    }

    private ExceptionHandler recordingHandler() {
        return new ExceptionHandler() {
            @Override
            public void handleException(Throwable exception) {
                reported.add(exception.getMessage());
            }

            @Override
            public void handleException(String message, Throwable exception) {
                reported.add(message);
            }

            @Override
            public void handleException(String message, Exchange exchange, Throwable exception) {
                reported.add(message);
            }
        };
    }

    private static String message(String id) {
        return GraphNotifications.chatMessage(CHAT, id, "hello " + id);
    }

    private ObjectNode encryptedItem(String id, String clientState, String tenant) {
        return GraphNotifications.withEncryptedContent(GraphNotifications.chatItem("sub-1", tenant, clientState, CHAT, id),
                TestEncryption.encrypt(message(id), key));
    }

    private ObjectNode encryptedItem(String id) {
        return encryptedItem(id, CLIENT_STATE, TENANT);
    }

    private String token() {
        return issuer.v1Token(APP, TENANT).sign();
    }

    private static List<String> bodies(VerifiedBatch batch) {
        return batch.notifications().stream().map(ReceivedNotification::body).toList();
    }

    @Test
    void aGenuineBatchOpensIntoItsMessagesInBatchOrder() {
        NotificationBatchProcessor processor = processor();
        BatchCheck check = processor.check(GraphNotifications.batch(
                List.of(encryptedItem("1"), encryptedItem("2"), encryptedItem("3")), List.of(token())));

        assertThat(check.isRefused()).isFalse();
        VerifiedBatch batch = processor.open(check).join();

        assertThat(bodies(batch)).containsExactly(message("1"), message("2"), message("3"));
        assertThat(batch.notifications()).allMatch(ReceivedNotification::resourceDataIncluded);
        assertThat(batch.notifications().get(1).notified().messageId()).isEqualTo("2");
        assertThat(batch.unopened()).isZero();
        assertThat(counters.itemsReceived()).isEqualTo(3);
    }

    @Test
    void aBodyThatIsNoBatchIsRefusedAsMalformed() {
        BatchCheck check = processor().check("{\"value\": 7}".getBytes(StandardCharsets.UTF_8));
        assertThat(check.refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(check.refusal().retryable()).isFalse();
    }

    @Test
    void encryptedContentWithoutValidationTokensIsRefused() {
        BatchCheck check = processor().check(GraphNotifications.batch(List.of(encryptedItem("1")), List.of()));
        assertThat(check.refusal()).isEqualTo(Refusal.TOKENS_MISSING);
    }

    @Test
    void aForgedOrExpiredTokenRefusesTheWholeBatch() {
        String forged = issuer.v1Token(APP, TENANT).signedWith(TestTokenIssuer.newSigningKey()).sign();
        String expired = issuer.v1Token(APP, TENANT).expiresAt(NOW.minus(Duration.ofHours(1))).sign();

        assertThat(processor().check(GraphNotifications.batch(List.of(encryptedItem("1")), List.of(forged))).refusal())
                .isEqualTo(Refusal.TOKEN_INVALID);
        assertThat(processor().check(GraphNotifications.batch(List.of(encryptedItem("1")), List.of(expired))).refusal())
                .isEqualTo(Refusal.TOKEN_INVALID);
    }

    @Test
    void anItemOfATenantNoTokenVouchesForRefusesTheBatch() {
        BatchCheck check = processor().check(GraphNotifications.batch(
                List.of(encryptedItem("1"), encryptedItem("2", CLIENT_STATE, OTHER_TENANT)), List.of(token())));
        assertThat(check.refusal()).isEqualTo(Refusal.TOKEN_INVALID);
    }

    @Test
    void anItemWithAnotherClientStateIsDroppedAndTheOthersPass() {
        NotificationBatchProcessor processor = processor();
        BatchCheck check = processor.check(GraphNotifications.batch(
                List.of(encryptedItem("1"), encryptedItem("2", "guessed", TENANT)), List.of(token())));

        assertThat(bodies(processor.open(check).join())).containsExactly(message("1"));
        assertThat(counters.droppedClientState()).isEqualTo(1);
    }

    @Test
    void anItemOutsideTheEndpointsResourceIsDroppedAsMisaddressed() {
        NotificationBatchProcessor processor = processor("chats/19:other@thread.v2/messages", null, DIRECT);
        BatchCheck check = processor.check(GraphNotifications.batch(List.of(encryptedItem("1")), List.of(token())));

        assertThat(check.items()).isEmpty();
        assertThat(counters.droppedMisaddressed()).isEqualTo(1);
    }

    @Test
    void anUnknownCertificateRefusesTheBatchForARetryBeforeAnythingIsDecrypted() {
        DecryptionKey other = TestKeys.cached("processor-test-other").decryptionKey("rotated-in");
        ObjectNode item = GraphNotifications.withEncryptedContent(
                GraphNotifications.chatItem("sub-1", TENANT, CLIENT_STATE, CHAT, "9"), TestEncryption.encrypt("{}", other));

        BatchCheck check = processor().check(GraphNotifications.batch(List.of(encryptedItem("1"), item),
                List.of(token())));

        assertThat(check.refusal()).isEqualTo(Refusal.UNKNOWN_CERTIFICATE);
        assertThat(check.refusal().retryable()).isTrue();
        assertThat(check.items()).isEmpty();
    }

    @Test
    void anItemWhoseSignatureDoesNotMatchItsDataIsDropped() {
        ObjectNode tampered = encryptedItem("2");
        ObjectNode content = (ObjectNode) tampered.get("encryptedContent");
        content.put("dataSignature", TestEncryption.sign(new byte[32], "forged".getBytes(StandardCharsets.UTF_8)));
        NotificationBatchProcessor processor = processor();

        VerifiedBatch batch = processor.open(processor.check(GraphNotifications.batch(
                List.of(encryptedItem("1"), tampered), List.of(token())))).join();

        assertThat(bodies(batch)).containsExactly(message("1"));
        assertThat(batch.unopened()).as("a forged item is no reason for Graph to send it again").isZero();
        assertThat(counters.droppedUndecryptable()).isEqualTo(1);
    }

    @Test
    void aNotificationWithoutResourceDataIsFetchedAndAFailedFetchAsksForTheBatchAgain() {
        ObjectNode plain = GraphNotifications.chatItem("sub-1", TENANT, CLIENT_STATE, CHAT, "1");
        ObjectNode gone = GraphNotifications.chatItem("sub-1", TENANT, CLIENT_STATE, CHAT, "2");
        ObjectNode failing = GraphNotifications.chatItem("sub-1", TENANT, CLIENT_STATE, CHAT, "3");
        MessageFetcher fetcher = (item, deadline) -> switch (item.resource()) {
            case "chats('19:chat@thread.v2')/messages('1')" -> message("1");
            case "chats('19:chat@thread.v2')/messages('2')" -> null;
            default -> throw new IllegalStateException("Graph answered 503");
        };
        NotificationBatchProcessor processor = new NotificationBatchProcessor(new NotificationBatchParser(1 << 20),
                null, new NotificationDecryptor(DecryptionKeyRing.of(List.of(key))), new ClientStateCheck(CLIENT_STATE),
                rules("chats/getAllMessages", false), fetcher, DIRECT, 4, counters, new ClientStateAlarm(null),
                recordingHandler(), Clock.fixed(NOW, ZoneOffset.UTC));

        VerifiedBatch batch = processor.open(processor.check(GraphNotifications.batch(List.of(plain, gone, failing),
                List.of()))).join();

        assertThat(batch.notifications()).hasSize(2);
        assertThat(batch.notifications().get(0).body()).isEqualTo(message("1"));
        assertThat(batch.notifications().get(0).resourceDataIncluded()).isTrue();
        assertThat(batch.notifications().get(1).resourceDataIncluded()).as("gone: Graph's reference").isFalse();
        assertThat(batch.notifications().get(1).body()).contains("#Microsoft.Graph.chatMessage");
        assertThat(batch.unopened()).isEqualTo(1);
        assertThat(reported).singleElement().asString().contains("Graph answered 503");
    }

    @Test
    void onAResourceDataEndpointAnItemWithoutContentIsGraphsCopyNeverItsOwnResourceData() {
        ObjectNode injected = GraphNotifications.chatItem("sub-1", TENANT, CLIENT_STATE, CHAT, "1");
        ((ObjectNode) injected.get("resourceData")).put("body", "injected");
        NotificationBatchProcessor processor = processor("chats/getAllMessages", (item, deadline) -> message("1"),
                DIRECT);

        VerifiedBatch batch = processor.open(processor.check(GraphNotifications.batch(List.of(injected),
                List.of(token())))).join();

        assertThat(bodies(batch)).containsExactly(message("1"));
        assertThat(batch.notifications().get(0).fetched()).isTrue();
    }

    @Test
    void withoutCredentialsAnItemWithoutContentIsDropped() {
        ObjectNode injected = GraphNotifications.chatItem("sub-1", TENANT, CLIENT_STATE, CHAT, "1");
        NotificationBatchProcessor processor = processor();

        VerifiedBatch batch = processor.open(processor.check(GraphNotifications.batch(List.of(injected),
                List.of(token())))).join();

        assertThat(batch.notifications()).isEmpty();
        assertThat(batch.unopened()).isZero();
        assertThat(counters.droppedWithoutContent()).isEqualTo(1);
    }

    @Test
    void itemsStillUnopenedAtTheDeadlineAreLeftForGraphsRedelivery() {
        NotificationBatchProcessor processor = processor();
        BatchCheck check = processor.check(GraphNotifications.batch(List.of(encryptedItem("1"), encryptedItem("2")),
                List.of(token())));

        VerifiedBatch batch = processor.open(check, Deadline.after(System.nanoTime() - 1_000_000, Duration.ZERO),
                java.util.concurrent.CompletableFuture::completedFuture).join();

        assertThat(batch.notifications()).isEmpty();
        assertThat(batch.unopened()).isEqualTo(2);
    }

    @Test
    void theReplayWindowEndsWithTheBatchsLatestTokenPlusTheClockSkew() {
        BatchCheck check = processor().check(GraphNotifications.batch(List.of(encryptedItem("1")), List.of(token())));

        assertThat(check.keepKeysUntil()).isEqualTo(NOW.plus(TestTokenIssuer.DEFAULT_LIFETIME)
                .plus(Duration.ofMinutes(5)));
    }

    @Test
    void itemsTheSaturatedWorkersRefuseAreLeftUnopened() {
        Executor saturated = task -> {
            throw new RejectedExecutionException("queue full");
        };
        NotificationBatchProcessor processor = processor("chats/getAllMessages", null, saturated);

        VerifiedBatch batch = processor.open(processor.check(GraphNotifications.batch(
                List.of(encryptedItem("1"), encryptedItem("2")), List.of(token())))).join();

        assertThat(batch.notifications()).isEmpty();
        assertThat(batch.unopened()).isEqualTo(2);
    }

    @Test
    void aLifecycleEventNeedsNoDecryptionAndNoToken() {
        NotificationBatchProcessor processor = processor();
        ObjectNode event = GraphNotifications.lifecycleItem("sub-1", TENANT, CLIENT_STATE, "reauthorizationRequired");

        VerifiedBatch batch = processor.open(processor.check(GraphNotifications.batch(List.of(event), List.of())))
                .join();

        assertThat(batch.notifications()).singleElement()
                .satisfies(n -> assertThat(n.item().lifecycleEvent()).isEqualTo("reauthorizationRequired"));
    }
}
