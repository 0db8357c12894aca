package io.camelgraphteams.component.subscription;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stop and restart (issue 4, the reconcile loop): the subscription outlives a stop unless deleteOnStop; a restart adopts
 * the matching subscription (never a duplicate, never a 409), replaces one whose lifecycleNotificationUrl differs
 * (Graph cannot PATCH it), and pushes a rotated certificate while the old key keeps decrypting.
 */
class SubscriptionRestartTest extends RecordedGraphTestSupport {

    private static final String RESOURCE = "chats/getAllMessages";
    private static final String ROTATED_ID = "graph-teams-rotated-key";

    private static void assertNoConflict() {
        assertThat(graphFront.requests()).noneSatisfy(r -> assertThat(r.status()).isEqualTo(409));
    }

    @Test
    void deleteOnStopDeletesTheSubscription() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port).set("deleteOnStop", true));
        String id = consumer.subscriptionId();
        assertThat(graph.emulator().subscriptions().find(id)).isPresent();

        consumer.close();

        assertThat(graph.emulator().subscriptions().find(id)).isEmpty();
        assertThat(graphFront.requests("DELETE", "/subscriptions/" + id))
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(204));
    }

    @Test
    void stopKeepsTheSubscriptionByDefault() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        String id = consumer.subscriptionId();

        consumer.close();

        assertThat(graph.emulator().subscriptions().find(id)).isPresent();
        assertThat(graphFront.requests("DELETE", "/subscriptions/" + id)).isEmpty();
    }

    @Test
    void restartAdoptsTheSubscriptionWithoutDuplicateOrConflict() throws Exception {
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = options(port);
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options);
        Subscription before = consumer.inGraph(graph);
        consumer.close();
        graphFront.clear();

        consumer = ManagedConsumer.start(graph, port, RESOURCE, options);

        assertThat(consumer.subscriptionId()).isEqualTo(before.id());
        assertThat(consumer.status().adoptions()).isEqualTo(1);
        assertThat(consumer.status().creations()).isZero();
        assertThat(graph.emulator().subscriptions().live()).extracting(Subscription::id).containsExactly(before.id());
        assertThat(consumer.inGraph(graph).expirationDateTime()).as("renewed").isAfter(before.expirationDateTime());
        assertThat(graphFront.requests("POST", "/subscriptions")).isEmpty();
        assertThat(graphFront.requests("PATCH", "/subscriptions/" + before.id()))
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(200));
        assertNoConflict();

        graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "after the restart"));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> consumer.bodies().stream().anyMatch(b -> b.contains("after the restart")));
    }

    @Test
    void subscriptionWithAnotherLifecycleNotificationUrlIsReplaced() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        Subscription before = consumer.inGraph(graph);
        consumer.close();
        graphFront.clear();

        // the same place under another name: Graph compares the text, and PATCH cannot change it
        String lifecycleUrl = "http://127.0.0.1:" + port + "/graph/lifecycle";
        assertThat(before.lifecycleNotificationUrl()).isNotEqualTo(lifecycleUrl);
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port).set("lifecycleNotificationUrl", lifecycleUrl));

        String replacement = consumer.subscriptionId();
        assertThat(replacement).isNotEqualTo(before.id());
        List<Subscription> live = graph.emulator().subscriptions().live();
        assertThat(live).extracting(Subscription::id).containsExactly(replacement);
        assertThat(live.get(0).lifecycleNotificationUrl()).isEqualTo(lifecycleUrl);
        assertThat(graphFront.requests("DELETE", "/subscriptions/" + before.id()))
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(204));
        assertThat(graphFront.requests("PATCH", "/subscriptions/" + before.id())).isEmpty();
        assertThat(consumer.status().creations()).isEqualTo(1);
        assertNoConflict();
    }

    @Test
    void aChangedClientStateReplacesTheSubscription() throws Exception {
        // Graph lists subscriptions with clientState null: only the consumer's own record can tell it changed
        int port = ReceivingContext.freePort();
        java.io.File state = dir.resolve("client-state-change.dat").toFile();
        ManagedConsumer.Options options = options(port).set("stateRepository", "#state");
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options,
                context -> context.getRegistry().bind("state", FileStateRepository.fileStateRepository(state)));
        Subscription before = consumer.inGraph(graph);
        consumer.close();
        graphFront.clear();

        consumer = ManagedConsumer.start(graph, port, RESOURCE,
                options.copy().set("clientState", "RAW(a-new-client-state-secret)"),
                context -> context.getRegistry().bind("state", FileStateRepository.fileStateRepository(state)));

        String replacement = consumer.subscriptionId();
        assertThat(replacement).as("not adopted: its clientState is the old one").isNotEqualTo(before.id());
        assertThat(graph.emulator().subscriptions().live()).extracting(Subscription::id).containsExactly(replacement);
        assertThat(graphFront.requests("DELETE", "/subscriptions/" + before.id())).hasSize(1);
        // Graph's notifications now carry the new clientState: a message reaches the route
        ChatMessage posted = graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "after the change"));
        await().atMost(15, TimeUnit.SECONDS).until(() -> consumer.bodies().stream()
                .anyMatch(body -> body.contains(posted.id()) && body.contains("after the change")));
        assertNoConflict();
    }

    @Test
    void subscriptionWithoutResourceDataIsReplacedWhenResourceDataIsWanted() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port).set("includeResourceData", "false"));
        Subscription before = consumer.inGraph(graph);
        assertThat(before.includeResourceData()).isFalse();
        consumer.close();
        graphFront.clear();

        // includeResourceData cannot be changed by PATCH
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));

        String replacement = consumer.subscriptionId();
        assertThat(replacement).isNotEqualTo(before.id());
        List<Subscription> live = graph.emulator().subscriptions().live();
        assertThat(live).extracting(Subscription::id).containsExactly(replacement);
        assertThat(live.get(0).includeResourceData()).isTrue();
        assertThat(graphFront.requests("DELETE", "/subscriptions/" + before.id())).hasSize(1);
        assertNoConflict();
    }

    @Test
    void rotatedCertificateIsPushedAtRenewalAndTheOldKeyStillDecrypts() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        String id = consumer.subscriptionId();
        assertThat(consumer.inGraph(graph).encryptionCertificateId()).isEqualTo(ReceivingContext.CERTIFICATE_ID);
        consumer.close();

        // while the consumer is down, Graph encrypts a message with the old certificate and keeps retrying it
        graph.emulator().timings(timings.withRetryBackoff(Duration.ofMillis(200), Duration.ofMillis(500)));
        ChatMessage whileDown = graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "sent while down"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !notificationsOf(whileDown).isEmpty());

        // the new key is listed first (current), the old one stays for what is still in flight
        Path rotated = TestKeys.writeKeyStore(dir.resolve("rotated.p12"), "PKCS12", ReceivingContext.KEY_STORE_PASSWORD,
                Map.of(ROTATED_ID, TestKeys.cached(ROTATED_ID),
                        ReceivingContext.CERTIFICATE_ID, TestKeys.cached(ReceivingContext.CERTIFICATE_ID)));
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port)
                .set("keyStore", "file:" + rotated)
                .set("certificateId", ROTATED_ID + "=" + ROTATED_ID + "," + ReceivingContext.CERTIFICATE_ID + "="
                                      + ReceivingContext.CERTIFICATE_ID));

        assertThat(consumer.subscriptionId()).isEqualTo(id);
        assertThat(consumer.status().adoptions()).isEqualTo(1);
        assertThat(consumer.inGraph(graph).encryptionCertificateId()).isEqualTo(ROTATED_ID);

        await().atMost(15, TimeUnit.SECONDS)
                .until(() -> consumer.bodies().stream().anyMatch(b -> b.contains("sent while down")));
        assertThat(deliveredBody(whileDown)).contains("\"encryptionCertificateId\":\"" + ReceivingContext.CERTIFICATE_ID + "\"");

        ChatMessage afterRotation = graph.emulator().teams().postChatMessage(CHAT,
                NewMessage.text(USER_A, "sent after the rotation"));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> consumer.bodies().stream().anyMatch(b -> b.contains("sent after the rotation")));
        assertThat(deliveredBody(afterRotation)).contains("\"encryptionCertificateId\":\"" + ROTATED_ID + "\"");
        assertThat(consumer.consumer().getCounters().asMap())
                .containsEntry("droppedUndecryptable", 0L).containsEntry("batchesRefused", 0L);
    }

    private static List<DeliveryRecord> notificationsOf(ChatMessage message) {
        return graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION).stream()
                .filter(r -> r.body() != null && r.body().contains(message.id())).toList();
    }

    private static String deliveredBody(ChatMessage message) {
        // the emulator logs a delivery when the 202 arrives, a moment after the route has the message
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> notificationsOf(message).stream().anyMatch(DeliveryRecord::delivered));
        return notificationsOf(message).stream().filter(DeliveryRecord::delivered).findFirst()
                .orElseThrow(() -> new AssertionError("no delivered notification of message " + message.id()))
                .body();
    }
}
