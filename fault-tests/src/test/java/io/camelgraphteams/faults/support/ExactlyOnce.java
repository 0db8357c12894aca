package io.camelgraphteams.faults.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The check every fault test ends with: wait until the sink holds every posted version and everything has settled
 * (Graph retries nothing any more, no exchange is in progress, the sink has stopped growing), then compare what the
 * sink holds with what was posted: each version exactly once.
 */
public final class ExactlyOnce {

    /** How long the quiet state must hold before the sink is judged: a redelivery still on its way shows up in it. */
    public static final Duration QUIET = Duration.ofMillis(1500);

    private ExactlyOnce() {
    }

    /**
     * @param sinkName   named in the failure message
     * @param sink       reads the whole sink
     * @param posted     what the test posted
     * @param deliveries the emulator's delivery log
     * @param inflight   exchanges in progress in the app (0 when the app is in another JVM and cannot be asked)
     * @param atMost     how long to wait for the last version to arrive
     */
    public static void assertEventually(String sinkName, Supplier<List<SinkLine>> sink, PostedVersions posted,
                                        Deliveries deliveries, IntSupplier inflight, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> posted.allIn(sink.get()));
        } catch (ConditionTimeoutException e) {
            // says which versions are missing (and whether some are doubled)
            posted.assertExactlyOnce(sinkName + " after " + atMost, sink.get());
            throw e;
        }
        AtomicInteger lastSize = new AtomicInteger(-1);
        await("Graph and the app settle").atMost(Duration.ofSeconds(60)).during(QUIET)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    int size = sink.get().size();
                    boolean stable = lastSize.getAndSet(size) == size;
                    return stable && deliveries.awaitingRetry() == 0 && inflight.getAsInt() == 0;
                });
        posted.assertExactlyOnce(sinkName, sink.get());
    }
}
