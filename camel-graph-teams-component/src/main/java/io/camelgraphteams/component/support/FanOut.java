package io.camelgraphteams.component.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Spreads the items of one batch over the workers in a few contiguous chunks rather than one task per item: the
 * items of a batch cost about the same, and every task handed to a pool costs a queue hand-off and often a wake-up.
 */
public final class FanOut {

    private FanOut() {
    }

    /**
     * Runs {@code task} for every index below {@code items} on {@code executor}, in at most {@code parallelism}
     * tasks. Completes (never exceptionally) once every index was run or refused.
     *
     * @param rejected run, on the calling thread, for every index of a chunk the executor refused
     */
    public static CompletableFuture<Void> forEach(Executor executor, int items, int parallelism, IntConsumer task,
                                                  IntConsumer rejected) {
        if (items == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int chunks = Math.max(1, Math.min(items, parallelism));
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(chunks);
        for (int chunk = 0; chunk < chunks; chunk++) {
            int from = (int) ((long) items * chunk / chunks);
            int to = (int) ((long) items * (chunk + 1) / chunks);
            Runnable run = () -> {
                try {
                    for (int i = from; i < to; i++) {
                        task.accept(i);
                    }
                } finally {
                    if (remaining.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                }
            };
            try {
                executor.execute(run);
            } catch (RejectedExecutionException e) {
                for (int i = from; i < to; i++) {
                    rejected.accept(i);
                }
                if (remaining.decrementAndGet() == 0) {
                    done.complete(null);
                }
            }
        }
        return done;
    }
}
