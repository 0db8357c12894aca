package io.camelgraphteams.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.faults.support.Deliveries;
import io.camelgraphteams.faults.support.ExactlyOnce;
import io.camelgraphteams.faults.support.FaultGraph;
import io.camelgraphteams.faults.support.FileSink;
import io.camelgraphteams.faults.support.PostedVersions;
import io.camelgraphteams.faults.support.ReceivingApp;
import io.camelgraphteams.faults.support.TeamsTraffic;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1: the route fails one exchange in five at random. The consumer answers a batch with a failed exchange 503,
 * Graph redelivers the whole batch, the items of it that had already gone through are recognised as duplicates and
 * acknowledged without a second exchange, the failed ones are tried again. Every message version reaches the sink
 * exactly once.
 */
class RouteFailuresFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFailuresFaultTest.class);
    private static final int STEPS = 200;

    @TempDir
    Path directory;

    @Test
    void everyVersionOnceWhenTheRouteFailsOneExchangeInFive() throws Exception {
        PostedVersions posted = new PostedVersions();
        FileSink sink = new FileSink(directory.resolve("sink/messages.jsonl"));
        AtomicInteger exchanges = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (FaultGraph graph = FaultGraph.start(directory,
                // Graph's own rule on: after 100 answers, 10 % slow throttles the endpoint, 15 % drops it
                builder -> builder.endpointHealthMinSamples(100))) {
            // a longer batch window than Graph's 100 ms: several items per POST, so a 503 sends back items that had
            // gone through, which is what the redelivery must not double
            graph.emulator().timings(FaultGraph.timings().withBatchWindow(Duration.ofMillis(150)));
            int port = AvailablePortFinder.getNextAvailable();
            try (ReceivingApp app = ReceivingApp.builder(graph, port)
                    .route("chats", "chats/getAllMessages", Map.of())
                    .route("channels", "teams/getAllMessages", Map.of())
                    .beforeSink(exchange -> {
                        exchanges.incrementAndGet();
                        if (ThreadLocalRandom.current().nextInt(5) == 0) {
                            failures.incrementAndGet();
                            throw new IllegalStateException("fault test: this exchange fails");
                        }
                    })
                    .sink(sink.uri())
                    .start();
                    TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 5)) {
                traffic.start(STEPS, Duration.ofMillis(20));
                traffic.awaitDone(Duration.ofSeconds(60));

                Deliveries deliveries = new Deliveries(graph.emulator());
                ExactlyOnce.assertEventually("the sink file", sink::lines, posted, deliveries, app::inflight,
                        Duration.ofSeconds(90));

                long skipped = app.consumer("chats").getDuplicatesSkipped()
                               + app.consumer("channels").getDuplicatesSkipped();
                LOG.info("{} versions posted, {} exchanges, {} failed by the route, {} POSTs answered 503, {} "
                         + "redelivered items skipped as duplicates, highest attempt {}", posted.size(),
                        exchanges.get(), failures.get(), deliveries.answered(503), skipped, deliveries.maxAttempt());
                assertThat(failures.get()).as("exchanges the route failed").isGreaterThanOrEqualTo(STEPS / 10);
                long partlyFailedBatches = deliveries.notifications().stream()
                        .filter(r -> r.itemCount() > 1 && r.status() == 503).count();
                assertThat(partlyFailedBatches).as("batches of several items answered 503 and redelivered").isPositive();
                assertThat(skipped).as("items of redelivered batches that had gone through the first time").isPositive();
                assertThat(exchanges.get()).as("one exchange per version, plus one per failure")
                        .isEqualTo(posted.size() + failures.get());
                assertThat(deliveries.notifications().stream()
                        .filter(r -> r.outcome() == DeliveryRecord.Outcome.GAVE_UP).count())
                        .as("deliveries Graph gave up on").isZero();
                // never late: Graph counts an answer after 2,900 ms as slow, and throttles, then drops, for too many
                deliveries.assertNeverSlow(LOG);
            }
        }
    }
}
