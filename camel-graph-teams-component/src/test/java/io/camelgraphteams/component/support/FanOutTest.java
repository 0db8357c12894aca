package io.camelgraphteams.component.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a batch's items are spread over the workers: in chunks, each item once, never stuck behind a busy queue. */
class FanOutTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4, runnable -> new Thread(runnable, "worker"));

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void everyItemRunsOnceInAtMostParallelismTasks() {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger tasks = new AtomicInteger();
        CompletableFuture<String> result = FanOut.spread(runnable -> {
            tasks.incrementAndGet();
            pool.execute(runnable);
        }, 50, 4, i -> assertThat(seen.add(i)).isTrue(), i -> { }, () -> CompletableFuture.completedFuture("opened"));

        assertThat(result.join()).isEqualTo("opened");
        assertThat(seen).hasSize(50);
        assertThat(tasks).hasValue(4);
    }

    @Test
    void whatFollowsASpreadRunsOnTheWorkerThatFinishedNotTheCaller() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        Thread caller = Thread.currentThread();
        CompletableFuture<Void> result = FanOut.spread(pool, 8, 4, i -> { }, i -> { }, () -> {
            threads.add(Thread.currentThread() == caller ? "caller" : Thread.currentThread().getName());
            return CompletableFuture.completedFuture(null);
        });

        result.get(10, TimeUnit.SECONDS);
        assertThat(threads).containsExactly("worker");
    }

    @Test
    void itemsNoWorkerCouldTakeAreRefusedOnTheCallingThread() {
        List<Integer> refused = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> result = FanOut.spread(runnable -> {
            throw new RejectedExecutionException("queue full");
        }, 5, 2, i -> { throw new AssertionError("ran " + i); }, refused::add, () -> CompletableFuture.completedFuture(null));

        assertThat(result).isCompleted();
        assertThat(refused).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void sharingNeverWaitsForAQueueThatDoesNotMove() {
        List<String> threads = new CopyOnWriteArrayList<>();
        // an executor whose tasks never run: the caller takes every chunk itself
        CompletableFuture<Void> done = FanOut.share(runnable -> { }, 6, 3,
                i -> threads.add(Thread.currentThread().getName()));

        assertThat(done).isCompleted();
        assertThat(threads).hasSize(6).containsOnly(Thread.currentThread().getName());
    }
}
