package io.camelgraphteams.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.faults.child.ChildJvm;
import io.camelgraphteams.faults.support.Deliveries;
import io.camelgraphteams.faults.support.ExactlyOnce;
import io.camelgraphteams.faults.support.FaultGraph;
import io.camelgraphteams.faults.support.FileSink;
import io.camelgraphteams.faults.support.PostedVersions;
import io.camelgraphteams.faults.support.TeamsTraffic;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 4: the app runs in a child JVM with a {@code FileIdempotentRepository} and a {@code FileStateRepository},
 * and is killed with SIGKILL while messages keep coming (no graceful stop: exchanges in flight, batches not yet
 * acknowledged, nothing flushed on the way out). It is started again with the same files. The restarted app adopts the
 * subscriptions Graph kept (no new ones), Graph's retries deliver what failed while it was down, the start-up backfill
 * (watermarks found in the state file) lists what changed since, and the dedup file keeps what the first run had
 * already written from being written again. The emulator stays in the test JVM all along.
 */
class AppKillFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(AppKillFaultTest.class);
    private static final int STEPS = 240;
    private static final Duration CHILD_START = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    @Test
    void killedAppRestartedWithDurableStoresDeliversEveryVersionOnce() throws Exception {
        PostedVersions posted = new PostedVersions();
        FileSink sink = new FileSink(directory.resolve("sink/messages.jsonl"));
        Files.createDirectories(sink.file().getParent());
        try (FaultGraph graph = FaultGraph.start(directory)) {
            int port = AvailablePortFinder.getNextAvailable();
            Map<String, String> durable = Map.of("idempotentRepository", "#dedup", "stateRepository", "#state");
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("port", Integer.toString(port));
            settings.put("route.chats", route(graph, port, "chats", "chats/getAllMessages", durable));
            settings.put("route.channels", route(graph, port, "channels", "teams/getAllMessages", durable));
            settings.put("sink", sink.file().toAbsolutePath().toString());
            settings.put("dedup", directory.resolve("dedup.dat").toAbsolutePath().toString());
            settings.put("state", directory.resolve("state.dat").toAbsolutePath().toString());
            settings.put("trustStore", graph.writeTrustStore(directory.resolve("emulator-trust.p12")).toString());
            settings.put("trustStorePassword", FaultGraph.TRUST_STORE_PASSWORD);
            ChildJvm app = new ChildJvm(directory, settings);
            try (TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 0)) {
                app.start(CHILD_START);
                List<String> subscriptions = liveSubscriptions(graph);
                assertThat(subscriptions).hasSize(2);
                traffic.greetEveryConversation();
                await().atMost(Duration.ofSeconds(30)).until(() -> posted.allIn(sink.lines()));

                // one message every 50 ms for 12 s; the app dies after about a quarter of them
                traffic.start(STEPS, Duration.ofMillis(50));
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.lines().size() >= STEPS / 4);
                long pid = app.pid();
                int exit = app.kill();
                int stepsAtKill = traffic.steps();
                LOG.info("Killed the app (pid {}, exit {}) after {} steps, {} lines in the sink", pid, exit,
                        stepsAtKill, sink.lines().size());
                assertThat(exit).as("killed by SIGKILL").isEqualTo(137);

                // messages keep coming while it is down: Graph's deliveries fail (connection refused) and are retried
                await().atMost(Duration.ofSeconds(60)).until(() -> traffic.steps() >= stepsAtKill + 40);
                app.start(CHILD_START);
                LOG.info("Restarted the app after {} steps", traffic.steps());
                assertThat(liveSubscriptions(graph)).as("the restarted app adopted the subscriptions")
                        .containsExactlyInAnyOrderElementsOf(subscriptions);

                traffic.awaitDone(Duration.ofSeconds(90));
                Deliveries deliveries = new Deliveries(graph.emulator());
                try {
                    ExactlyOnce.assertEventually("the sink file", sink::lines, posted, deliveries, () -> 0,
                            Duration.ofSeconds(90));
                } catch (AssertionError e) {
                    LOG.error("The child's log:\n{}", app.log());
                    throw e;
                }
                long backfilled = sink.lines().stream()
                        .filter(l -> GraphTeamsConstants.SOURCE_BACKFILL.equals(l.source())).count();
                LOG.info("{} versions posted, {} failed delivery attempts, {} lines from the backfill",
                        posted.size(), deliveries.failedAttempts(), backfilled);
                assertThat(deliveries.failedAttempts()).as("deliveries that failed while the app was down")
                        .isPositive();
                assertThat(liveSubscriptions(graph)).containsExactlyInAnyOrderElementsOf(subscriptions);
            } finally {
                app.stop();
            }
        }
    }

    private static String route(FaultGraph graph, int port, String id, String resource, Map<String, String> extra) {
        Map<String, String> options = graph.endpointOptions(port, "/graph/" + id);
        options.putAll(extra);
        return FaultGraph.uri(resource, options);
    }

    private static List<String> liveSubscriptions(FaultGraph graph) {
        return graph.emulator().subscriptions().live().stream().map(Subscription::id).toList();
    }
}
