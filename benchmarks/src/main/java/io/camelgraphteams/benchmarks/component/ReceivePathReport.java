package io.camelgraphteams.benchmarks.component;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.testsupport.cpu.CpuMeter;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;

/** What {@link ReceivePathBenchmark} prints: the header, each phase's figures and CPU, the summary. */
final class ReceivePathReport {

    private final BenchmarkOptions options;
    private final int cores;
    private final List<String> failures;

    ReceivePathReport(BenchmarkOptions options, int cores, List<String> failures) {
        this.options = options;
        this.cores = cores;
        this.failures = failures;
    }

    void header() {
        Runtime runtime = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        String flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-X")).collect(Collectors.joining(" "));
        System.out.println("camel-graph-teams receive-path benchmark");
        System.out.printf(Locale.ROOT, "JVM      : %s %s (%s), GC %s, max heap %.1f GiB%s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                System.getProperty("java.vm.vendor"), gcs, runtime.maxMemory() / (1024.0 * 1024 * 1024),
                flags.isEmpty() ? "" : ", flags " + flags);
        System.out.printf(Locale.ROOT, "Machine  : %d available processors, %s %s %s, load average %.2f at start%n",
                cores, System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "Settings : duration %.0f s per phase in %d alternating rounds, warm-up %.0f s, "
                                       + "senders %d, batch size %d, item size %d B, tokens %d, distinct batches %d, raw "
                                       + "threads %d, phases %s%s%n",
                seconds(options.duration()), options.rounds(), seconds(options.warmup()), options.senders(),
                options.batchSize(), options.itemSize(), options.tokens(), options.distinctBatches(),
                options.rawThreads(), String.join("+", options.phases()),
                options.endpointOptions().isBlank() ? "" : ", endpoint options " + options.endpointOptions());
    }

