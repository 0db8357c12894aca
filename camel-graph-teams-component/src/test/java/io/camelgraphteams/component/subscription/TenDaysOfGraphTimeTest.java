package io.camelgraphteams.component.subscription;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.graph.RetryPolicy;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4: ten days of Graph time keep one subscription alive through 429/503 storms on its renewals (PATCH) and a
 * reauthorizationRequired every five minutes, with no gap in delivery.
 *
 * <p>Time is compressed by one factor, {@link #COMPRESSION}: one Graph day lasts 4 s, the ten days 40 s. Compressed
 * by it are Graph's subscription times (maximum lifetime 4,320 min, lifecycle URL required above 1 h), the endpoint's
 * subscriptionLifetime (Graph's maximum minus the 60-minute margin), renewBefore and reauthorizationInterval (10 min),
 * the Retry-After Graph sends (the component's RetryPolicy divides waits by the same factor), Graph's delivery retry
 * backoff and window, and the pace of the lifecycle events and storms. Not compressed: the timeouts that bound a real
 * HTTP round trip (Graph's 3 s delivery and 10 s handshake limits) and the manager's own smallest retry delay (500 ms),
 * because the wire does not get faster. renewBefore is one day rather than the default hour so that several manager
 * retries (500 ms each, 3 Graph hours) fit before expiry.
 */
class TenDaysOfGraphTimeTest {

    private static final Logger LOG = LoggerFactory.getLogger(TenDaysOfGraphTimeTest.class);

    /** Graph time per real time: 1 Graph day = 4 s. */
    static final long COMPRESSION = 21_600;
    static final Duration GRAPH_RUN = Duration.ofDays(10);
    static final Duration REAUTHORIZATION_REQUIRED_EVERY = Duration.ofMinutes(5);
    /** A storm starts this long before a renewal is due. */
    static final Duration STORM_LEAD = Duration.ofHours(1);

    @TempDir
    Path dir;

    EmulatedGraph graph;
    RecordingFront wire;
    ReceivingContext receiving;
    MessageFeed feed;
    SubscriptionLapseWatch watch;
    ScheduledExecutorService drivers;

    @AfterEach
    void stop() {
        if (drivers != null) {
            drivers.shutdownNow();
        }
        if (feed != null) {
            feed.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (receiving != null) {
            receiving.close();
        }
        if (wire != null) {
            wire.close();
        }
        if (graph != null) {
            graph.close();
        }
    }

    /** A Graph-time duration in real time. */
    static Duration real(Duration graphTime) {
        return Duration.ofNanos(graphTime.toNanos() / COMPRESSION);
    }

    /** A real-time duration in Graph time. */
    static Duration graphTime(Duration real) {
        return real.multipliedBy(COMPRESSION);
    }

    @Test
    void tenDaysOfStormsAndReauthorizationsKeepTheSubscriptionAliveWithoutAGapInDelivery() throws Exception {
        graph = EmulatedGraph.start(GraphTimings.graphDefaults()
                .withMaxSubscriptionLifetime(real(Duration.ofMinutes(4320)))
                .withLifecycleUrlRequiredAbove(real(Duration.ofHours(1)))
                .withRetryBackoff(real(Duration.ofSeconds(10)), real(Duration.ofMinutes(15)))
                .withRetryWindow(real(Duration.ofHours(4)))
                .withBatchWindow(Duration.ofMillis(20)));
        GraphEmulator emulator = graph.emulator();
        // every Graph call passes a recording front, so the 429/503 answers are counted on the wire, per method
        wire = RecordingFront.http(emulator.graphBaseUrl());
        int port = ReceivingContext.freePort();
        String uri = "graph-teams:chats/getAllMessages?"
                     + graph.managedOptions(port, dir).replace("&graphBaseUrl=" + emulator.graphBaseUrl(),
                             "&graphBaseUrl=" + wire.baseUrl())
                     + "&subscriptionLifetime=" + real(Duration.ofMinutes(4320 - 60)).toMillis()
                     + "&renewBefore=" + real(Duration.ofDays(1)).toMillis()
                     + "&reauthorizationInterval=" + real(Duration.ofMinutes(10)).toMillis();
        // Retry-After is in Graph seconds; the budget of a call bounds real round trips, which do not compress
        RetryPolicy compressed = RetryPolicy.defaults().withTimeScale(COMPRESSION)
                .withMaxElapsed(graphTime(Duration.ofSeconds(1)));
        receiving = ReceivingContext.start(port, context -> {
            graph.bindTls(context);
            context.getRegistry().bind("compressedRetries", compressed);
        }, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("ten-days").to("direct:received");
            }
        });
        GraphTeamsConsumer consumer = (GraphTeamsConsumer) receiving.context().getRoute("ten-days").getConsumer();
        String subscriptionId = consumer.getSubscriptionStatus().subscriptionId();
        assertThat(subscriptionId).isNotNull();

        watch = SubscriptionLapseWatch.start(emulator, Duration.ofMillis(5));
        feed = MessageFeed.start(emulator, CHAT, USER_A);
        drivers = Executors.newScheduledThreadPool(2);
        AtomicLong reauthorizationsAsked = new AtomicLong();
        AtomicLong lifecycleEventsRefused = new AtomicLong();
        drivers.scheduleAtFixedRate(() -> {
            try {
                emulator.sendLifecycleEvent(consumer.getSubscriptionStatus().subscriptionId(),
                        LifecycleEvent.REAUTHORIZATION_REQUIRED);
                reauthorizationsAsked.incrementAndGet();
            } catch (RuntimeException e) {
                // the emulator holds no such subscription: a lapse, which the watch reports too
                lifecycleEventsRefused.incrementAndGet();
            }
        }, 0, real(REAUTHORIZATION_REQUIRED_EVERY).toNanos(), TimeUnit.NANOSECONDS);
        StormsOnRenewals storms = new StormsOnRenewals(emulator, consumer, wire);
        drivers.scheduleWithFixedDelay(storms::conduct, 0, 5, TimeUnit.MILLISECONDS);

        long started = System.nanoTime();
        // the run lasts ten Graph days; a lapse ends it at once
        await().atMost(real(GRAPH_RUN).plusSeconds(2)).pollInterval(Duration.ofMillis(100))
                .failFast("Graph held no subscription", () -> !watch.lapses().isEmpty())
                .until(() -> Duration.ofNanos(System.nanoTime() - started).compareTo(real(GRAPH_RUN)) >= 0);
        Duration ran = graphTime(Duration.ofNanos(System.nanoTime() - started));
        drivers.shutdownNow();
        drivers.awaitTermination(5, TimeUnit.SECONDS);
        emulator.chaos().reset();
        feed.stop();
        List<String> posted = feed.posted();

        await().atMost(15, TimeUnit.SECONDS).until(() -> receivedMessageIds().containsAll(posted));
        watch.close();
        SubscriptionStatus status = consumer.getSubscriptionStatus();
        List<RecordingFront.Request> patches = wire.requests("PATCH", "/subscriptions/" + subscriptionId);
        Map<Integer, Long> patchAnswers = patches.stream()
                .collect(Collectors.groupingBy(RecordingFront.Request::status, Collectors.counting()));
        Map<Integer, Long> reauthorizeAnswers = wire.requests("POST", "/subscriptions/" + subscriptionId + "/reauthorize")
                .stream().collect(Collectors.groupingBy(RecordingFront.Request::status, Collectors.counting()));
        LOG.info("Ten days of Graph time ({} real, {} of Graph time): {} messages posted, {} received; {} renewals, {} "
                 + "reauthorizations after {} reauthorizationRequired ({} refused by the emulator), {} lifecycle events "
                 + "handled; {} storms; PATCH answers {}, reauthorize answers {}; {} Graph calls retried, {} failed "
                 + "operations; {} lapse-watch samples, least time left before expiry {} of Graph time; {}",
                Duration.ofNanos(System.nanoTime() - started), ran, posted.size(), receiving.received().size(),
                status.renewals(), status.reauthorizations(), reauthorizationsAsked.get(), lifecycleEventsRefused.get(),
                status.lifecycleEvents(), storms.count(), patchAnswers, reauthorizeAnswers, consumer.getGraphRetries(),
                status.failures(), watch.samples(), graphTime(watch.leastHeadroom()), reauthorizationSpacing(subscriptionId));

        // the subscription never lapsed: Graph always held exactly this one, and it was never recreated
        assertThat(watch.lapses()).as("moments Graph held no subscription").isEmpty();
        assertThat(watch.subscriptionIdsSeen()).containsExactly(subscriptionId);
        assertThat(watch.samples()).isGreaterThan(1000);
        assertThat(lifecycleEventsRefused.get()).isZero();
        assertThat(status.subscriptionId()).isEqualTo(subscriptionId);
        assertThat(status.creations()).isEqualTo(1);
        assertThat(status.recreations()).isZero();
        assertThat(emulator.subscriptions().find(subscriptionId)).isPresent();

        // no gap in delivery: every message posted arrived in the route exactly once
        List<String> received = receivedMessageIds();
        assertThat(posted).hasSizeGreaterThan(100).doesNotHaveDuplicates();
        assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(posted);
        assertThat(emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION))
                .noneMatch(r -> r.outcome() == DeliveryRecord.Outcome.DROPPED
                                || r.outcome() == DeliveryRecord.Outcome.GAVE_UP
                                || r.outcome() == DeliveryRecord.Outcome.ABANDONED);

        // renewals and reauthorizations happened: a renewal about every two Graph days, reauthorizations all along
        assertThat(status.renewals()).isGreaterThanOrEqualTo(4);
        assertThat(status.reauthorizations()).isGreaterThan(reauthorizationsAsked.get() / 2);
        assertThat(status.lifecycleEvents()).isGreaterThanOrEqualTo(reauthorizationsAsked.get() * 9 / 10);

        // the storms were real: renewals met 429 with Retry-After and 503 on the wire, and were retried
        assertThat(storms.count()).isGreaterThanOrEqualTo(4);
        assertThat(patchAnswers.getOrDefault(429, 0L)).isPositive();
        assertThat(patchAnswers.getOrDefault(503, 0L)).isPositive();
        assertThat(patchAnswers.getOrDefault(200, 0L)).isEqualTo(status.renewals());
        assertThat(consumer.getGraphRetries()).isPositive();
    }

    /**
     * Graph's rule "never PATCH and reauthorize one subscription within 10 minutes", measured on the wire. Reported,
     * not asserted: the manager skips a reauthorization soon after a renewal, but a renewal (or its retry) soon after a
     * reauthorization is only avoided when the renewal is planned, and the emulator does not enforce the rule.
     */
    private String reauthorizationSpacing(String subscriptionId) {
        long interval = real(Duration.ofMinutes(10)).toNanos();
        List<Long> patches = wire.requests("PATCH", "/subscriptions/" + subscriptionId).stream()
                .filter(r -> r.status() == 200).map(RecordingFront.Request::receivedNanos).toList();
        List<Long> reauthorizations = wire.requests("POST", "/subscriptions/" + subscriptionId + "/reauthorize").stream()
                .filter(r -> r.status() == 204).map(RecordingFront.Request::receivedNanos).toList();
        long patchesSoonAfterReauthorization = patches.stream()
                .filter(p -> reauthorizations.stream().anyMatch(r -> r <= p && p - r < interval)).count();
        long reauthorizationsSoonAfterPatch = reauthorizations.stream()
                .filter(r -> patches.stream().anyMatch(p -> p <= r && r - p < interval)).count();
        return patchesSoonAfterReauthorization + " of " + patches.size() + " renewals within 10 Graph minutes after a "
               + "reauthorization, " + reauthorizationsSoonAfterPatch + " reauthorizations within 10 Graph minutes "
               + "after a renewal";
    }

    private List<String> receivedMessageIds() {
        return receiving.received().stream().map(Exchange::getMessage)
                .map(m -> m.getHeader(GraphTeamsConstants.MESSAGE_ID, String.class)).toList();
    }

    /**
     * A storm per renewal: from shortly before the renewal is due, Graph answers most calls 429 with Retry-After (odd
     * storms) or 503 (even storms) until the renewal's PATCH has met it three times, or for at most eight Graph hours.
     * Reauthorizations that fall in a storm meet it too; the manager's retry after the storm gets through.
     */
    static final class StormsOnRenewals {

        private static final int PATCH_FAULTS_PER_STORM = 3;
        private static final Duration LONGEST = Duration.ofHours(8);

        private final GraphEmulator emulator;
        private final GraphTeamsConsumer consumer;
        private final RecordingFront wire;
        private long stormedAtRenewals = -1;
        private long stormStartedNanos;
        private boolean storming;
        private int count;

        StormsOnRenewals(GraphEmulator emulator, GraphTeamsConsumer consumer, RecordingFront wire) {
            this.emulator = emulator;
            this.consumer = consumer;
            this.wire = wire;
        }

        synchronized void conduct() {
            SubscriptionStatus status = consumer.getSubscriptionStatus();
            if (storming) {
                long patchFaults = wire.requests("PATCH", "/subscriptions/" + status.subscriptionId()).stream()
                        .filter(r -> r.receivedNanos() >= stormStartedNanos && (r.status() == 429 || r.status() == 503))
                        .count();
                if (patchFaults >= PATCH_FAULTS_PER_STORM
                        || System.nanoTime() - stormStartedNanos > real(LONGEST).toNanos()) {
                    emulator.chaos().reset();
                    storming = false;
                }
                return;
            }
            Instant due = status.nextRenewal();
            if (status.renewals() > stormedAtRenewals && due != null
                    && !Instant.now().isBefore(due.minus(real(STORM_LEAD)))) {
                stormedAtRenewals = status.renewals();
                stormStartedNanos = System.nanoTime();
                storming = true;
                count++;
                if (count % 2 == 1) {
                    // Graph sends Retry-After in whole seconds: 30 Graph seconds
                    emulator.chaos().throttleGraphCalls(0.9, Duration.ofSeconds(30));
                } else {
                    emulator.chaos().failGraphCalls(0.9);
                }
            }
        }

        synchronized int count() {
            return count;
        }
    }
}
