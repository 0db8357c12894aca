package io.camelgraphteams.component.subscription;

import java.nio.file.Path;

import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One emulator per test class with a recording front in front of its Graph API, so tests can see every call the
 * consumer made; each test starts from no subscriptions, an empty delivery log and the emulator's own timings.
 */
abstract class RecordedGraphTestSupport {

    static EmulatedGraph graph;
    static RecordingFront graphFront;
    static GraphTimings timings;

    @TempDir
    static Path dir;

    ManagedConsumer consumer;

    @BeforeAll
    static void startGraph() throws Exception {
        graph = EmulatedGraph.start();
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
        graph.emulator().timings(timings);
        graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
        graph.emulator().deliveryLog().clear();
        graphFront.clear();
    }

    /** The managing endpoint's options, its Graph calls going through the recording front. */
    static ManagedConsumer.Options options(int port) {
        return ManagedConsumer.options(graph, port, dir).set("graphBaseUrl", graphFront.baseUrl());
    }
}
