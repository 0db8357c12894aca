package io.camelgraphteams.component.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.subscription.SubscriptionGapListener.Reason;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.RawHttp;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.subscriptions.SubscriptionResource;
import io.camelgraphteams.emulator.teams.ChangeType;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.APP;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * graph-protocol.md, Lifecycle notifications: each event on its own path. reauthorizationRequired is answered by
 * reauthorize, but never within reauthorizationInterval of a PATCH (either way round); subscriptionRemoved creates a
 * new subscription and reports the gap; missed reports the gap; events for a subscription this consumer does not
 * manage change nothing.
 */
class LifecycleEventTest extends RecordedGraphTestSupport {

    private static final String RESOURCE = "chats/getAllMessages";

    private List<RecordingFront.Request> reauthorizeCalls(String id) {
        return graphFront.requests("POST", "/subscriptions/" + id + "/reauthorize");
    }

    private List<RecordingFront.Request> patches(String id) {
        return graphFront.requests("PATCH", "/subscriptions/" + id);
    }

    /** Waits until the emulator got a 2xx for {@code count} lifecycle notifications about {@code subscriptionId}. */
    private static void awaitLifecycleDelivered(String subscriptionId, int count) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> graph.emulator().deliveryLog()
                .records(DeliveryRecord.Kind.LIFECYCLE).stream()
                .filter(r -> r.subscriptionIds().contains(subscriptionId) && r.delivered()).count() >= count);
    }

    @Test
    void reauthorizationRequiredIsAnsweredByReauthorize() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        Subscription before = consumer.inGraph(graph);
        assertThat(before.lastReauthorizedAt()).isNull();

        graph.emulator().sendLifecycleEvent(before.id(), LifecycleEvent.REAUTHORIZATION_REQUIRED);

        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().reauthorizations() == 1);
        Subscription after = consumer.inGraph(graph);
        assertThat(after.lastReauthorizedAt()).as("reauthorized in Graph").isNotNull();
        assertThat(after.expirationDateTime()).as("reauthorize is not a renewal").isEqualTo(before.expirationDateTime());
        assertThat(reauthorizeCalls(before.id())).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(204));
        assertThat(patches(before.id())).isEmpty();
        assertThat(consumer.status().lifecycleEvents()).isEqualTo(1);
        assertThat(consumer.gaps()).isEmpty();
    }

    @Test
    void reauthorizationRequiredRightAfterARenewalDoesNotReauthorize() throws Exception {
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = options(port).set("reauthorizationInterval", "5s");
        ManagedConsumer.start(graph, port, RESOURCE, options).close();
        // the restarted consumer adopts the subscription, which renews it by PATCH
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options);
        String id = consumer.subscriptionId();
        assertThat(consumer.status().adoptions()).isEqualTo(1);
        assertThat(patches(id)).hasSize(1);
        Instant renewedAt = consumer.status().lastRenewal();

        graph.emulator().sendLifecycleEvent(id, LifecycleEvent.REAUTHORIZATION_REQUIRED);
        awaitLifecycleDelivered(id, 1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.status().lifecycleEvents() == 1);
        await().during(Duration.ofMillis(500)).atMost(2, TimeUnit.SECONDS)
                .until(() -> reauthorizeCalls(id).isEmpty() && consumer.status().reauthorizations() == 0);
        assertThat(Duration.between(renewedAt, Instant.now())).as("the event came within the interval")
                .isLessThan(Duration.ofSeconds(5));

        // once the interval has passed, the same event is answered by reauthorize
        await().atMost(8, TimeUnit.SECONDS).until(() -> Instant.now().isAfter(renewedAt.plusSeconds(5)));
        graph.emulator().sendLifecycleEvent(id, LifecycleEvent.REAUTHORIZATION_REQUIRED);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().reauthorizations() == 1);
        assertThat(reauthorizeCalls(id)).hasSize(1);
        long spacing = reauthorizeCalls(id).get(0).receivedNanos() - patches(id).get(0).receivedNanos();
        assertThat(Duration.ofNanos(spacing)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void renewalRightAfterAReauthorizationWaitsForTheInterval() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port)
                .set("subscriptionLifetime", "10s").set("renewBefore", "5s").set("reauthorizationInterval", "3s"));
        String id = consumer.subscriptionId();
        Instant renewalDue = consumer.status().nextRenewal();
        assertThat(renewalDue).isNotNull();

        // reauthorizationRequired two seconds before the renewal is due
        await().atMost(8, TimeUnit.SECONDS).until(() -> Instant.now().isAfter(renewalDue.minusSeconds(2)));
        graph.emulator().sendLifecycleEvent(id, LifecycleEvent.REAUTHORIZATION_REQUIRED);
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.status().reauthorizations() == 1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().renewals() >= 1);

        assertThat(consumer.inGraph(graph).id()).isEqualTo(id);
        long spacing = patches(id).get(0).receivedNanos() - reauthorizeCalls(id).get(0).receivedNanos();
        assertThat(Duration.ofNanos(spacing)).as("PATCH after reauthorize").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void subscriptionRemovedCreatesANewSubscriptionAndReportsTheGap() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        String removed = consumer.subscriptionId();

        graph.emulator().sendLifecycleEvent(removed, LifecycleEvent.SUBSCRIPTION_REMOVED);

        await().atMost(10, TimeUnit.SECONDS).until(() -> !consumer.gaps().isEmpty());
        String created = consumer.subscriptionId();
        assertThat(created).isNotNull().isNotEqualTo(removed);
        assertThat(consumer.gaps()).containsExactly(new ManagedConsumer.Gap(Reason.SUBSCRIPTION_REMOVED, created));
        assertThat(graph.emulator().subscriptions().live()).extracting(Subscription::id).containsExactly(created);
        assertThat(consumer.status().recreations()).isEqualTo(1);
        assertThat(consumer.status().creations()).isEqualTo(2);
        // its own path: no renewal or reauthorization of the removed subscription was tried
        assertThat(patches(removed)).isEmpty();
        assertThat(reauthorizeCalls(removed)).isEmpty();

        graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "after the removal"));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> consumer.bodies().stream().anyMatch(b -> b.contains("after the removal")));
    }

    @Test
    void missedReportsTheGapAndKeepsTheSubscription() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        String id = consumer.subscriptionId();
        Instant expiration = consumer.inGraph(graph).expirationDateTime();

        graph.emulator().sendLifecycleEvent(id, LifecycleEvent.MISSED);

        await().atMost(10, TimeUnit.SECONDS).until(() -> !consumer.gaps().isEmpty());
        assertThat(consumer.gaps()).containsExactly(new ManagedConsumer.Gap(Reason.MISSED, id));
        assertThat(consumer.subscriptionId()).isEqualTo(id);
        assertThat(consumer.inGraph(graph).expirationDateTime()).isEqualTo(expiration);
        assertThat(consumer.status().creations()).isEqualTo(1);
        assertThat(consumer.status().recreations()).isZero();
        assertThat(graphFront.requests().stream().filter(r -> !r.method().equals("GET")).toList())
                .as("only the creation changed anything in Graph").hasSize(1);
    }

    @Test
    void lifecycleEventsForAnotherSubscriptionAreIgnored() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        Subscription own = consumer.inGraph(graph);
        // another subscription of the same app whose lifecycle notifications reach this consumer's path
        String otherResource = "/chats/" + CHAT + "/messages";
        Subscription other = new Subscription(UUID.randomUUID().toString(), otherResource,
                SubscriptionResource.parse(otherResource), APP, graph.emulator().tenantId(), "creator",
                Set.of(ChangeType.CREATED), "created", ReceivingContext.CLIENT_STATE, own.notificationUrl(),
                own.lifecycleNotificationUrl(), Instant.now().plus(Duration.ofHours(1)), false, null, null, null, "v1.0",
                null);
        graph.emulator().subscriptions().add(other);
        graphFront.clear();

        graph.emulator().sendLifecycleEvent(other.id(), LifecycleEvent.REAUTHORIZATION_REQUIRED);
        graph.emulator().sendLifecycleEvent(other.id(), LifecycleEvent.MISSED);
        graph.emulator().sendLifecycleEvent(other.id(), LifecycleEvent.SUBSCRIPTION_REMOVED);
        awaitLifecycleDelivered(other.id(), 3);

        await().during(Duration.ofMillis(500)).atMost(2, TimeUnit.SECONDS).until(() -> graphFront.requests().isEmpty());
        assertThat(consumer.subscriptionId()).isEqualTo(own.id());
        assertThat(consumer.inGraph(graph).expirationDateTime()).isEqualTo(own.expirationDateTime());
        assertThat(consumer.gaps()).isEmpty();
        assertThat(consumer.status().lifecycleEvents()).isZero();
        assertThat(consumer.status().reauthorizations()).isZero();
        assertThat(consumer.status().recreations()).isZero();
        assertThat(consumer.status().creations()).isEqualTo(1);
    }

    @Test
    void aSubscriptionAdoptedAgainAfterARemovalStillHasItsLifecycleEventsAnswered() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port).set("reauthorizationInterval", "1s"));
        String id = consumer.subscriptionId();
        // a subscriptionRemoved while Graph still lists the subscription (sent early, or by someone holding the
        // clientState): the reconcile finds it and adopts it again
        RawHttp.Response answer = RawHttp.send(port, RawHttp.Request.post("/graph/lifecycle", "application/json",
                GraphNotifications.batch(List.of(GraphNotifications.lifecycleItem(id, graph.emulator().tenantId(),
                        ReceivingContext.CLIENT_STATE, "subscriptionRemoved")), List.of())), 10_000);
        assertThat(answer.status()).isEqualTo(202);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().recreations() == 1);
        assertThat(consumer.subscriptionId()).as("the same subscription, adopted").isEqualTo(id);
        // the adoption renewed it (a PATCH): a reauthorization is due only reauthorizationInterval later
        Instant renewedAt = consumer.status().lastRenewal();
        await().atMost(5, TimeUnit.SECONDS).until(() -> Instant.now().isAfter(renewedAt.plusMillis(1100)));

        graph.emulator().sendLifecycleEvent(id, LifecycleEvent.REAUTHORIZATION_REQUIRED);

        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().reauthorizations() == 1);
        assertThat(reauthorizeCalls(id)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(204));
    }

    @Test
    void tenThousandSubscriptionRemovedInOneBatchMakeOneReconcile() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, RESOURCE, options(port));
        String removed = consumer.subscriptionId();
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            items.add(GraphNotifications.lifecycleItem(removed, graph.emulator().tenantId(),
                    ReceivingContext.CLIENT_STATE, "subscriptionRemoved"));
        }
        // as Graph does before it tells: the subscription is gone, so the one reconcile must create a new one
        graph.emulator().subscriptions().remove(removed);
        graphFront.clear();

        RawHttp.Response answer = RawHttp.send(port, RawHttp.Request.post("/graph/lifecycle", "application/json",
                GraphNotifications.batch(items, List.of())), 30_000);

        assertThat(answer.status()).isEqualTo(202);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().recreations() == 1);
        await().during(Duration.ofSeconds(1)).atMost(5, TimeUnit.SECONDS)
                .until(() -> consumer.status().recreations() == 1);
        assertThat(graphFront.requests("POST", "/subscriptions")).as("subscriptions created").hasSize(1);
        assertThat(consumer.gaps()).hasSize(1);
        assertThat(consumer.status().lifecycleEvents()).as("every event counted").isEqualTo(10_000);
    }
}
