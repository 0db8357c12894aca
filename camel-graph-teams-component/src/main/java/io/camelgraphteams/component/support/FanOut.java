package io.camelgraphteams.component.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Spreads the items of one batch over the workers in a few contiguous chunks rather than one task per item: the
 * items of a batch cost about the same, and every task handed to a pool costs a queue hand-off and often a wake-up.
 * Each task takes the next chunk nobody took yet, so a chunk never waits for a particular task: where the calling
 * thread helps ({@link #share}), a batch is never slower than the calling thread doing it alone, however long the
 * pool's queue is.
 */
public final class FanOut {

    private FanOut() {
    }

    /**
     * Runs {@code task} for every index below {@code items} in at most {@code parallelism} chunks taken by tasks on
     * {@code executor}; the calling thread only hands them out. Then {@code then} runs on the thread that finished the
     * last chunk (never on the calling thread, unless the executor refused every task), and its outcome is returned.
     *
     * @param rejected run, on the calling thread, for every index of the chunks no task took because the executor
     *                 refused every task
     */
    public static <T> CompletableFuture<T> spread(Executor executor, int items, int parallelism, IntConsumer task,
                                                  IntConsumer rejected, Supplier<CompletableFuture<T>> then) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable last = () -> {
            try {
                then.get().whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        if (items == 0) {
            last.run();
            return result;
        }
        Chunks chunks = new Chunks(items, parallelism, task, last);
        if (submit(executor, chunks, chunks.count) == 0) {
            chunks.refuseAll(rejected);
        }
        return result;
    }

    /**
     * Runs {@code task} for every index below {@code items} in at most {@code parallelism} chunks, taken by the calling
     * thread and by tasks on {@code executor} alike; returns once the calling thread found no chunk left to take.
     * Completes once every index was run.
     */
    public static CompletableFuture<Void> share(Executor executor, int items, int parallelism, IntConsumer task) {
        if (items == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Chunks chunks = new Chunks(items, parallelism, task, () -> done.complete(null));
        submit(executor, chunks, chunks.count - 1);
        chunks.work();
        return done;
    }

    /** Hands out up to {@code tasks} tasks; a refused one needs no care: the others (or the caller) take its chunk. */
    private static int submit(Executor executor, Chunks chunks, int tasks) {
        int submitted = 0;
        for (; submitted < tasks; submitted++) {
            try {
                executor.execute(chunks::work);
            } catch (RejectedExecutionException e) {
                break;
            }
        }
        return submitted;
    }

    private static final class Chunks {
        final int items;
        final int count;
        final IntConsumer task;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger unfinished;
        final Runnable last;

        Chunks(int items, int parallelism, IntConsumer task, Runnable last) {
            this.items = items;
            this.count = Math.max(1, Math.min(items, parallelism));
            this.task = task;
            this.unfinished = new AtomicInteger(this.count);
            this.last = last;
        }

        void work() {
            for (int chunk = next.getAndIncrement(); chunk < count; chunk = next.getAndIncrement()) {
                try {
                    for (int i = from(chunk); i < from(chunk + 1); i++) {
                        task.accept(i);
                    }
                } finally {
                    finished();
                }
            }
        }

        void refuseAll(IntConsumer rejected) {
            for (int chunk = next.getAndIncrement(); chunk < count; chunk = next.getAndIncrement()) {
                for (int i = from(chunk); i < from(chunk + 1); i++) {
                    rejected.accept(i);
                }
                finished();
            }
        }

        private int from(int chunk) {
            return (int) ((long) items * chunk / count);
        }

        private void finished() {
            if (unfinished.decrementAndGet() == 0) {
                last.run();
            }
        }
    }
}
