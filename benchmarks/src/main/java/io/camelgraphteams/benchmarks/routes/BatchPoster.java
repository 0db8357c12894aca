package io.camelgraphteams.benchmarks.routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * POSTs notification batches to the app over HTTP/1.1 (java.net.http, keep-alive) as Graph does, and keeps the
 * counts. A batch answered anything but 202 is posted again after {@link #RETRY_PAUSE}, as Graph redelivers, until it
 * is answered 202 or {@link #MAX_ATTEMPTS} attempts were made: so every notification made is delivered unless the app
 * keeps refusing it. Latency is recorded for every 202 of an original batch, from {@code since} (the send, or the time
 * a paced send was due) to the complete answer.
 * <p>
 * With {@code duplicateEvery} = n &gt; 0, every n-th accepted batch is posted once more right after its 202, as Graph
 * now and then delivers a batch twice: the app's dedup must keep the copies out of Kafka.
 */
final class BatchPoster implements AutoCloseable {

    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    static final int MAX_ATTEMPTS = 30;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI uri;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final Latencies latencies = new Latencies();
    private final LongAdder batchesPosted = new LongAdder();
    private final LongAdder itemsPosted = new LongAdder();
    private final AtomicLong batchesAccepted = new AtomicLong();
    private final LongAdder itemsAccepted = new LongAdder();
    private final LongAdder itemsGivenUp = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder duplicateItemsPosted = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int duplicateEvery;
    private final Map<String, Integer> otherAnswers = new TreeMap<>();

    BatchPoster(int port, String path, int duplicateEvery) {
        this.uri = URI.create("http://127.0.0.1:" + port + path);
        this.duplicateEvery = duplicateEvery;
    }

    /** Posts and waits until the batch was answered 202 (after retries) or given up; true when it was accepted. */
    boolean post(NotificationFactory.Batch batch) throws InterruptedException {
        batchesPosted.increment();
        itemsPosted.add(batch.items());
        inFlight.incrementAndGet();
        try {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                long start = System.nanoTime();
                int status = send(batch);
                if (status == 202) {
                    accepted(batch, start);
                    return true;
                }
                retried.increment();
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
            itemsGivenUp.add(batch.items());
            return false;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Posts without waiting; latency counts from {@code dueNanos}. Retries run on a timer. */
    void postAsync(NotificationFactory.Batch batch, long dueNanos) {
        batchesPosted.increment();
        itemsPosted.add(batch.items());
        inFlight.incrementAndGet();
        attemptAsync(batch, dueNanos, 1, false);
    }

    private void attemptAsync(NotificationFactory.Batch batch, long since, int attempt, boolean copy) {
        long start = attempt == 1 ? since : System.nanoTime();
        sendAsync(batch).whenComplete((status, error) -> {
            if (status != null && status == 202) {
                if (!copy) {
                    accepted(batch, start);
                }
                inFlight.decrementAndGet();
            } else if (attempt >= MAX_ATTEMPTS) {
                itemsGivenUp.add(batch.items());
                inFlight.decrementAndGet();
            } else {
                retried.increment();
                retries.schedule(() -> attemptAsync(batch, since, attempt + 1, copy), RETRY_PAUSE.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    private void accepted(NotificationFactory.Batch batch, long since) {
        latencies.record(System.nanoTime() - since);
        long accepted = batchesAccepted.incrementAndGet();
        itemsAccepted.add(batch.items());
        if (duplicateEvery > 0 && accepted % duplicateEvery == 0) {
            duplicateItemsPosted.add(batch.items());
            inFlight.incrementAndGet();
            attemptAsync(batch, System.nanoTime(), 1, true);
        }
    }

    private int send(NotificationFactory.Batch batch) throws InterruptedException {
        try {
            int status = client.send(request(batch), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 202) {
                other("HTTP " + status);
            }
            return status;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            other(e.getClass().getSimpleName());
            return -1;
        }
    }

    private CompletableFuture<Integer> sendAsync(NotificationFactory.Batch batch) {
        return client.sendAsync(request(batch), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    int status = error == null ? response.statusCode() : -1;
                    if (status != 202) {
                        other(error == null ? "HTTP " + status : error.getClass().getSimpleName());
                    }
                    return status;
                });
    }

    private HttpRequest request(NotificationFactory.Batch batch) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
                .build();
    }

    private synchronized void other(String answer) {
        otherAnswers.merge(answer, 1, Integer::sum);
    }

    /** Waits until no batch is in flight (retries included), at most {@code timeout}; returns whether none is. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return inFlight.get() == 0;
    }

    Latencies latencies() {
        return latencies;
    }

    int inFlight() {
        return inFlight.get();
    }

    long batchesPosted() {
        return batchesPosted.sum();
    }

    long itemsPosted() {
        return itemsPosted.sum();
    }

    long batchesAccepted() {
        return batchesAccepted.get();
    }

    long itemsAccepted() {
        return itemsAccepted.sum();
    }

    /** Notifications posted a second time (duplicateEvery). */
    long duplicateItemsPosted() {
        return duplicateItemsPosted.sum();
    }

    long itemsGivenUp() {
        return itemsGivenUp.sum();
    }

    long retried() {
        return retried.sum();
    }

    /** Answers other than 202 (status or exception) and how often. */
    synchronized Map<String, Integer> otherAnswers() {
        return new TreeMap<>(otherAnswers);
    }

    synchronized long otherAnswerCount() {
        return otherAnswers.values().stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