    void endToEnd(Segment total, HttpSenders senders, long exchangesTotal, double averageBodyChars,
                                CamelContext context) {
        long[] latencies = senders.sortedLatencies();
        System.out.printf(Locale.ROOT, "%n[end-to-end] %d senders, %.1f s measured%n", options.senders(),
                total.cpu().wallSeconds());
        System.out.printf(Locale.ROOT, "  notifications/s    : %,.0f  (%,d acknowledged with 202; %,.0f per JVM "
                                       + "core-second, load generator included)%n",
                total.itemsPerSecond(), total.items(), total.itemsPerCoreSecond());
        System.out.printf(Locale.ROOT, "  batches/s          : %,.1f%n", total.batches() / total.cpu().wallSeconds());
        System.out.printf(Locale.ROOT, "  202 latency        : p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d batches, "
                                       + "from send to the complete answer)%n",
                percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 1.0), latencies.length);
        cpu(total);
        long nonAccepted = senders.otherAnswerCount();
        System.out.printf(Locale.ROOT, "  whole run          : %,d batches / %,d notifications sent (warm-up, measured "
                                       + "and between segments), %,d batches answered 202%n",
                senders.batchesSent(), senders.itemsSent(), senders.batchesAccepted());
        System.out.printf(Locale.ROOT, "  non-202 answers    : %d%s%n", nonAccepted,
                nonAccepted == 0 ? "" : "  " + senders.otherAnswers());
        Consumer consumer = context.getRoute(ReceivePathBenchmark.ROUTE_ID).getConsumer();
        // with the forgetful repository every item is routed: duplicates stay 0
        long duplicates = consumer instanceof GraphTeamsConsumer graphTeams ? graphTeams.getDuplicatesSkipped() : 0;
        long accounted = exchangesTotal + duplicates;
        System.out.printf(Locale.ROOT, "  exchanges counted  : %,d + %,d duplicates skipped for %,d notifications sent "
                                       + "-> %s%n",
                exchangesTotal, duplicates, senders.itemsSent(), accounted == senders.itemsSent() ? "equal" : "MISMATCH");
        System.out.printf(Locale.ROOT, "  decrypted body     : %.0f chars per exchange on average%n", averageBodyChars);
        if (consumer instanceof GraphTeamsConsumer graphTeams) {
            Map<String, Long> counters = new LinkedHashMap<>(graphTeams.getCounters().asMap());
            counters.values().removeIf(value -> value == 0);
            System.out.println("  consumer counters  : " + counters + " (probe batch included)");
        }
        if (nonAccepted != 0) {
            failures.add(nonAccepted + " answers were not 202: " + senders.otherAnswers());
        }
        if (accounted != senders.itemsSent()) {
            failures.add("exchanges counted (" + exchangesTotal + ") and duplicates skipped (" + duplicates
                         + ") differ from notifications sent (" + senders.itemsSent() + ")");
        }
    }

    static String cores(Segment segment) {
        CpuMeter.Usage cpu = segment.cpu();
        return cpu.machineCores() < 0
                ? String.format(Locale.ROOT, "JVM %.2f, JIT %.2f cores", cpu.processCores(), segment.jitCores())
                : String.format(Locale.ROOT, "JVM %.2f, JIT %.2f, machine %.2f cores", cpu.processCores(),
                        segment.jitCores(), cpu.machineCores());
    }

    void cpu(Segment segment) {
        CpuMeter.Usage cpu = segment.cpu();
        System.out.printf(Locale.ROOT, "  CPU                : this JVM %.2f of %d cores%s%n", cpu.processCores(), cores,
                cpu.machineCores() < 0 ? "" : String.format(Locale.ROOT, ", whole machine %.2f", cpu.machineCores()));
        System.out.println("  CPU by thread group: " + cpu.byGroup() + " (cores)");
        System.out.printf(Locale.ROOT, "  CPU per item       : %.0f us in total: %s (us)%n",
                cpu.processSeconds() / segment.items() * 1e6, cpu.perItem(segment.items()));
        double others = cpu.otherCores();
        if (others > ReceivePathBenchmark.DISTURBANCE_CORES) {
            System.out.printf(Locale.ROOT, "  NOTE: other processes kept %.2f cores busy on average during this phase%n",
                    others);
        }
    }

    void summary(Segment raw, Segment endToEnd, List<Double> roundRatios) {
        System.out.println();
        System.out.println("[summary]");
        if (endToEnd != null) {
            System.out.printf(Locale.ROOT, "  end-to-end         : %,.0f notifications/s (%,.1f batches/s)%n",
                    endToEnd.itemsPerSecond(), endToEnd.batches() / endToEnd.cpu().wallSeconds());
        }
        if (raw != null) {
            System.out.printf(Locale.ROOT, "  raw decrypt        : %,.0f items/s on %d threads%n", raw.itemsPerSecond(),
                    options.rawThreads());
        }
        if (raw != null && endToEnd != null) {
            double ratio = endToEnd.itemsPerSecond() / raw.itemsPerSecond();
            double target = ReceivePathBenchmark.targetRatio();
            System.out.printf(Locale.ROOT, "  end-to-end / raw   : %.3f (target >= %.2f: %s); per round %s%n", ratio,
                    target, ratio >= target ? "met" : "NOT met",
                    roundRatios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r))
                            .collect(Collectors.joining(" ")));
            System.out.printf(Locale.ROOT, "  per JVM core-second: end-to-end %,.0f / raw %,.0f = %.3f (CPU time instead "
                                           + "of wall time: insensitive to other processes on the machine)%n",
                    endToEnd.itemsPerCoreSecond(), raw.itemsPerCoreSecond(),
                    endToEnd.itemsPerCoreSecond() / raw.itemsPerCoreSecond());
            double rawOthers = raw.otherProcessesCores();
            double e2eOthers = endToEnd.otherProcessesCores();
            if (raw.disturbed() || endToEnd.disturbed()) {
                System.out.printf(Locale.ROOT, "  NOTE               : the machine was shared (other processes: %.2f cores "
                                               + "during raw, %.2f during end-to-end); trust the per-core-second ratio "
                                               + "more than the wall-time one%n", rawOthers, e2eOthers);
            }
        }
        System.out.printf(Locale.ROOT, "  JVM / cores        : %s %s, %d available processors%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), cores);
    }

    private static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
