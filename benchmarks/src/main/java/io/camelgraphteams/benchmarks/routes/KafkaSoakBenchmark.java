package io.camelgraphteams.benchmarks.routes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelgraphteams.testsupport.cpu.CpuMeter;

/**
 * Soak of the routes app with messages.sink=kafka (a runnable main, not a test): a steady open-loop load at
 * {@code loadFraction} of the measured maximum (or at {@code rate}) for {@code duration}, printing the figures every
 * {@code interval}. Checks that the heap in use after a full GC at the end is within {@code heapTolerance} of the same
 * figure taken after warm-up, and that the Kafka topic holds every notification exactly once.
 * <p>
 * The warm-up makes at least {@code warmupItems} distinct notifications (default twice the 10,000 keys of the
 * consumer's default in-memory idempotent repository) so that every bounded structure on the path, the dedup
 * repository first, is full before the baseline. Both heap figures are taken with the load paused and drained, so
 * batches in flight do not count.
 * <pre>
 * mvn -q -pl benchmarks compile exec:java \
 *     -Dexec.mainClass=io.camelgraphteams.benchmarks.routes.KafkaSoakBenchmark
 * </pre>
 * Settings: {@link #USAGE}; see docs/performance.md. Exits non-zero when a check failed.
 */
public final class KafkaSoakBenchmark {

    static final String USAGE = """
            KafkaSoakBenchmark settings (system property bench.<name>=<value>, or program argument name=value):
              duration=300         soak seconds at the steady load
              interval=30          seconds between two lines of figures
              rate=0               notifications per second; 0 = loadFraction x the rate measured first
              loadFraction=0.5     fraction of the measured maximum
              probe=20             seconds of saturating load that measure the maximum (when rate=0)
              warmup=60            minimum seconds of saturating load first (JIT); goes on while the JIT is busy...
              jitWait=60           ...for at most this many more seconds
              warmupItems=20000    distinct notifications made before the heap baseline (fills the dedup store)...
              pacedWarmup=10       ...and at least this many seconds at the soak load
              senders=4            saturating load (warm-up, probe): concurrent HTTP senders
              batchSize=50         notifications per POST
              itemSize=2048        bytes of chatMessage JSON per notification
              tokens=4             distinct validation tokens, one per batch, round robin
              partitions=4         partitions of the Kafka topic
              duplicateEvery=100   every n-th accepted batch is posted once more (Graph's duplicates; 0 = never):
                                   dedup must keep the copies out of Kafka
              heapTolerance=0.10   allowed relative change of the heap after a full GC, end against start
              app=                 extra app properties, name=value pairs separated by commas
              messageLog=false     keep the app's per-message INFO log line on
              accp=false           let the component use the Amazon Corretto Crypto Provider on this module's class
                                   path (the routes app as shipped does not bundle it: off, both sides use the JDK's RSA)
            """;

    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final double JIT_QUIET_CORES = 0.05;

    /** The figures of one run; {@code failures} empty when every check passed. */
    record Result(double rate, HeapProbe.AfterFullGc heapStart, HeapProbe.AfterFullGc heapEnd, double heapChange,
                  Latencies.Sorted latencies, long made, KafkaTally tally, long duplicatesPosted,
                  long duplicatesSkipped, int intervalsPrinted, List<String> failures) {
    }

    private final BenchSettings settings;
    private final List<String> failures = new ArrayList<>();

    KafkaSoakBenchmark(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Result result = new KafkaSoakBenchmark(BenchSettings.parse(args, USAGE)).run();
        if (!result.failures().isEmpty()) {
            throw new IllegalStateException("checks failed: " + result.failures());
        }
    }

