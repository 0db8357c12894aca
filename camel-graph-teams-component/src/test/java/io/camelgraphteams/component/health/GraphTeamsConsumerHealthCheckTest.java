package io.camelgraphteams.component.health;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4, Operability, and issue 14: the consumer's readiness, through Camel's own health machinery (the consumers
 * repository asks each route's consumer for its check), is its ability to receive (listening, its stores answering):
 * a pod without a subscription must still get Graph's validation request, or a single replica would never make one.
 * The subscription has its own check, neither readiness nor liveness: UP while active and not about to expire, or
 * when only receiving; DOWN without a subscription or when expiry is imminent because renewals fail.
 */
class GraphTeamsConsumerHealthCheckTest {

    /** Camel's consumers repository names each check after the route. */
    private static final String CHECK_ID = "consumer:" + ManagedConsumer.ROUTE_ID;
    /** The subscription's own check: neither readiness nor liveness. */
    private static final String SUBSCRIPTION_CHECK_ID = "subscription:graph-teams-" + ManagedConsumer.ROUTE_ID;

    static EmulatedGraph graph;

    @TempDir
    static Path dir;

    ManagedConsumer consumer;

    @BeforeAll
    static void startGraph() {
        graph = EmulatedGraph.start();
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        graph.emulator().chaos().reset();
        graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
    }

    private ManagedConsumer start(ManagedConsumer.Options options, int port) throws Exception {
        consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages", options, context -> {
            // what camel.health.consumersEnabled does in Camel Main: the repository of the consumers' checks
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            registry.register(registry.resolveById("consumers"));
        });
        return consumer;
    }

    private HealthCheck.Result readiness() {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(consumer.context());
        return results.stream().filter(r -> r.getCheck().getId().equals(CHECK_ID)).findFirst()
                .orElseThrow(() -> new AssertionError("no readiness check " + CHECK_ID + " among "
                                                      + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    private HealthCheck.Result subscription() {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(consumer.context());
        return results.stream().filter(r -> r.getCheck().getId().equals(SUBSCRIPTION_CHECK_ID)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + SUBSCRIPTION_CHECK_ID + " among "
                                                      + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    /** Every Graph call answers 503 (Retry-After 0, so the client's own retries are quick) until reset. */
    private static void graphUnavailable() {
        graph.emulator().chaos().throttleNextGraphCalls(0, Duration.ZERO).failGraphCalls(1.0);
    }

    @Test
    void upWhileTheSubscriptionIsActive() throws Exception {
        int port = ReceivingContext.freePort();
        start(ManagedConsumer.options(graph, port, dir), port);

        HealthCheck.Result result = readiness();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(subscription().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(subscription().getCheck().isReadiness()).as("not a readiness check").isFalse();
        assertThat(subscription().getCheck().isLiveness()).isFalse();
        assertThat(result.getDetails()).containsEntry("subscriptionId", consumer.subscriptionId())
                .containsEntry("listening", true).containsEntry("managing", true)
                .containsEntry("duplicatesSkipped", 0L).containsEntry("backfillRuns", 0L)
                .containsEntry("backfilledMessages", 0L).doesNotContainKey("backfillLastError");
    }

    @Test
    void downWithoutASubscription() throws Exception {
        int port = ReceivingContext.freePort();
        start(ManagedConsumer.options(graph, port, dir).set("subscriptionLifetime", "1h").set("renewBefore", "4s"), port);
        String removed = consumer.subscriptionId();
        graphUnavailable();

        // Graph removes the subscription and cannot create another for now
        graph.emulator().sendLifecycleEvent(removed, LifecycleEvent.SUBSCRIPTION_REMOVED);

        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> subscription().getState() == HealthCheck.State.DOWN);
        HealthCheck.Result down = subscription();
        assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("no active subscription"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> subscription().getDetails().containsKey("lastError"));
        assertThat(String.valueOf(subscription().getDetails().get("lastError"))).contains("503");
        // still able to receive: a pod without a subscription must get Graph's validation request to make one
        assertThat(readiness().getState()).isEqualTo(HealthCheck.State.UP);

        graph.emulator().chaos().reset();
        await().atMost(15, TimeUnit.SECONDS).until(() -> subscription().getState() == HealthCheck.State.UP);
        assertThat(subscription().getDetails().get("subscriptionId")).isNotNull().isNotEqualTo(removed)
                .isEqualTo(consumer.subscriptionId());
    }

    @Test
    void downWhenExpiryIsImminentBecauseRenewalsFail() throws Exception {
        int port = ReceivingContext.freePort();
        start(ManagedConsumer.options(graph, port, dir).set("subscriptionLifetime", "6s").set("renewBefore", "4s"), port);
        String id = consumer.subscriptionId();
        assertThat(readiness().getState()).isEqualTo(HealthCheck.State.UP);
        graphUnavailable();

        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> subscription().getState() == HealthCheck.State.DOWN);
        HealthCheck.Result down = subscription();
        assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m)
                .containsPattern("subscription " + id + " expire[sd] at").contains("503"));
        assertThat(readiness().getState()).as("able to receive all the while").isEqualTo(HealthCheck.State.UP);
        assertThat(consumer.status().renewals()).isZero();
        assertThat(consumer.status().failures()).isPositive();
    }

    /** A shared store whose database went away: every read and write fails until it is back. */
    static final class SeverableStateRepository extends MemoryStateRepository {
        volatile boolean severed;

        @Override
        public String getState(String key) {
            if (severed) {
                throw new IllegalStateException("Connection refused");
            }
            return super.getState(key);
        }

        @Override
        public void setState(String key, String value) {
            if (severed) {
                throw new IllegalStateException("Connection refused");
            }
            super.setState(key, value);
        }
    }

    @Test
    void downNamingTheStoreWhenTheStateRepositoryDoesNotAnswer() throws Exception {
        int port = ReceivingContext.freePort();
        SeverableStateRepository state = new SeverableStateRepository();
        consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages",
                ManagedConsumer.options(graph, port, dir).set("stateRepository", "#sharedState"), context -> {
                    context.getRegistry().bind("sharedState", state);
                    HealthCheckRegistry registry = HealthCheckRegistry.get(context);
                    registry.register(registry.resolveById("consumers"));
                });
        assertThat(readiness().getState()).isEqualTo(HealthCheck.State.UP);

        state.severed = true;
        // a check that throws would fail the whole listing: the probes would see an error, not which check is DOWN
        HealthCheck.Result result = readiness();
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(message -> assertThat(message)
                .contains("the state repository does not answer").contains("Connection refused"));

        state.severed = false;
        assertThat(readiness().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void upWhenOnlyReceiving() throws Exception {
        int port = ReceivingContext.freePort();
        start(ManagedConsumer.options(graph, port, dir).set("manageSubscription", false), port);

        HealthCheck.Result result = readiness();

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(consumer.status()).isNull();
        assertThat(subscription().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(String.valueOf(subscription().getDetails().get("subscription"))).contains("manageSubscription=false");
        assertThat(graph.emulator().subscriptions().live()).isEmpty();
    }
}
