package io.camelgraphteams.benchmarks.routes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelgraphteams.testsupport.cpu.CpuMeter;

/**
 * Throughput and acknowledgement latency of the routes app with messages.sink=kafka (a runnable main, not a test):
 * <ol>
 * <li>the highest rate at which encrypted notification batches posted to /graph/notifications are acknowledged with
 * 202 — every notification decrypted, routed and written to a real Kafka broker (acks=all) before its batch's 202 —
 * beside the raw JDK decrypt rate of the same items on as many threads as the app's graph-teams workers, measured in
 * alternating rounds of the same run (target: end-to-end / raw &gt;= 0.8);</li>
 * <li>the 202 latency (p50, p99, max) under a steady open-loop load at {@code loadFraction} of that maximum (target:
 * p99 &lt; 500 ms; Graph allows 3 s);</li>
 * <li>at the end, the Kafka topic read back: every notification exactly once.</li>
 * </ol>
 * <pre>
 * mvn -q -pl benchmarks compile exec:java \
 *     -Dexec.mainClass=io.camelgraphteams.benchmarks.routes.KafkaThroughputBenchmark
 * </pre>
 * Settings: {@link #USAGE}; see docs/performance.md. Exits non-zero when a check failed.
 */
public final class KafkaThroughputBenchmark {

    static final String USAGE = """
            KafkaThroughputBenchmark settings (system property bench.<name>=<value>, or program argument name=value):
              duration=40          measured seconds of each of the raw and end-to-end phases, split into rounds
              rounds=4             raw and end-to-end segments alternate (raw, e2e, raw, e2e...) so other load on a
                                   shared machine hits both alike
              warmup=60            minimum warm-up seconds of the end-to-end phase (C2 takes long over Kafka's code)
              rawWarmup=15         minimum warm-up seconds of the raw phase; both go on while the JIT is busy...
              jitWait=60           ...for at most this many more seconds
              senders=4            end-to-end: concurrent HTTP senders (closed loop, one batch in flight each)
              batchSize=50         notifications per POST
              itemSize=2048        bytes of chatMessage JSON per notification
              tokens=4             distinct validation tokens, one per batch, round robin
              rawThreads=0         raw decrypt threads; 0 = as many as the app's graph-teams workers (2 x cores)
              rawItems=2000        distinct encrypted items the raw phase cycles through
              loadFraction=0.5     latency phase: open-loop load as this fraction of the measured end-to-end rate
              rate=0               latency phase: notifications per second instead (0 = loadFraction x measured)
              latencyWarmup=5      latency phase: seconds at that load before measuring
              latencyDuration=60   latency phase: measured seconds (0 skips the phase)
              partitions=4         partitions of the Kafka topic
              duplicateEvery=0     every n-th accepted batch is posted once more (Graph's duplicates; 0 = never):
                                   dedup must keep the copies out of Kafka
              app=                 extra app properties, name=value pairs separated by commas,
                                   e.g. app=camel.component.kafka.linger-ms=0
              messageLog=false     keep the app's per-message INFO log line on
              accp=false           let the component use the Amazon Corretto Crypto Provider on this module's class
                                   path (the routes app as shipped does not bundle it: off, both sides use the JDK's RSA)
            """;

    static final double TARGET_RATIO = 0.8;
    static final double TARGET_P99_MILLIS = 500;
    /** A segment in which other processes used more than this many cores is flagged as disturbed. */
    static final double DISTURBANCE_CORES = 0.10;
    private static final double JIT_QUIET_CORES = 0.05;
    private static final Duration WARMUP_STEP = Duration.ofSeconds(2);
    private static final Duration SETTLE = Duration.ofMillis(500);

    /** The figures of one run; {@code failures} empty when every check passed. */
    record Result(double rawPerSecond, double endToEndPerSecond, double ratio, double perCoreSecondRatio,
                  double pacedRate, Latencies.Sorted pacedLatencies, Latencies.Sorted saturatedLatencies,
                  long made, KafkaTally tally, long duplicatesPosted, long duplicatesSkipped,
                  List<String> failures) {
    }