    Result run() throws Exception {
        Duration duration = settings.seconds("duration", 300);
        Duration interval = settings.seconds("interval", 30);
        if (interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive\n" + USAGE);
        }
        double fixedRate = settings.nonNegative("rate", 0);
        double loadFraction = settings.nonNegative("loadFraction", 0.5);
        Duration probe = settings.seconds("probe", 20);
        Duration warmup = settings.seconds("warmup", 60);
        Duration jitWait = settings.seconds("jitWait", 60);
        long warmupItems = settings.positiveInt("warmupItems", 20_000);
        Duration pacedWarmup = settings.seconds("pacedWarmup", 10);
        int senders = settings.positiveInt("senders", 4);
        int batchSize = settings.positiveInt("batchSize", 50);
        int itemSize = settings.positiveInt("itemSize", 2048);
        int tokens = settings.positiveInt("tokens", 4);
        int partitions = settings.positiveInt("partitions", 4);
        double heapTolerance = settings.nonNegative("heapTolerance", 0.10);
        Report.header("KafkaSoakBenchmark", settings);

        try (BenchRig rig = BenchRig.start(partitions, tokens, settings.pairs("app"));
                BatchPoster poster = new BatchPoster(rig.port(), BenchRig.NOTIFICATION_PATH,
                        settings.positiveOrZero("duplicateEvery", 100))) {
            NotificationFactory factory = rig.notificationFactory(itemSize);
            ClosedLoopLoad saturating = new ClosedLoopLoad(poster, factory, batchSize, senders);

            // 1. JIT warm-up at full load, then (rate=0) the maximum
            double jit = saturate(saturating, warmup);
            Duration extra = Duration.ZERO;
            while (jit > JIT_QUIET_CORES && extra.compareTo(jitWait) < 0) {
                jit = saturate(saturating, Duration.ofSeconds(2));
                extra = extra.plusSeconds(2);
            }
            System.out.printf(Locale.ROOT, "warm-up at full load: %.0f s, JIT threads at the end %.2f cores%n",
                    (warmup.plus(extra)).toMillis() / 1000.0, jit);
            double rate = fixedRate;
            if (rate == 0) {
                long before = poster.itemsAccepted();
                CpuMeter.Sample start = CpuMeter.sample();
                saturating.start();
                Thread.sleep(probe.toMillis());
                double measured = (poster.itemsAccepted() - before) / CpuMeter.sample().since(start).wallSeconds();
                saturating.stop();
                rate = loadFraction * measured;
                System.out.printf(Locale.ROOT, "maximum: %,.0f notifications/s over %.0f s -> soak at %,.0f/s%n",
                        measured, probe.toMillis() / 1000.0, rate);
            }
            double batchesPerSecond = rate / batchSize;

            // 2. the same steady load until warmupItems distinct notifications were made, then the baseline
            PacedLoad load = new PacedLoad(poster, factory, batchSize, batchesPerSecond, 256);
            load.start();
            long pacedSince = System.nanoTime();
            while (factory.made() < warmupItems || System.nanoTime() - pacedSince < pacedWarmup.toNanos()) {
                Thread.sleep(100);
            }
            drain(load);
            System.out.printf(Locale.ROOT, "warm-up done: %,d notifications made (warmupItems %,d); dedup repository: "
                                           + "%s; consumer %s%n", factory.made(), warmupItems, dedupKeys(rig),
                    rig.consumerCounters());
            // the histogram first, as it stays in memory until the end: both heap figures include it. Taken twice, so
            // that the one kept counts one histogram map alive, as the end's does
            Map<String, long[]> histogramStart = HeapProbe.classHistogram();
            histogramStart = HeapProbe.classHistogram();
            HeapProbe.AfterFullGc heapStart = quietHeap();
            System.out.println("heap after full GC, start: " + heapStart.describe() + " (" + heapStart.collectors()
                               + ")");

            // 3. the soak
            long madeBefore = factory.made();
            poster.latencies().drain();
            Latencies.Sorted all = Latencies.Sorted.NONE;
            int lines = 0;
            load = new PacedLoad(poster, factory, batchSize, batchesPerSecond, 256);
            long soakStart = System.nanoTime();
            long soakEnd = soakStart + duration.toNanos();
            CpuMeter.Sample lastCpu = CpuMeter.sample();
            long lastAccepted = poster.itemsAccepted();
            long[] lastGc = HeapProbe.gcTotals();
            load.start();
            System.out.printf(Locale.ROOT, "soak: %,.0f notifications/s (%.2f batches/s of %d) for %.0f s%n", rate,
                    batchesPerSecond, batchSize, duration.toMillis() / 1000.0);
            long lineCount = Math.max(1, (duration.toNanos() + interval.toNanos() - 1) / interval.toNanos());
            while (lines < lineCount) {
                long next = Math.min(soakEnd, soakStart + (lines + 1) * interval.toNanos());
                sleepUntil(next);
                Latencies.Sorted period = poster.latencies().drain();
                all = all.plus(period);
                CpuMeter.Sample cpu = CpuMeter.sample();
                CpuMeter.Usage usage = cpu.since(lastCpu);
                long accepted = poster.itemsAccepted();
                long[] gc = HeapProbe.gcTotals();
                lines++;
                System.out.printf(Locale.ROOT, "  %4.0f s | %,6.0f/s acked | 202 %s | non-202 %d | in flight %d | "
                                               + "Kafka %,d | dedup %s, %,d skipped | heap %.0f MB, after last GCs "
                                               + "%.0f MB | GC %d in %d ms | CPU %.2f (+%s other) cores%n",
                        (System.nanoTime() - soakStart) / 1e9, (accepted - lastAccepted) / usage.wallSeconds(),
                        period.summary(), poster.otherAnswerCount(), poster.inFlight(),
                        rig.kafka().recordCount(BenchRig.TOPIC), dedupKeys(rig),
                        rig.chatsConsumer().getDuplicatesSkipped(), HeapProbe.heapUsedNow() / 1e6,
                        HeapProbe.heapAfterLastGcs() / 1e6, gc[0] - lastGc[0], gc[1] - lastGc[1],
                        usage.processCores(), usage.otherCores() < 0 ? "?"
                                : String.format(Locale.ROOT, "%.2f", usage.otherCores()));
                lastCpu = cpu;
                lastAccepted = accepted;
                lastGc = gc;
            }
            drain(load);
            all = all.plus(poster.latencies().drain());
            long soaked = factory.made() - madeBefore;
            HeapProbe.AfterFullGc heapEnd = quietHeap();
            String growth = HeapProbe.largestGrowth(histogramStart, HeapProbe.classHistogram(), 8);
            double change = (double) (heapEnd.usedBytes() - heapStart.usedBytes()) / heapStart.usedBytes();

            long made = factory.made();
            KafkaTally tally = KafkaTally.of(rig.kafka(), BenchRig.TOPIC, made, rig.primingMessageIds());
            int priming = rig.primingMessageIds().size();
            if (Math.abs(change) > heapTolerance) {
                failures.add(String.format(Locale.ROOT, "heap after full GC changed by %+.1f%% (tolerance %.0f%%)",
                        change * 100, heapTolerance * 100));
            }
            if (!tally.exact(priming)) {
                failures.add("Kafka topic: " + tally.describe(made, priming));
            }
            if (poster.itemsGivenUp() > 0) {
                failures.add(poster.itemsGivenUp() + " notifications never answered 202");
            }

            System.out.printf(Locale.ROOT, "%n[summary]%n");
            System.out.printf(Locale.ROOT, "  soak                : %.0f s at %,.0f notifications/s, %,d notifications "
                                           + "(%,d in all with warm-up)%n", duration.toMillis() / 1000.0, rate,
                    soaked, made);
            System.out.println("  202 latency         : " + all.summary() + ", from the time each batch was due");
            System.out.printf(Locale.ROOT, "  non-202 answers     : %d %s (each retried after %d s); %,d notifications "
                                           + "posted twice%n", poster.otherAnswerCount(), poster.otherAnswers(),
                    BatchPoster.RETRY_PAUSE.toSeconds(), poster.duplicateItemsPosted());
            System.out.printf(Locale.ROOT, "  heap after full GC  : start %s, end %s: %+.1f%% (tolerance %.0f%%: %s)%n",
                    heapStart.describe(), heapEnd.describe(), change * 100, heapTolerance * 100,
                    Math.abs(change) <= heapTolerance ? "met" : "NOT met");
            System.out.println("  largest growth      : " + (growth.isEmpty() ? "none" : growth) + " (live objects by "
                               + "class, end against start)");
            System.out.println("  Kafka topic         : " + (tally.exact(priming)
                    ? String.format(Locale.ROOT, "every notification exactly once (%,d generated + %d priming)",
                            made, priming)
                    : tally.describe(made, priming)));
            System.out.println("  consumer counters   : " + rig.consumerCounters() + "; dedup repository "
                               + dedupKeys(rig));
            System.out.println("  checks              : " + (failures.isEmpty() ? "passed" : "FAILED " + failures));
            Report.machine();
            return new Result(rate, heapStart, heapEnd, change, all, made, tally, poster.duplicateItemsPosted(),
                    rig.chatsConsumer().getDuplicatesSkipped(), lines, List.copyOf(failures));
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** Saturating load for {@code length}; returns the cores the JIT compiler threads used meanwhile. */
    private static double saturate(ClosedLoopLoad load, Duration length) throws InterruptedException {
        CpuMeter.Sample start = CpuMeter.sample();
        load.start();
        Thread.sleep(length.toMillis());
        load.stop();
        return CpuMeter.sample().since(start).groupCores(CpuMeter.JIT);
    }

    private void drain(PacedLoad load) throws InterruptedException {
        if (!load.stop(DRAIN)) {
            failures.add("batches still unanswered " + DRAIN.toSeconds() + " s after the load stopped");
        }
    }

    /** With no load: let the app's asynchronous work finish, then the heap after a full GC (the second of two). */
    private static HeapProbe.AfterFullGc quietHeap() throws InterruptedException {
        Thread.sleep(SETTLE.toMillis());
        HeapProbe.fullGc();
        return HeapProbe.fullGc();
    }

    private static String dedupKeys(BenchRig rig) {
        long keys = rig.dedupKeys();
        return keys < 0 ? "not the in-memory default" : String.format(Locale.ROOT, "%,d keys", keys);
    }
}
