package io.camelgraphteams.emulator.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.camelgraphteams.emulator.time.GraphTimings;

/**
 * Graph's judgement of one notification endpoint, as Microsoft documents it: an answer slower than 2,900 ms (29/30 of
 * the 3 s delivery timeout, so compressed timings compress it too) or no answer at all counts as slow; once the window
 * holds at least the minimum number of answers (Graph: 100), 10 % or more slow puts the endpoint in the slow state (new
 * notifications wait the slow penalty, about 10 min) and 15 % or more in the drop state (new notifications are
 * discarded for the drop penalty). Used only on the delivery worker thread.
 */
final class EndpointHealth {

    private record Answer(long atNanos, boolean slow) {
    }

    private final Deque<Answer> answers = new ArrayDeque<>();
    // System.nanoTime values: compared by difference only; null while the state was never entered
    private Long slowUntilNanos;
    private Long dropUntilNanos;
    private long slowAnswersEver;
    private int throttled;
    private int dropping;

    /** The slowest answer that still counts as on time. */
    static long slowAfterMillis(GraphTimings t) {
        return t.deliveryTimeout().toMillis() * 29 / 30;
    }

    void record(long nowNanos, long elapsedMillis, boolean timedOut, GraphTimings t, int minSamples) {
        boolean slow = timedOut || elapsedMillis > slowAfterMillis(t);
        if (slow) {
            slowAnswersEver++;
        }
        answers.addLast(new Answer(nowNanos, slow));
        prune(nowNanos, t.endpointHealthWindow());
        if (minSamples <= 0 || answers.size() < minSamples) {
            return;
        }
        long slowInWindow = answers.stream().filter(Answer::slow).count();
        if (slowInWindow * 100 >= 15L * answers.size()) {
            dropUntilNanos = nowNanos + t.dropStatePenalty().toNanos();
            dropping++;
            answers.clear();
        } else if (slowInWindow * 100 >= 10L * answers.size()) {
            slowUntilNanos = nowNanos + t.slowStatePenalty().toNanos();
            throttled++;
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

    EndpointJudgement judgement(String url) {
        return new EndpointJudgement(url, answers.size(), answers.stream().filter(Answer::slow).count(),
                slowAnswersEver, throttled, dropping);
    }
}
