package io.camelgraphteams.component.health;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4, Operability: the "graph-teams" dev console, found the way Camel finds consoles (META-INF services), shows
 * each consumer's subscription (id, expiry, what the reconcile loop did) and its notification counters, as text and
 * as JSON.
 */
class GraphTeamsDevConsoleTest {

    static EmulatedGraph graph;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startGraph() {
        graph = EmulatedGraph.start();
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void textAndJsonShowTheSubscriptionAndCounters() throws Exception {
        int port = ReceivingContext.freePort();
        try (ManagedConsumer consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages",
                ManagedConsumer.options(graph, port, dir))) {
            String id = consumer.subscriptionId();
            graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "counted"));
            graph.emulator().sendLifecycleEvent(id, LifecycleEvent.REAUTHORIZATION_REQUIRED);
            await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.received().size() == 1
                                                            && consumer.status().reauthorizations() == 1);

            // the backfill lists the chat the message came from, and finds the message delivered already
            consumer.consumer().backfillNow().get(10, TimeUnit.SECONDS);

            DevConsole console = PluginHelper.getDevConsoleResolver(consumer.context()).resolveDevConsole("graph-teams");
            assertThat(console).as("graph-teams dev console").isNotNull();
            assertThat(console.supportMediaType(DevConsole.MediaType.TEXT)).isTrue();
            assertThat(console.supportMediaType(DevConsole.MediaType.JSON)).isTrue();

            String text = (String) console.call(DevConsole.MediaType.TEXT);
            assertThat(text).contains("Route: " + ManagedConsumer.ROUTE_ID)
                    .contains("Resource: chats/getAllMessages")
                    .contains("Subscription: " + id + " expires " + consumer.status().expiration())
                    .contains("Created/adopted/renewed/reauthorized/recreated: 1/0/0/1/0")
                    .contains("itemsForwarded: 1")
                    .contains("lifecycleEvents: 1")
                    .contains("duplicatesSkipped: 1")
                    .contains("Backfill: leading, conversations 1, runs 1 (failed 0), messages 0");

            Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);
            List<Map<String, Object>> consumers = (List<Map<String, Object>>) json.get("consumers");
            assertThat(consumers).hasSize(1);
            Map<String, Object> entry = consumers.get(0);
            assertThat(entry).containsEntry("routeId", ManagedConsumer.ROUTE_ID).containsEntry("listening", true);
            Map<String, Object> subscription = (Map<String, Object>) entry.get("subscription");
            assertThat(subscription).containsEntry("subscriptionId", id)
                    .containsEntry("managing", true)
                    .containsEntry("creations", 1L)
                    .containsEntry("reauthorizations", 1L)
                    .containsEntry("lifecycleEvents", 1L)
                    .containsEntry("expiration", consumer.status().expiration().toString());
            Map<String, Object> counters = (Map<String, Object>) entry.get("counters");
            // the message and the lifecycle notification; both URLs passed the handshake
            assertThat(counters).containsEntry("itemsReceived", 2L).containsEntry("itemsForwarded", 1L)
                    .containsEntry("lifecycleEvents", 1L).containsEntry("handshakes", 2L)
                    .containsEntry("batchesRefused", 0L).containsEntry("duplicatesSkipped", 1L);
            Map<String, Object> backfill = (Map<String, Object>) entry.get("backfill");
            assertThat(backfill).containsEntry("enabled", true).containsEntry("leading", true)
                    .containsEntry("conversations", 1).containsEntry("runs", 1L).containsEntry("failedRuns", 0L)
                    .containsEntry("backfilledMessages", 0L).containsEntry("lastError", null);
        } finally {
            graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
        }
    }
}