    /** What one measured segment did. */
    private record Segment(long items, CpuMeter.Usage cpu) {
        static final Segment NONE = new Segment(0, CpuMeter.Usage.NONE);

        Segment plus(Segment other) {
            return new Segment(items + other.items, cpu.plus(other.cpu));
        }

        double perSecond() {
            return items / cpu.wallSeconds();
        }

        double perCoreSecond() {
            return items / cpu.processSeconds();
        }
    }

    /** The interleaved rounds: totals, the undisturbed rounds alone, and the 202 latencies of the saturated load. */
    private record Rounds(Segment raw, Segment e2e, Segment rawClean, Segment e2eClean, Latencies.Sorted latencies) {

        static final Rounds NONE = new Rounds(Segment.NONE, Segment.NONE, Segment.NONE, Segment.NONE,
                Latencies.Sorted.NONE);

        Rounds plus(Segment r, Segment e, Latencies.Sorted more) {
            boolean clean = undisturbed(r) && undisturbed(e);
            return new Rounds(raw.plus(r), e2e.plus(e), clean ? rawClean.plus(r) : rawClean,
                    clean ? e2eClean.plus(e) : e2eClean, latencies.plus(more));
        }

        double ratio() {
            return e2e.perSecond() / raw.perSecond();
        }
    }

    /** The open-loop latency phase; {@code cpu} null when it was skipped. */
    private record Paced(double rate, Latencies.Sorted latencies, CpuMeter.Usage cpu) {
    }

    @FunctionalInterface
    private interface SegmentRunner {
        Segment run(Duration length) throws Exception;
    }

    private final BenchSettings settings;
    private final List<String> failures = new ArrayList<>();

    KafkaThroughputBenchmark(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Result result = new KafkaThroughputBenchmark(BenchSettings.parse(args, USAGE)).run();
        if (!result.failures().isEmpty()) {
            throw new IllegalStateException("checks failed: " + result.failures());
        }
    }

