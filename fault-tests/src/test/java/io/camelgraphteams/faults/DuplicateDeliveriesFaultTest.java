package io.camelgraphteams.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
 * Scenario 6: Graph delivers every notification batch twice (at-least-once delivery taken to the limit). The
 * consumer's idempotent repository recognises the second copy of each item (message id, change type, etag) and
 * acknowledges it without an exchange: every version, creations and edits, reaches the sink once.
 */
class DuplicateDeliveriesFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(DuplicateDeliveriesFaultTest.class);
    private static final int STEPS = 200;

    @TempDir
    Path directory;

    @Test
    void everyBatchDeliveredTwiceReachesTheSinkOnce() throws Exception {
        PostedVersions posted = new PostedVersions();
        FileSink sink = new FileSink(directory.resolve("sink/messages.jsonl"));
        try (FaultGraph graph = FaultGraph.start(directory)) {
            int port = AvailablePortFinder.getNextAvailable();
            try (ReceivingApp app = ReceivingApp.builder(graph, port)
                    .route("chats", "chats/getAllMessages", Map.of())
                    .route("channels", "teams/getAllMessages", Map.of())
                    .sink(sink.uri())
                    .start();
                    TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 4)) {
                graph.emulator().chaos().duplicateDeliveries(1.0);
                traffic.start(STEPS, Duration.ofMillis(20));
                traffic.awaitDone(Duration.ofSeconds(60));

                Deliveries deliveries = new Deliveries(graph.emulator());
                ExactlyOnce.assertEventually("the sink file", sink::lines, posted, deliveries, app::inflight,
                        Duration.ofSeconds(90));

                long sent = deliveries.notifications().stream().filter(r -> !r.duplicate()).count();
                long skipped = app.consumer("chats").getDuplicatesSkipped()
                               + app.consumer("channels").getDuplicatesSkipped();
                LOG.info("{} versions posted, {} batches, {} duplicate batches, {} items skipped as duplicates",
                        posted.size(), sent, deliveries.duplicates().size(), skipped);
                assertThat((long) deliveries.duplicates().size()).as("every batch sent a second time").isEqualTo(sent);
                // acknowledged, not refused: a refusal would make Graph send the copy again (a copy that found the
                // machine too busy to answer within Graph's 3 s shows as status 0, which proves nothing either way)
                assertThat(deliveries.duplicates().stream().filter(r -> r.status() >= 300).count())
                        .as("second copies refused").isZero();
                assertThat(deliveries.duplicates().stream().filter(r -> r.status() == 202).count())
                        .as("second copies acknowledged with 202").isPositive();
                assertThat(skipped).as("the second copy of every version").isGreaterThanOrEqualTo(posted.size());
            }
        }
    }
}
