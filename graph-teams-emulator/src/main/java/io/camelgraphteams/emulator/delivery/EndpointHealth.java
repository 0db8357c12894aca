package io.camelgraphteams.emulator.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.camelgraphteams.emulator.time.GraphTimings;

/**
 * Graph's judgement of one notification endpoint: when more than 10% of its answers within the health window took
 * longer than the delivery timeout (3 s) it is "slow" and new notifications wait the slow penalty (10 min); when more
 * than 15% took the full retry timeout (10 s) or never came it is "drop" and new notifications are discarded for the
 * drop penalty (10 min). A minimum number of answers in the window keeps one slow answer from deciding. Used only on the
 * delivery worker thread.
 */
final class EndpointHealth {

    private record Answer(long atNanos, long elapsedMillis, boolean timedOut) {
    }

    private final Deque<Answer> answers = new ArrayDeque<>();
    // System.nanoTime values: compared by difference only; null while the state was never entered
    private Long slowUntilNanos;
    private Long dropUntilNanos;

    void record(long nowNanos, long elapsedMillis, boolean timedOut, GraphTimings t, int minSamples) {
        answers.addLast(new Answer(nowNanos, elapsedMillis, timedOut));
        prune(nowNanos, t.endpointHealthWindow());
        if (answers.size() < minSamples) {
            return;
        }
        long verySlow = answers.stream().filter(a -> a.timedOut() || a.elapsedMillis() >= t.retryRequestTimeout().toMillis())
                .count();
        long slow = answers.stream().filter(a -> a.timedOut() || a.elapsedMillis() > t.deliveryTimeout().toMillis()).count();
        if (verySlow * 100 > 15L * answers.size()) {
            dropUntilNanos = nowNanos + t.dropStatePenalty().toNanos();
            answers.clear();
        } else if (slow * 100 > 10L * answers.size()) {
            slowUntilNanos = nowNanos + t.slowStatePenalty().toNanos();
            answers.clear();
        }
    }

    private void prune(long nowNanos, Duration window) {
        while (!answers.isEmpty() && nowNanos - answers.peekFirst().atNanos() > window.toNanos()) {
            answers.removeFirst();
        }
    }

    boolean dropping(long nowNanos) {
        return dropUntilNanos != null && dropUntilNanos - nowNanos > 0;
    }

    /** Nanoseconds new notifications must still wait; 0 when the endpoint is not slow. */
    long slowDelayNanos(long nowNanos) {
        return slowUntilNanos == null ? 0 : Math.max(0, slowUntilNanos - nowNanos);
    }
}