    Result run() throws Exception {
        Duration duration = settings.seconds("duration", 40);
        int rounds = settings.positiveInt("rounds", 4);
        Duration warmup = settings.seconds("warmup", 60);
        Duration rawWarmup = settings.seconds("rawWarmup", 15);
        Duration jitWait = settings.seconds("jitWait", 60);
        int senders = settings.positiveInt("senders", 4);
        int batchSize = settings.positiveInt("batchSize", 50);
        int itemSize = settings.positiveInt("itemSize", 2048);
        int tokens = settings.positiveInt("tokens", 4);
        int rawItems = settings.positiveInt("rawItems", 2000);
        double loadFraction = settings.nonNegative("loadFraction", 0.5);
        double fixedRate = settings.nonNegative("rate", 0);
        Duration latencyWarmup = settings.seconds("latencyWarmup", 5);
        Duration latencyDuration = settings.seconds("latencyDuration", 60);
        int partitions = settings.positiveInt("partitions", 4);
        Map<String, String> app = settings.pairs("app");
        Report.header("KafkaThroughputBenchmark", settings);

        try (BenchRig rig = BenchRig.start(partitions, tokens, app);
                BatchPoster poster = new BatchPoster(rig.port(), BenchRig.NOTIFICATION_PATH,
                        settings.positiveOrZero("duplicateEvery", 0))) {
            int rawThreads = (int) settings.nonNegative("rawThreads", 0);
            rawThreads = rawThreads > 0 ? rawThreads : rig.workerThreads();
            NotificationFactory factory = rig.notificationFactory(itemSize);
            RawDecrypt raw = new RawDecrypt(rig.privateKey(), factory.encryptedItems(rawItems), rawThreads);
            ClosedLoopLoad saturating = new ClosedLoopLoad(poster, factory, batchSize, senders);
            System.out.printf(Locale.ROOT, "app on port %d, Kafka %s topic %s (%d partitions), %d validation tokens "
                                           + "primed; raw phase: %d threads (app's graph-teams workers: %d); RSA "
                                           + "by %s%n", rig.port(), rig.kafka().bootstrapServers(), BenchRig.TOPIC,
                    partitions, rig.tokenCount(), rawThreads, rig.workerThreads(), RawDecrypt.rsaProvider());

            SegmentRunner rawRunner = length -> rawSegment(raw, length);
            SegmentRunner e2eRunner = length -> e2eSegment(saturating, poster, length);
            warmUp("raw", rawRunner, rawWarmup, jitWait);
            warmUp("e2e", e2eRunner, warmup, jitWait);
            poster.latencies().drain();

            Rounds measured = Rounds.NONE;
            Duration segmentLength = duration.dividedBy(rounds);
            for (int round = 1; round <= rounds; round++) {
                Segment r = rawRunner.run(segmentLength);
                Segment e = e2eRunner.run(segmentLength);
                measured = measured.plus(r, e, poster.latencies().drain());
                System.out.printf(Locale.ROOT, "  round %d: raw %,.0f/s, end-to-end %,.0f/s, ratio %.3f; other "
                                               + "processes %s / %s cores%n", round, r.perSecond(), e.perSecond(),
                        e.perSecond() / r.perSecond(), others(r.cpu()), others(e.cpu()));
            }
            double pacedRate = fixedRate > 0 ? fixedRate : loadFraction * measured.e2e().perSecond();
            Paced paced = new Paced(pacedRate, Latencies.Sorted.NONE, null);
            if (!latencyDuration.isZero()) {
                PacedLoad load = new PacedLoad(poster, factory, batchSize, pacedRate / batchSize, 256);
                load.start();
                Thread.sleep(latencyWarmup.toMillis());
                poster.latencies().drain();
                CpuMeter.Sample start = CpuMeter.sample();
                Thread.sleep(latencyDuration.toMillis());
                CpuMeter.Usage cpu = CpuMeter.sample().since(start);
                paced = new Paced(pacedRate, poster.latencies().drain(), cpu);
                if (!load.stop(Duration.ofSeconds(60))) {
                    failures.add("batches still unanswered 60 s after the paced load stopped");
                }
            }
            if (!poster.awaitIdle(Duration.ofSeconds(60))) {
                failures.add("batches still unanswered at the end");
            }

            long made = factory.made();
            KafkaTally tally = awaitTally(rig, made);
            checkDelivery(rig, poster, made, tally);
            printPhases(rawThreads, senders, measured, paced);
            printWholeRun(rig, poster, made, tally);
            printSummary(rig, rawThreads, batchSize, measured, paced, made, tally);
            return new Result(measured.raw().perSecond(), measured.e2e().perSecond(), measured.ratio(),
                    measured.e2e().perCoreSecond() / measured.raw().perCoreSecond(), pacedRate, paced.latencies(),
                    measured.latencies(), made, tally, poster.duplicateItemsPosted(),
                    rig.chatsConsumer().getDuplicatesSkipped(), List.copyOf(failures));
        }
    }

