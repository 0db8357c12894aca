package io.camelgraphteams.component.backfill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.delivery.ChatMessageFacts;
import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.graph.RetryPolicy;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One emulator per test class, its Graph API behind a recording front; helpers to lose notifications (Graph drops the
 * deliveries, as it does in its drop state) and to check that every change reached the route exactly once.
 */
abstract class BackfillTestSupport {

    static EmulatedGraph graph;
    static RecordingFront graphFront;
    static GraphTimings timings;

    @TempDir
    static Path dir;

    ManagedConsumer consumer;

    @BeforeAll
    static void startGraph() throws Exception {
        graph = EmulatedGraph.start(GraphTimings.graphDefaults().withBatchWindow(Duration.ofMillis(20))
                .withRetryBackoff(Duration.ofMillis(200), Duration.ofMillis(500)));
        timings = graph.emulator().timings();
        graphFront = RecordingFront.http(graph.emulator().graphBaseUrl());
    }

    @AfterAll
    static void stopGraph() {
        graphFront.close();
        graph.close();
    }

    @AfterEach
    void resetGraph() {
        if (consumer != null) {
            consumer.close();
        }
        graph.emulator().chaos().reset();
        graph.emulator().timings(timings);
        graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
        graph.emulator().deliveryLog().clear();
        graphFront.clear();
    }

    /** The managing endpoint's options, its Graph calls going through the recording front. */
    static ManagedConsumer.Options options(int port) {
        return ManagedConsumer.options(graph, port, dir).set("graphBaseUrl", graphFront.baseUrl());
    }

    /** Binds a retry policy whose waits (Retry-After included) pass 20 times faster, at most {@code attempts} tries. */
    static void fastRetries(CamelContext context, int attempts) {
        context.getRegistry().bind("fastRetries", RetryPolicy.defaults().withMaxAttempts(attempts).withTimeScale(20));
    }

    /**
     * Makes changes while Graph drops every delivery, and returns them once each one's notification was dropped (so no
     * copy of it can still arrive).
     */
    static List<ChatMessage> lost(Supplier<List<ChatMessage>> changes) {
        graph.emulator().chaos().dropDeliveries(1.0);
        try {
            List<ChatMessage> changed = changes.get();
            await().atMost(10, TimeUnit.SECONDS).until(() -> droppedChanges().containsAll(
                    changed.stream().map(m -> changeType(m) + " " + m.resourcePath()).toList()));
            return changed;
        } finally {
            graph.emulator().chaos().dropDeliveries(0);
        }
    }

    /** "changeType resource" of every notification item Graph dropped. */
    private static java.util.Set<String> droppedChanges() throws Exception {
        java.util.Set<String> changes = new java.util.HashSet<>();
        for (DeliveryRecord r : graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION)) {
            if (r.outcome() == DeliveryRecord.Outcome.DROPPED) {
                for (com.fasterxml.jackson.databind.JsonNode item : GraphNotifications.JSON.readTree(r.body()).path("value")) {
                    changes.add(item.path("changeType").asText() + " " + item.path("resource").asText());
                }
            }
        }
        return changes;
    }

    static String changeType(ChatMessage m) {
        if (m.isDeleted()) {
            return "deleted";
        }
        return m.lastModifiedDateTime().equals(m.createdDateTime()) ? "created" : "updated";
    }

    /** The exchanges about one message, in arrival order. */
    List<Exchange> exchangesOf(String messageId) {
        return consumer.received().stream()
                .filter(e -> messageId.equals(e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))).toList();
    }

    /** Waits until the change arrived. */
    void awaitArrival(ChatMessage change) {
        await().atMost(15, TimeUnit.SECONDS).until(() -> exchangesOf(change.id()).stream()
                .anyMatch(e -> changeType(change).equals(e.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE))));
    }

    /** Asserts the change arrived exactly once, from the given source; returns that exchange. */
    Exchange assertOnce(ChatMessage change, String source) {
        List<Exchange> copies = exchangesOf(change.id()).stream()
                .filter(e -> changeType(change).equals(e.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE)))
                .toList();
        assertThat(copies).as("exchanges of %s %s", changeType(change), change.id()).hasSize(1);
        Exchange exchange = copies.get(0);
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.SOURCE)).as("source of " + change.id())
                .isEqualTo(source);
        return exchange;
    }

    /** No change of any message reached the route twice (compared by message id, changeType and etag). */
    void assertNothingDoubled() {
        Map<String, Long> counts = consumer.received().stream().collect(Collectors.groupingBy(
                e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID) + " "
                     + e.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE) + " "
                     + ChatMessageFacts.parse(e.getMessage().getBody(String.class)).map(ChatMessageFacts::version)
                             .orElse("?"), Collectors.counting()));
        assertThat(counts).isNotEmpty().allSatisfy((change, count) -> assertThat(count).as(change).isEqualTo(1L));
    }
}
