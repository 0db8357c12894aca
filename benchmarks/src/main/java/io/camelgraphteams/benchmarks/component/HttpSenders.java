package io.camelgraphteams.benchmarks.component;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load: each sender thread POSTs one pre-built batch over HTTP/1.1 (java.net.http, keep-alive), waits for
 * the answer, and sends the next. Latency is the time from {@code send} to the complete 202 answer, i.e. until the
 * component acknowledged the batch after all its exchanges completed (other answers are counted, not timed). After any other answer a sender pauses for
 * {@link #PAUSE_AFTER_REFUSAL} before its next batch, as Graph backs off before redelivering. Can be started and stopped
 * repeatedly (one client and connection pool throughout); counters and latency samples accumulate.
 */
final class HttpSenders {

    static final Duration PAUSE_AFTER_REFUSAL = Duration.ofSeconds(1);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<HttpRequest> requests;
    private final int[] itemsPerRequest;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder batchesSent = new LongAdder();
    private final LongAdder itemsSent = new LongAdder();
    private final LongAdder batchesAccepted = new LongAdder();
    private final LongAdder itemsAccepted = new LongAdder();
    private final Map<String, Integer> otherAnswers = new TreeMap<>();
    private final int senderCount;
    private final List<long[]> finishedLatencies = new ArrayList<>();
    private Sender[] senders = new Sender[0];
    private volatile boolean running;
    private volatile boolean measuring;

    HttpSenders(int port, String path, NotificationCorpus corpus, int senderCount) {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        this.requests = corpus.batches().stream()
                .map(batch -> HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
                        .build())
                .toList();
        this.itemsPerRequest = corpus.batches().stream().mapToInt(NotificationCorpus.Batch::items).toArray();
        this.senderCount = senderCount;
    }

    void start() {
        running = true;
        senders = new Sender[senderCount];
        for (int s = 0; s < senderCount; s++) {
            senders[s] = new Sender("bench-sender-" + s);
            senders[s].start();
        }
    }

    /** From now on, answers received are recorded as latency samples (until {@link #stopMeasuring()}). */
    void startMeasuring() {
        measuring = true;
    }

    void stopMeasuring() {
        measuring = false;
    }

    /** Lets every sender finish the batch it has in flight, then returns. */
    void stop() throws InterruptedException {
        running = false;
        for (Sender sender : senders) {
            sender.join();
            finishedLatencies.add(Arrays.copyOf(sender.latencies, sender.count));
        }
        senders = new Sender[0];
    }

    long batchesSent() {
        return batchesSent.sum();
    }

    long itemsSent() {
        return itemsSent.sum();
    }

    long batchesAccepted() {
        return batchesAccepted.sum();
    }

    long itemsAccepted() {
        return itemsAccepted.sum();
    }

    /** Answers other than 202 (status or exception class) and how often; read after {@link #stop()}. */
    synchronized Map<String, Integer> otherAnswers() {
        return new TreeMap<>(otherAnswers);
    }

    synchronized long otherAnswerCount() {
        return otherAnswers.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Latency samples (ns) recorded while measuring, sorted; read after {@link #stop()}. */
    long[] sortedLatencies() {
        long[] all = finishedLatencies.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    private synchronized void recordOther(String answer, Throwable error) {
        if (otherAnswers.merge(answer, 1, Integer::sum) == 1) {
            System.out.println("  first non-202 answer: " + answer + (error != null ? " (" + error + ")" : ""));
        }
    }

    private final class Sender extends Thread {
        private long[] latencies = new long[1024];
        private int count;

        Sender(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                int index = Math.floorMod(next.getAndIncrement(), requests.size());
                batchesSent.increment();
                itemsSent.add(itemsPerRequest[index]);
                long start = System.nanoTime();
                try {
                    HttpResponse<Void> response = client.send(requests.get(index), HttpResponse.BodyHandlers.discarding());
                    long elapsed = System.nanoTime() - start;
                    if (response.statusCode() == 202) {
                        batchesAccepted.increment();
                        itemsAccepted.add(itemsPerRequest[index]);
                        if (measuring) {
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count++] = elapsed;
                        }
                    } else {
                        recordOther("HTTP " + response.statusCode(), null);
                        pause();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    recordOther(e.getClass().getSimpleName(), e);
                    return;
                } catch (Exception e) {
                    recordOther(e.getClass().getSimpleName(), e);
                    pause();
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(PAUSE_AFTER_REFUSAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
