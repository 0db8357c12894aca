package io.camelgraphteams.benchmarks.component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.crypto.RsaOaepProvider;
import io.camelgraphteams.component.testsupport.OpenIdTestServer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import io.camelgraphteams.testsupport.cpu.CpuMeter;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.KEY_STORE_PASSWORD;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;

/**
 * Receive-path benchmark (a runnable main, not a test): how many encrypted Graph change notifications per second the
 * graph-teams consumer turns into exchanges over real HTTP, compared with how many items per second plain JCA code
 * decrypts on all cores of the same machine. See docs/performance.md.
 * <pre>
 * mvn -q -pl benchmarks compile exec:java \
 *     -Dexec.mainClass=io.camelgraphteams.benchmarks.component.ReceivePathBenchmark
 * </pre>
 * Options: {@link BenchmarkOptions#USAGE}. Fails (non-zero exit of Maven) when an answer was not 202 or the exchanges
 * counted differ from the notifications acknowledged.
 */
public final class ReceivePathBenchmark {

    /** Issue 10's targets for end-to-end / raw: with Amazon Corretto Crypto Provider, and with the JDK alone. */
    static final double TARGET_RATIO_ACCP = 0.90;
    static final double TARGET_RATIO_JDK = 0.93;
    /** A segment during which other processes used more than this many cores counts as disturbed. */
    static final double DISTURBANCE_CORES = 0.10;
    /** Warm-up goes on while the JIT compiler threads use more than this many cores... */
    static final double JIT_QUIET_CORES = 0.05;
    /** ...checked over steps of this length, for at most the jitWait option beyond the warm-up option. */
    static final Duration WARMUP_STEP = Duration.ofSeconds(2);
    static final String ROUTE_ID = "graph-teams-benchmark";
    private static final String NOTIFICATION_PATH = "/graph/notifications";
    private static final String FORGETFUL_REPOSITORY = "forgetfulRepository";
    private static final long SETTLE_MILLIS = 500;

    private final BenchmarkOptions options;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final List<String> failures = new ArrayList<>();
    private final ReceivePathReport report;

    private ReceivePathBenchmark(BenchmarkOptions options) {
        this.options = options;
        this.report = new ReceivePathReport(options, cores, failures);
    }

