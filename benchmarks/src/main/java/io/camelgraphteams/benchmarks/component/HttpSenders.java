package io.camelgraphteams.benchmarks.component;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load: each sender thread POSTs one pre-built batch over HTTP/1.1 (its own keep-alive connection, the
 * request's bytes encoded once before the run), waits for the answer, and sends the next. A plain blocking socket
 * rather than an HTTP client library: the load generator shares the measured machine with the receiver, and the
 * cheaper it is, the more of the machine the receiver gets (java.net.http cost ~12 us of CPU per notification here,
 * this ~2 us). Latency is the time from {@code send} to the complete 202 answer, i.e. until the
 * component acknowledged the batch after all its exchanges completed (other answers are counted, not timed). After any other answer a sender pauses for
 * {@link #PAUSE_AFTER_REFUSAL} before its next batch, as Graph backs off before redelivering. Can be started and stopped
 * repeatedly (one client and connection pool throughout); counters and latency samples accumulate.
 */
final class HttpSenders {

    static final Duration PAUSE_AFTER_REFUSAL = Duration.ofSeconds(1);

    private final int port;
    private final List<byte[]> requests;
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
        this.port = port;
        this.requests = corpus.batches().stream().map(batch -> request(path, batch.body())).toList();
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

    private static byte[] request(String path, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json; charset=utf-8"
                       + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    private synchronized void recordOther(String answer, Throwable error) {
        if (otherAnswers.merge(answer, 1, Integer::sum) == 1) {
            System.out.println("  first non-202 answer: " + answer + (error != null ? " (" + error + ")" : ""));
        }
    }

    private final class Sender extends Thread {
        private long[] latencies = new long[1024];
        private int count;
        private Socket socket;
        private InputStream in;

        Sender(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (running && !isInterrupted()) {
                    int index = Math.floorMod(next.getAndIncrement(), requests.size());
                    batchesSent.increment();
                    itemsSent.add(itemsPerRequest[index]);
                    long start = System.nanoTime();
                    try {
                        int status = post(requests.get(index));
                        long elapsed = System.nanoTime() - start;
                        if (status == 202) {
                            batchesAccepted.increment();
                            itemsAccepted.add(itemsPerRequest[index]);
                            if (measuring) {
                                if (count == latencies.length) {
                                    latencies = Arrays.copyOf(latencies, count * 2);
                                }
                                latencies[count++] = elapsed;
                            }
                        } else {
                            recordOther("HTTP " + status, null);
                            pause();
                        }
                    } catch (IOException e) {
                        recordOther(e.getClass().getSimpleName(), e);
                        close();
                        pause();
                    }
                }
            } finally {
                close();
            }
        }

        /** Sends one request on this sender's connection and reads the answer; returns its status. */
        private int post(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(60_000);
                in = new BufferedInputStream(socket.getInputStream(), 8192);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long length = 0;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:")) {
                    throw new IOException("unexpected " + header);
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            in.skipNBytes(length);
            if (close) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("connection closed by the receiver");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing to do: a new connection follows
                }
                socket = null;
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
