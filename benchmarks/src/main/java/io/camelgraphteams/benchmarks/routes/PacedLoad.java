package io.camelgraphteams.benchmarks.routes;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate, as Graph sends: one batch every {@code 1 / batchesPerSecond} seconds whatever the
 * answers, each posted without waiting for the previous one. A batch's latency counts from the time it was due, so a
 * pacer that falls behind shows as latency instead of hiding it. At most {@code maxInFlight} batches are in flight;
 * beyond that the pacer waits (and the wait shows in the latencies too).
 */
final class PacedLoad {

    private final BatchPoster poster;
    private final NotificationFactory factory;
    private final int batchSize;
    private final int maxInFlight;
    private final double batchesPerSecond;
    private volatile boolean running;
    private Thread pacer;

    PacedLoad(BatchPoster poster, NotificationFactory factory, int batchSize, double batchesPerSecond,
              int maxInFlight) {
        this.poster = poster;
        this.factory = factory;
        this.batchSize = batchSize;
        this.batchesPerSecond = batchesPerSecond;
        this.maxInFlight = maxInFlight;
    }

    void start() {
        running = true;
        pacer = new Thread(this::pace, "bench-pacer");
        pacer.setDaemon(true);
        pacer.start();
    }

    /** Stops pacing and waits, at most {@code drainTimeout}, until every batch posted was answered 202. */
    boolean stop(Duration drainTimeout) throws InterruptedException {
        running = false;
        pacer.join();
        return poster.awaitIdle(drainTimeout);
    }

    private void pace() {
        long period = (long) (1e9 / batchesPerSecond);
        long due = System.nanoTime();
        while (running) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            if (poster.inFlight() >= maxInFlight) {
                LockSupport.parkNanos(200_000);
                continue;
            }
            poster.postAsync(factory.nextBatch(batchSize), due);
            due += period;
        }
    }
}
