package io.camelgraphteams.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.faults.support.Deliveries;
import io.camelgraphteams.faults.support.ExactlyOnce;
import io.camelgraphteams.faults.support.FaultGraph;
import io.camelgraphteams.faults.support.FileSink;
import io.camelgraphteams.faults.support.PostedVersions;
import io.camelgraphteams.faults.support.ReceivingApp;
import io.camelgraphteams.faults.support.SinkLine;
import io.camelgraphteams.faults.support.TeamsTraffic;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 3: Graph drops one delivery in ten (never sent, never retried: what Graph does to an endpoint it judges
 * unhealthy, and what a lost notification looks like). The periodic sweep ({@code backfillInterval}) lists each known
 * conversation's messages modified since its watermark and emits those the consumer has not delivered yet, marked
 * {@code CamelGraphTeamsSource=backfill}. Every message reaches the sink exactly once: the dropped ones through the
 * sweep, the others live (and the sweep's copies of those are recognised as duplicates).
 */
class DroppedDeliveriesFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(DroppedDeliveriesFaultTest.class);
    private static final int STEPS = 200;

    @TempDir
    Path directory;

    @Test
    void droppedDeliveriesAreBackfilledBySweepAndArriveOnce() throws Exception {
        PostedVersions posted = new PostedVersions();
        FileSink sink = new FileSink(directory.resolve("sink/messages.jsonl"));
        try (FaultGraph graph = FaultGraph.start(directory)) {
            int port = AvailablePortFinder.getNextAvailable();
            Map<String, String> sweep = Map.of("backfillInterval", "2000");
            try (ReceivingApp app = ReceivingApp.builder(graph, port)
                    .route("chats", "chats/getAllMessages", sweep)
                    .route("channels", "teams/getAllMessages", sweep)
                    .sink(sink.uri())
                    .start();
                    TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 0)) {
                // the consumer knows every conversation before Graph starts losing notifications
                traffic.greetEveryConversation();
                await().atMost(Duration.ofSeconds(30)).until(() -> posted.allIn(sink.lines()));

                graph.emulator().chaos().dropDeliveries(0.1);
                traffic.start(STEPS, Duration.ofMillis(25));
                traffic.awaitDone(Duration.ofSeconds(60));

                Deliveries deliveries = new Deliveries(graph.emulator());
                ExactlyOnce.assertEventually("the sink file", sink::lines, posted, deliveries, app::inflight,
                        Duration.ofSeconds(90));

                List<ChatMessage> lost = deliveries.neverSent(posted.all());
                long backfilled = app.consumer("chats").getBackfillStatus().backfilledMessages()
                                  + app.consumer("channels").getBackfillStatus().backfilledMessages();
                LOG.info("{} versions posted, {} deliveries dropped, {} messages never sent live, {} routed by the "
                         + "backfill", posted.size(), deliveries.dropped().size(), lost.size(), backfilled);
                assertThat(deliveries.dropped()).as("deliveries Graph dropped").isNotEmpty();
                assertThat(lost).as("messages only the sweep can have delivered").isNotEmpty();
                Map<String, String> sourceByVersion = sink.lines().stream()
                        .collect(Collectors.toMap(SinkLine::version, SinkLine::source));
                assertThat(lost).as("messages Graph never delivered arrived through the backfill")
                        .allSatisfy(m -> assertThat(sourceByVersion.get(PostedVersions.key(m)))
                                .as(PostedVersions.key(m)).isEqualTo(GraphTeamsConstants.SOURCE_BACKFILL));
                assertThat(backfilled).as("messages the sweeps routed").isGreaterThanOrEqualTo(lost.size());
                assertThat(Set.copyOf(sourceByVersion.values())).containsExactlyInAnyOrder(
                        GraphTeamsConstants.SOURCE_NOTIFICATION, GraphTeamsConstants.SOURCE_BACKFILL);
            }
        }
    }
}