    /** The target for the RSA provider in use: the lighter the crypto, the larger the share of everything else. */
    static double targetRatio() {
        return RsaOaepProvider.selected().isAmazonCorretto() ? TARGET_RATIO_ACCP : TARGET_RATIO_JDK;
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            throw e;
        }
        new ReceivePathBenchmark(options).run();
    }


    private void run() throws Exception {
        report.header();
        TestTokenIssuer issuer = new TestTokenIssuer();
        Path dir = Files.createTempDirectory("graph-teams-benchmark");
        try (OpenIdTestServer identityPlatform = OpenIdTestServer.start(issuer.jwkSetJson())) {
            Path keyStoreFile = ReceivingContext.keyStore(dir);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStoreFile)) {
                keyStore.load(in, KEY_STORE_PASSWORD.toCharArray());
            }
            PrivateKey privateKey = (PrivateKey) keyStore.getKey(CERTIFICATE_ID, KEY_STORE_PASSWORD.toCharArray());
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(CERTIFICATE_ID);

            List<String> tokens = new ArrayList<>();
            for (int t = 0; t < options.tokens(); t++) {
                tokens.add(issuer.v1Token(APP_ID, TENANT_ID).sign());
            }
            long buildStart = System.nanoTime();
            NotificationCorpus corpus = NotificationCorpus.build(options.distinctBatches(), options.batchSize(),
                    options.itemSize(), tokens, certificate);
            System.out.printf(Locale.ROOT, "Corpus   : %d batches x %d items = %d encrypted items, each %.0f B of "
                                           + "chatMessage JSON under its own random AES key; %.1f KB per POST body; built "
                                           + "in %.1f s (not timed)%n",
                    corpus.batches().size(), options.batchSize(), corpus.itemCount(), corpus.averagePlaintextBytes(),
                    corpus.bodyBytes() / 1024.0 / corpus.batches().size(), (System.nanoTime() - buildStart) / 1e9);
            System.out.printf(Locale.ROOT, "Tokens   : %d distinct validation tokens (v1.0 RS256, one JWKS key), one per "
                                           + "batch, round robin: %d signature checks, then verified-token cache hits%n",
                    tokens.size(), tokens.size());

            String uri = ReceivingContext.chatsUri(keyStoreFile, identityPlatform.openIdConfigurationUrl(),
                    "includeResourceData=true&idempotentRepository=#" + FORGETFUL_REPOSITORY
                    + (options.endpointOptions().isBlank() ? "" : "&" + options.endpointOptions()));
            measure(uri, privateKey, corpus);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("benchmark checks failed: " + String.join("; ", failures));
        }
    }


    private void measure(String uri, PrivateKey privateKey, NotificationCorpus corpus) throws Exception {
        boolean raw = options.phases().contains("raw");
        boolean endToEnd = options.phases().contains("e2e");
        List<EncryptedContent> items = corpus.contents();
        LongAdder exchanges = new LongAdder();
        LongAdder bodyChars = new LongAdder();
        int port = AvailablePortFinder.getNextAvailable();
        CamelContext context = endToEnd ? startContext(uri, port, exchanges, bodyChars) : null;
        try {
            HttpSenders senders = null;
            long exchangesBeforeLoad = 0;
            if (endToEnd) {
                probe(port, corpus);
                exchangesBeforeLoad = exchanges.sum();
                senders = new HttpSenders(port, NOTIFICATION_PATH, corpus, options.senders());
                System.out.printf(Locale.ROOT, "End-to-end: %d senders POST batches over HTTP/1.1 to platform-http "
                                               + "(Vert.x) on 127.0.0.1:%d%s, route %s: graph-teams -> counting processor%n",
                        options.senders(), port, NOTIFICATION_PATH, ROUTE_ID);
            }
            if (raw) {
                System.out.printf(Locale.ROOT, "Raw      : %d threads of plain JCA code, per item RSA/ECB/OAEPWithSHA-1And"
                                               + "MGF1Padding unwrap + HmacSHA256 check + AES/CBC/PKCS5Padding decrypt%n",
                        options.rawThreads());
            }
            System.out.printf(Locale.ROOT, "RSA-OAEP : dataKey unwrapped by %s in both phases (the component's choice; "
                                           + "-D%s=false for the JDK's)%n", RsaOaepProvider.selected(),
                    RsaOaepProvider.DISABLE_PROPERTY);

            System.out.printf(Locale.ROOT, "%nWarm-up  : at least %.0f s per phase, then on in %d s steps until the JIT "
                                           + "compiler threads use < %.2f cores (at most %d s more; not measured)%n",
                    ReceivePathReport.seconds(options.warmup()), WARMUP_STEP.toSeconds(), JIT_QUIET_CORES, options.jitWait().toSeconds());
            if (raw) {
                warmUp("raw", length -> rawSegment(privateKey, items, length));
            }
            if (endToEnd) {
                HttpSenders load = senders;
                warmUp("e2e", length -> e2eSegment(load, exchanges, length, false));
            }

            Duration segment = options.duration().dividedBy(options.rounds());
            System.out.printf(Locale.ROOT, "Measured : %d rounds of %.1f s per phase%n", options.rounds(), ReceivePathReport.seconds(segment));
            Segment rawTotal = Segment.NONE;
            Segment e2eTotal = Segment.NONE;
            Segment rawClean = Segment.NONE;
            Segment e2eClean = Segment.NONE;
            int cleanRounds = 0;
            List<Double> roundRatios = new ArrayList<>();
            Recording recording = null;
            for (int round = 1; round <= options.rounds(); round++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d/%d:", round,
                        options.rounds()));
                Segment rawRound = null;
                if (raw) {
                    rawRound = rawSegment(privateKey, items, segment);
                    rawTotal = rawTotal.plus(rawRound);
                    line.append(String.format(Locale.ROOT, " raw %,6.0f items/s (%s)", rawRound.itemsPerSecond(),
                            ReceivePathReport.cores(rawRound)));
                }
                if (endToEnd) {
                    if (recording == null) {
                        recording = startRecording();
                    }
                    Segment e2eRound = e2eSegment(senders, exchanges, segment, true);
                    e2eTotal = e2eTotal.plus(e2eRound);
                    line.append(String.format(Locale.ROOT, " | e2e %,6.0f notifications/s (%s)",
                            e2eRound.itemsPerSecond(), ReceivePathReport.cores(e2eRound)));
                    if (rawRound != null) {
                        double ratio = e2eRound.itemsPerSecond() / rawRound.itemsPerSecond();
                        roundRatios.add(ratio);
                        line.append(String.format(Locale.ROOT, " | ratio %.3f", ratio));
                        if (rawRound.disturbed() || e2eRound.disturbed()) {
                            line.append(" (disturbed)");
                        } else if (rawRound.otherProcessesCores() >= 0) {
                            rawClean = rawClean.plus(rawRound);
                            e2eClean = e2eClean.plus(e2eRound);
                            cleanRounds++;
                        }
                    }
                }
                System.out.println(line);
            }
            stopRecording(recording);

            if (raw) {
                System.out.printf(Locale.ROOT, "%n[raw decrypt] %d threads, %.1f s measured%n", options.rawThreads(),
                        rawTotal.cpu().wallSeconds());
                System.out.printf(Locale.ROOT, "  items/s            : %,.0f  (%,d items; %,.0f per JVM core-second)%n",
                        rawTotal.itemsPerSecond(), rawTotal.items(), rawTotal.itemsPerCoreSecond());
                report.cpu(rawTotal);
            }
            if (endToEnd) {
                long exchangesTotal = exchanges.sum() - exchangesBeforeLoad;
                report.endToEnd(e2eTotal, senders, exchangesTotal, exchanges.sum() == 0 ? 0
                        : (double) bodyChars.sum() / exchanges.sum(), context);
            }
            report.summary(raw ? rawTotal : null, endToEnd ? e2eTotal : null, roundRatios);
            if (raw && endToEnd) {
                System.out.printf(Locale.ROOT, "  undisturbed rounds : %d of %d%s%n", cleanRounds, options.rounds(),
                        cleanRounds == 0 ? " (every round had other processes using more than "
                                           + DISTURBANCE_CORES + " cores)"
                                : String.format(Locale.ROOT, "; over them: end-to-end %,.0f / raw %,.0f = %.3f",
                                        e2eClean.itemsPerSecond(), rawClean.itemsPerSecond(),
                                        e2eClean.itemsPerSecond() / rawClean.itemsPerSecond()));
            }
            System.out.println("  checks             : " + (failures.isEmpty()
                    ? "all answers 202, exchanges + duplicates = notifications" : "FAILED " + failures));
        } finally {
            if (context != null) {
                context.stop();
            }
        }
    }

    private CamelContext startContext(String uri, int port, LongAdder exchanges, LongAdder bodyChars)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        // the corpus repeats its items: a repository that remembers nothing routes every one of them, so the figures
        // cover the whole path (the dedup key is still built and looked up) instead of decrypt-then-skip
        context.getRegistry().bind(FORGETFUL_REPOSITORY, new ForgetfulIdempotentRepository());
        VertxPlatformHttpServerConfiguration serverConfiguration = new VertxPlatformHttpServerConfiguration();
        serverConfiguration.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(serverConfiguration));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ROUTE_ID).process(exchange -> {
                    bodyChars.add(exchange.getMessage().getBody(String.class).length());
                    exchanges.increment();
                });
            }
        });
        context.start();
        return context;
    }

    /** Runs the raw threads for {@code length} after a short settle; returns what they did meanwhile. */
    private Segment rawSegment(PrivateKey privateKey, List<EncryptedContent> items, Duration length) throws Exception {
        RawJdkDecryption raw = new RawJdkDecryption(privateKey, RsaOaepProvider.selected().provider().orElse(null), items,
                options.rawThreads());
        raw.start();
        try {
            Thread.sleep(SETTLE_MILLIS);
            CpuMeter.Sample cpuStart = CpuMeter.sample();
            long doneStart = raw.done();
            Thread.sleep(length.toMillis());
            long doneEnd = raw.done();
            CpuMeter.Sample cpuEnd = CpuMeter.sample();
            return new Segment(doneEnd - doneStart, 0, cpuEnd.since(cpuStart));
        } finally {
            raw.stop();
            if (raw.checksum() == 0 && failures.stream().noneMatch(f -> f.startsWith("raw"))) {
                failures.add("raw decryption produced no plaintext");
            }
        }
    }

    /**
     * Runs the senders for {@code length} after a short settle (pipeline full); returns what was acknowledged
     * meanwhile. Batches in flight at the end are answered before this returns but not counted in the segment.
     */
    private Segment e2eSegment(HttpSenders senders, LongAdder exchanges, Duration length, boolean recordLatencies)
            throws Exception {
        senders.start();
        try {
            Thread.sleep(SETTLE_MILLIS);
            CpuMeter.Sample cpuStart = CpuMeter.sample();
            long itemsStart = senders.itemsAccepted();
            long batchesStart = senders.batchesAccepted();
            if (recordLatencies) {
                senders.startMeasuring();
            }
            Thread.sleep(length.toMillis());
            senders.stopMeasuring();
            long itemsEnd = senders.itemsAccepted();
            long batchesEnd = senders.batchesAccepted();
            CpuMeter.Sample cpuEnd = CpuMeter.sample();
            return new Segment(itemsEnd - itemsStart, batchesEnd - batchesStart, cpuEnd.since(cpuStart));
        } finally {
            senders.stop();
        }
    }


    /** One batch before the load, so a misconfiguration fails fast with the component's answer. */
    private static void probe(int port, NotificationCorpus corpus) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + NOTIFICATION_PATH))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(corpus.batches().get(0).body())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("the probe batch was answered " + answer.statusCode() + ": " + answer.body()
                                            + " (see benchmarks/target/camel-graph-teams-benchmarks.log)");
        }
    }

    private Recording startRecording() throws IOException, java.text.ParseException {
        if (options.jfr() == null) {
            return null;
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setName("graph-teams receive-path benchmark");
        recording.start();
        return recording;
    }

    private void stopRecording(Recording recording) throws IOException {
        if (recording == null) {
            return;
        }
        recording.stop();
        recording.dump(options.jfr());
        recording.close();
        System.out.println("JFR recording: " + options.jfr() + " (first to last measured e2e segment)");
    }


    @FunctionalInterface
    private interface SegmentRunner {
        Segment run(Duration length) throws Exception;
    }

    /** Runs the phase for the warm-up time, then in steps until the JIT has settled (or the extra time is used up). */
    private void warmUp(String phase, SegmentRunner runner) throws Exception {
        Segment last = runner.run(options.warmup());
        Duration extra = Duration.ZERO;
        while (last.jitCores() > JIT_QUIET_CORES && extra.compareTo(options.jitWait()) < 0) {
            last = runner.run(WARMUP_STEP);
            extra = extra.plus(WARMUP_STEP).plusMillis(SETTLE_MILLIS);
        }
        System.out.printf(Locale.ROOT, "  %-4s warmed up for %.1f s; JIT threads at the end: %.2f cores%s%n", phase,
                ReceivePathReport.seconds(options.warmup().plus(extra)), last.jitCores(),
                last.jitCores() > JIT_QUIET_CORES ? " (still compiling: raise warmup)" : "");
    }




}