    /** Kafka acknowledged every record before its batch's 202; still, read until the count is reached (or 30 s). */
    private static KafkaTally awaitTally(BenchRig rig, long made) throws InterruptedException {
        long expected = made + rig.primingMessageIds().size();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (rig.kafka().recordCount(BenchRig.TOPIC) < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return KafkaTally.of(rig.kafka(), BenchRig.TOPIC, made, rig.primingMessageIds());
    }

    private void checkDelivery(BenchRig rig, BatchPoster poster, long made, KafkaTally tally) {
        if (poster.itemsGivenUp() > 0) {
            failures.add(poster.itemsGivenUp() + " notifications never answered 202");
        }
        if (!tally.exact(rig.primingMessageIds().size())) {
            failures.add("Kafka topic: " + tally.describe(made, rig.primingMessageIds().size()));
        }
    }

    private static void printPhases(int rawThreads, int senders, Rounds measured, Paced paced) {
        Segment raw = measured.raw();
        Segment e2e = measured.e2e();
        System.out.printf(Locale.ROOT, "%n[raw decrypt, plain JDK API] %d threads, %.1f s measured%n", rawThreads,
                raw.cpu().wallSeconds());
        System.out.printf(Locale.ROOT, "  items/s             : %,.0f (%,.0f per JVM core-second)%n", raw.perSecond(),
                raw.perCoreSecond());
        Report.cpu(raw.cpu(), raw.items());
        System.out.printf(Locale.ROOT, "%n[end-to-end: HTTP -> graph-teams -> Kafka] %d senders, %.1f s measured%n",
                senders, e2e.cpu().wallSeconds());
        System.out.printf(Locale.ROOT, "  notifications/s     : %,.0f (%,.0f per JVM core-second, load generator and "
                                       + "broker included)%n", e2e.perSecond(), e2e.perCoreSecond());
        System.out.println("  202 latency         : " + measured.latencies().summary());
        Report.cpu(e2e.cpu(), e2e.items());
        if (paced.cpu() != null) {
            System.out.printf(Locale.ROOT, "%n[latency at %,.0f notifications/s, open loop]%n", paced.rate());
            System.out.println("  202 latency         : " + paced.latencies().summary() + ", from the time each batch "
                               + "was due");
            System.out.printf(Locale.ROOT, "  CPU                 : this JVM %.2f cores, other processes %s%n",
                    paced.cpu().processCores(), others(paced.cpu()));
        }
    }

    private static void printWholeRun(BenchRig rig, BatchPoster poster, long made, KafkaTally tally) {
        System.out.printf(Locale.ROOT, "%n[whole run]%n  posted              : %,d batches, %,d notifications; %,d "
                                       + "answered 202; %,d posted twice; %d non-202 answers %s (each retried after "
                                       + "%d s)%n", poster.batchesPosted(), poster.itemsPosted(),
                poster.itemsAccepted(), poster.duplicateItemsPosted(), poster.otherAnswerCount(),
                poster.otherAnswers(), BatchPoster.RETRY_PAUSE.toSeconds());
        System.out.println("  Kafka topic         : " + tally.describe(made, rig.primingMessageIds().size()));
        System.out.println("  consumer counters   : " + rig.consumerCounters());
    }

    private void printSummary(BenchRig rig, int rawThreads, int batchSize, Rounds measured, Paced paced, long made,
                              KafkaTally tally) {
        Segment raw = measured.raw();
        Segment e2e = measured.e2e();
        double ratio = measured.ratio();
        System.out.printf(Locale.ROOT, "%n[summary]%n");
        System.out.printf(Locale.ROOT, "  end-to-end          : %,.0f notifications/s into Kafka (%,.1f batches/s of "
                                       + "%d)%n", e2e.perSecond(), e2e.perSecond() / batchSize, batchSize);
        System.out.printf(Locale.ROOT, "  raw decrypt         : %,.0f items/s on %d threads%n", raw.perSecond(),
                rawThreads);
        System.out.printf(Locale.ROOT, "  end-to-end / raw    : %.3f (target >= %.2f: %s); per JVM core-second %.3f%n",
                ratio, TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met",
                e2e.perCoreSecond() / raw.perCoreSecond());
        Segment rawClean = measured.rawClean();
        Segment e2eClean = measured.e2eClean();
        System.out.println("  undisturbed rounds  : " + (rawClean.items() == 0
                ? "none (other processes used more than " + DISTURBANCE_CORES + " cores in every round)"
                : String.format(Locale.ROOT, "%.0f s each: end-to-end %,.0f / raw %,.0f = %.3f",
                        rawClean.cpu().wallSeconds(), e2eClean.perSecond(), rawClean.perSecond(),
                        e2eClean.perSecond() / rawClean.perSecond())));
        if (paced.cpu() != null) {
            Latencies.Sorted latencies = paced.latencies();
            System.out.printf(Locale.ROOT, "  202 latency at %,.0f/s: p50 %.0f ms, p99 %.0f ms, max %.0f ms (target "
                                           + "p99 < %.0f ms: %s)%n", paced.rate(), latencies.millis(0.5),
                    latencies.millis(0.99), latencies.millis(1), TARGET_P99_MILLIS,
                    latencies.millis(0.99) < TARGET_P99_MILLIS ? "met" : "NOT met");
        }
        System.out.println("  Kafka               : " + (tally.exact(rig.primingMessageIds().size())
                ? String.format(Locale.ROOT, "every notification exactly once (%,d)", made)
                : "MISMATCH, see above"));
        if (Math.max(raw.cpu().otherCores(), e2e.cpu().otherCores()) > DISTURBANCE_CORES) {
            System.out.printf(Locale.ROOT, "  NOTE                : other processes used %s (raw) / %s (e2e) cores: "
                                           + "the machine was shared, trust the per-core-second ratio more%n",
                    others(raw.cpu()), others(e2e.cpu()));
        }
        System.out.println("  checks              : " + (failures.isEmpty() ? "passed" : "FAILED " + failures));
        Report.machine();
    }

    /** No other process used more than {@link #DISTURBANCE_CORES} during the segment (unknown counts as disturbed). */
    private static boolean undisturbed(Segment segment) {
        double others = segment.cpu().otherCores();
        return others >= 0 && others <= DISTURBANCE_CORES;
    }

    private static String others(CpuMeter.Usage usage) {
        double others = usage.otherCores();
        return others < 0 ? "?" : String.format(Locale.ROOT, "%.2f", others);
    }

    private static Segment rawSegment(RawDecrypt raw, Duration length) throws Exception {
        raw.start();
        try {
            Thread.sleep(SETTLE.toMillis());
            CpuMeter.Sample start = CpuMeter.sample();
            long before = raw.decrypted();
            Thread.sleep(length.toMillis());
            long after = raw.decrypted();
            return new Segment(after - before, CpuMeter.sample().since(start));
        } finally {
            raw.stop();
        }
    }

    private static Segment e2eSegment(ClosedLoopLoad load, BatchPoster poster, Duration length) throws Exception {
        load.start();
        try {
            Thread.sleep(SETTLE.toMillis());
            poster.latencies().drain();
            CpuMeter.Sample start = CpuMeter.sample();
            long before = poster.itemsAccepted();
            Thread.sleep(length.toMillis());
            long after = poster.itemsAccepted();
            return new Segment(after - before, CpuMeter.sample().since(start));
        } finally {
            load.stop();
        }
    }

    /** Runs the phase for the warm-up time, then in steps while the JIT compiler threads are busy. */
    private static void warmUp(String phase, SegmentRunner runner, Duration warmup, Duration jitWait)
            throws Exception {
        Segment last = runner.run(warmup);
        Duration extra = Duration.ZERO;
        while (last.cpu().groupCores(CpuMeter.JIT) > JIT_QUIET_CORES && extra.compareTo(jitWait) < 0) {
            last = runner.run(WARMUP_STEP);
            extra = extra.plus(WARMUP_STEP);
        }
        System.out.printf(Locale.ROOT, "  %s warmed up for %.0f s (last %,.0f/s); JIT threads at the end: %.2f "
                                       + "cores%s%n", phase, (warmup.plus(extra)).toMillis() / 1000.0, last.perSecond(),
                last.cpu().groupCores(CpuMeter.JIT),
                last.cpu().groupCores(CpuMeter.JIT) > JIT_QUIET_CORES ? " (still compiling)" : "");
    }
}
