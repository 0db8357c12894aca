package io.camelgraphteams.benchmarks.routes;

/**
 * Saturating load: {@code senders} threads, each making a batch, posting it and waiting for the 202 before the next,
 * so that {@code senders} batches are always in flight. Can be started and stopped repeatedly.
 */
final class ClosedLoopLoad {

    private final BatchPoster poster;
    private final NotificationFactory factory;
    private final int batchSize;
    private final int senderCount;
    private volatile boolean running;
    private Thread[] senders = new Thread[0];

    ClosedLoopLoad(BatchPoster poster, NotificationFactory factory, int batchSize, int senderCount) {
        this.poster = poster;
        this.factory = factory;
        this.batchSize = batchSize;
        this.senderCount = senderCount;
    }

    void start() {
        running = true;
        senders = new Thread[senderCount];
        for (int s = 0; s < senderCount; s++) {
            senders[s] = new Thread(this::send, "bench-sender-" + s);
            senders[s].setDaemon(true);
            senders[s].start();
        }
    }

    /** Stops making batches; returns when every sender's last batch was answered 202 (or given up). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread sender : senders) {
            sender.join();
        }
    }

    private void send() {
        try {
            while (running) {
                poster.post(factory.nextBatch(batchSize));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
