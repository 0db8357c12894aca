package io.camelgraphteams.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.subscriptions.Subscription;
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
 * Scenario 5: Graph removes both subscriptions (chats and channels) while messages keep coming, and tells the
 * consumer with a {@code subscriptionRemoved} lifecycle notification. Messages posted between the removal and the new
 * subscription produce no notification at all. The consumer creates a new subscription and backfills each known
 * conversation from its watermark: the messages of the gap arrive marked {@code backfill}, and every message reaches
 * the sink exactly once. No periodic sweep here: it is the gap event that triggers the backfill.
 */
class SubscriptionRemovedFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRemovedFaultTest.class);
    private static final int STEPS = 160;

    @TempDir
    Path directory;

    @Test
    void messagesPostedWhileTheSubscriptionIsGoneAreBackfilledOnce() throws Exception {
        PostedVersions posted = new PostedVersions();
        FileSink sink = new FileSink(directory.resolve("sink/messages.jsonl"));
        try (FaultGraph graph = FaultGraph.start(directory)) {
            int port = AvailablePortFinder.getNextAvailable();
            try (ReceivingApp app = ReceivingApp.builder(graph, port)
                    .route("chats", "chats/getAllMessages", Map.of())
                    .route("channels", "teams/getAllMessages", Map.of())
                    .sink(sink.uri())
                    .start();
                    TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 0)) {
                traffic.greetEveryConversation();
                await().atMost(Duration.ofSeconds(30)).until(() -> posted.allIn(sink.lines()));
                List<String> before = graph.emulator().subscriptions().live().stream().map(Subscription::id).toList();
                assertThat(before).hasSize(2);

                traffic.start(STEPS, Duration.ofMillis(30));
                await().atMost(Duration.ofSeconds(60)).until(() -> traffic.steps() >= STEPS / 3);
                LOG.info("Graph removes subscriptions {} after {} steps", before, traffic.steps());
                // Graph's lifecycle notification comes some time after the removal: here 750 ms, so the gap holds
                // messages whatever the machine's speed (the live notifications that follow are held back as long)
                graph.emulator().chaos().delayDeliveries(Duration.ofMillis(750));
                for (String id : before) {
                    graph.emulator().sendLifecycleEvent(id, LifecycleEvent.SUBSCRIPTION_REMOVED);
                }
                traffic.awaitDone(Duration.ofSeconds(60));
                await("new subscriptions").atMost(Duration.ofSeconds(60))
                        .until(() -> graph.emulator().subscriptions().live().size() == 2);

                Deliveries deliveries = new Deliveries(graph.emulator());
                ExactlyOnce.assertEventually("the sink file", sink::lines, posted, deliveries, app::inflight,
                        Duration.ofSeconds(90));

                List<String> after = graph.emulator().subscriptions().live().stream().map(Subscription::id).toList();
                assertThat(after).as("recreated").hasSize(2).doesNotContainAnyElementsOf(before);
                assertThat(app.consumer("chats").getSubscriptionStatus().recreations()).isEqualTo(1);
                assertThat(app.consumer("channels").getSubscriptionStatus().recreations()).isEqualTo(1);
                List<ChatMessage> gap = deliveries.neverSent(posted.all());
                long backfilled = app.consumer("chats").getBackfillStatus().backfilledMessages()
                                  + app.consumer("channels").getBackfillStatus().backfilledMessages();
                LOG.info("{} versions posted, {} of them in the gap (never notified), {} routed by the backfill",
                        posted.size(), gap.size(), backfilled);
                assertThat(gap).as("messages posted while no subscription existed").hasSizeGreaterThan(5);
                assertThat(backfilled).as("messages the backfill routed").isGreaterThanOrEqualTo(gap.size());
                Map<String, String> sourceByVersion = sink.lines().stream()
                        .collect(Collectors.toMap(SinkLine::version, SinkLine::source));
                assertThat(gap).as("messages of the gap arrived through the backfill")
                        .allSatisfy(m -> assertThat(sourceByVersion.get(PostedVersions.key(m)))
                                .as(PostedVersions.key(m)).isEqualTo(GraphTeamsConstants.SOURCE_BACKFILL));
            }
        }
    }
}
