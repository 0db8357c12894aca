package io.camelgraphteams.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.faults.child.ChildJvm;
import io.camelgraphteams.faults.child.KillableApp;
import io.camelgraphteams.faults.support.Deliveries;
import io.camelgraphteams.faults.support.ExactlyOnce;
import io.camelgraphteams.faults.support.FaultGraph;
import io.camelgraphteams.faults.support.FileSink;
import io.camelgraphteams.faults.support.PostedVersions;
import io.camelgraphteams.faults.support.TeamsTraffic;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, memory-safe intake: the app runs in a child JVM with {@code -Xmx512m} on the server graph-teams starts
 * itself, receiving Graph's (the emulator's) genuine batches while the test floods its port: eight hostile bodies of
 * nearly 16 MiB of tiny JSON objects in flight at all times, and 200 slow uploads that trickle a byte at a time. Every
 * genuine batch sent during the flood is answered 202 within 3 s, every version reaches the sink once, and the child
 * never throws OutOfMemoryError ({@code -XX:+ExitOnOutOfMemoryError} would end it).
 */
class HostileFloodFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(HostileFloodFaultTest.class);
    private static final int HOSTILE_SENDERS = 8;
    private static final int SLOW_UPLOADS = 200;
    private static final int HOSTILE_BODY = 16 * 1024 * 1024 - 64 * 1024;
    private static final int STEPS = 80;
    private static final Duration CHILD_START = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private final AtomicBoolean flooding = new AtomicBoolean(true);
    private final AtomicLong hostileAnswers = new AtomicLong();
    private final AtomicLong slowCut = new AtomicLong();
    private final Map<Integer, AtomicLong> hostileStatuses = new ConcurrentHashMap<>();

    @Test
    void genuineBatchesAreAnsweredInTimeWhileHostileBodiesAndSlowUploadsFloodTheServer() throws Exception {
        PostedVersions posted = new PostedVersions();
        FileSink sink = new FileSink(directory.resolve("sink/messages.jsonl"));
        Files.createDirectories(sink.file().getParent());
        try (FaultGraph graph = FaultGraph.start(directory)) {
            int port = AvailablePortFinder.getNextAvailable();
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("port", Integer.toString(port));
            settings.put("route.chats", FaultGraph.uri("chats/getAllMessages",
                    graph.endpointOptions(port, "/graph/chats")));
            settings.put("sink", sink.file().toAbsolutePath().toString());
            settings.put("dedup", directory.resolve("dedup.dat").toAbsolutePath().toString());
            settings.put("state", directory.resolve("state.dat").toAbsolutePath().toString());
            settings.put("trustStore", graph.writeTrustStore(directory.resolve("emulator-trust.p12")).toString());
            settings.put("trustStorePassword", FaultGraph.TRUST_STORE_PASSWORD);
            ChildJvm app = new ChildJvm(directory, settings, KillableApp.class,
                    List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
            ExecutorService attackers = Executors.newFixedThreadPool(HOSTILE_SENDERS + SLOW_UPLOADS);
            try (TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.CHATS, 0)) {
                app.start(CHILD_START);
                traffic.greetEveryConversation();
                ExactlyOnce.assertEventually("the sink file", sink::lines, posted, new Deliveries(graph.emulator()),
                        () -> 0, Duration.ofSeconds(30));
                long floodFrom = graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION).size();

                byte[] hostile = tinyObjects(HOSTILE_BODY);
                for (int i = 0; i < HOSTILE_SENDERS; i++) {
                    attackers.execute(() -> hostileSender(port, hostile));
                }
                for (int i = 0; i < SLOW_UPLOADS; i++) {
                    attackers.execute(() -> slowUploader(port));
                }
                // the flood builds up before Graph's batches start, and lasts until the last one was answered
                Thread.sleep(3000);
                traffic.start(STEPS, Duration.ofMillis(200));
                traffic.awaitDone(Duration.ofSeconds(90));
                ExactlyOnce.assertEventually("the sink file", sink::lines, posted, new Deliveries(graph.emulator()),
                        () -> 0, Duration.ofSeconds(60));
                flooding.set(false);

                List<DeliveryRecord> duringFlood = graph.emulator().deliveryLog()
                        .records(DeliveryRecord.Kind.NOTIFICATION).stream().skip(floodFrom).toList();
                long slowest = duringFlood.stream().mapToLong(DeliveryRecord::elapsedMillis).max().orElse(0);
                LOG.info("During the flood: {} genuine batches, slowest answer {} ms, answers {}; hostile bodies "
                         + "answered {} times ({}), slow uploads cut {} times", duringFlood.size(), slowest,
                        duringFlood.stream().map(DeliveryRecord::status).toList(), hostileAnswers.get(),
                        hostileStatuses, slowCut.get());
                assertThat(duringFlood).as("genuine batches during the flood").hasSizeGreaterThan(STEPS / 4)
                        .allSatisfy(r -> {
                            assertThat(r.status()).as("status of batch %s", r.deliveryId()).isEqualTo(202);
                            assertThat(r.elapsedMillis()).as("answer time of batch %s", r.deliveryId()).isLessThan(3000);
                        });
                assertThat(hostileAnswers.get()).as("hostile bodies the server answered").isPositive();
                assertThat(slowCut.get()).as("slow uploads cut at the answer deadline").isPositive();
                assertThat(app.isAlive()).as("the child survived the flood").isTrue();
                assertThat(app.log()).doesNotContain("OutOfMemoryError");
            } finally {
                flooding.set(false);
                attackers.shutdownNow();
                attackers.awaitTermination(30, TimeUnit.SECONDS);
                app.stop();
            }
        }
    }

    /** {@code {"value":[],"x":[{},{},...]}}: nothing a notification needs, as many tokens as the size allows. */
    private static byte[] tinyObjects(int size) {
        byte[] body = new byte[size];
        byte[] head = "{\"value\":[],\"x\":[".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        int at = head.length;
        while (at + 4 < size) {
            body[at++] = '{';
            body[at++] = '}';
            body[at++] = ',';
        }
        body[at - 1] = ']';
        body[at++] = '}';
        while (at < size) {
            body[at++] = ' ';
        }
        return body;
    }

    /** Posts the hostile body again and again, as fast as the server takes it. */
    private void hostileSender(int port, byte[] body) {
        while (flooding.get()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /graph/chats/notifications HTTP/1.1\r\nHost: localhost\r\n"
                           + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException refusedEarly) {
                    // answered (503, 413) and closed before the body was sent: read that answer
                }
                int status = status(socket.getInputStream());
                hostileAnswers.incrementAndGet();
                hostileStatuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            } catch (IOException e) {
                pause(50);
            }
        }
    }

    /** Announces 64 KiB and sends a byte every 200 ms, until the server cuts it off; then starts over. */
    private void slowUploader(int port) {
        while (flooding.get()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(200);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /graph/chats/notifications HTTP/1.1\r\nHost: localhost\r\n"
                           + "Content-Type: application/json\r\nContent-Length: 65536\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long started = System.nanoTime();
                InputStream in = socket.getInputStream();
                while (flooding.get()) {
                    try {
                        int status = status(in);
                        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        // 503 at the answer deadline: the server cut this upload off (an early 503 is the budget)
                        if (status == 503 && millis >= 2000) {
                            slowCut.incrementAndGet();
                        }
                        break;
                    } catch (java.net.SocketTimeoutException quiet) {
                        out.write(' ');
                        out.flush();
                    }
                }
            } catch (IOException e) {
                pause(50);
            }
        }
    }

    private static int status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        String[] parts = line.toString().split(" ");
        return parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
