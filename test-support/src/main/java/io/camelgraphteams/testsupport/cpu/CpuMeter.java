package io.camelgraphteams.testsupport.cpu;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * CPU time at an instant, so that an interval can say how many cores this JVM used, what for (Java threads grouped by
 * what their names say they do; HotSpot's JIT and GC threads from /proc/self/task), and how busy the whole machine
 * was (/proc/stat): an interval during which other processes used the machine can be told apart, since its wall-time
 * rates are then not comparable. The benchmarks of both families (module benchmarks) measure with it.
 */
public final class CpuMeter {

    public static final String JIT = "JIT compiler";
    public static final String GC = "GC";
    /** This process's CPU that no live Java thread and no JIT or GC thread accounts for, threads that ended included. */
    public static final String OTHER_VM = "other VM";
    /** Groups using less than this many cores are left out of the printed figures. */
    private static final double PRINTED_CORES = 0.005;
    /** USER_HZ, the unit of the times in /proc. */
    private static final double TICKS_PER_SECOND = 100;

    private CpuMeter() {
    }

    /** One reading; {@link #since(Sample)} turns two of them into the {@link Usage} in between. */
    public static final class Sample {

        private final long wallNanos;
        private final long processNanos;
        private final Map<Long, String> threadGroups;
        private final Map<Long, Long> threadNanos;
        private final Map<String, Long> vmThreadNanos;
        private final long machineBusy;
        private final long machineTotal;

        private Sample(long wallNanos, long processNanos, Map<Long, String> threadGroups, Map<Long, Long> threadNanos,
                       Map<String, Long> vmThreadNanos, long machineBusy, long machineTotal) {
            this.wallNanos = wallNanos;
            this.processNanos = processNanos;
            this.threadGroups = threadGroups;
            this.threadNanos = threadNanos;
            this.vmThreadNanos = vmThreadNanos;
            this.machineBusy = machineBusy;
            this.machineTotal = machineTotal;
        }

        /**
         * The CPU used from {@code start} to this reading. Each Java thread counts what it used since {@code start}
         * (all of it when it began later); a thread that ended in between is lost to its group and lands in
         * {@link #OTHER_VM}, so read while the measured threads still run.
         */
        public Usage since(Sample start) {
            double wall = (wallNanos - start.wallNanos) / 1e9;
            Map<String, Double> groups = new LinkedHashMap<>();
            long attributed = 0;
            for (Map.Entry<Long, Long> thread : threadNanos.entrySet()) {
                long used = thread.getValue() - start.threadNanos.getOrDefault(thread.getKey(), 0L);
                attributed += used;
                groups.merge(threadGroups.get(thread.getKey()), used / 1e9, Double::sum);
            }
            long process = processNanos - start.processNanos;
            long residual = Math.max(0, process - attributed);
            for (String vmGroup : new String[] { JIT, GC }) {
                long used = vmThreadNanos.getOrDefault(vmGroup, 0L) - start.vmThreadNanos.getOrDefault(vmGroup, 0L);
                // /proc ticks are 10 ms coarse and VM threads come and go: never more than what is left unexplained
                long counted = Math.min(residual, Math.max(0, used));
                groups.put(vmGroup, counted / 1e9);
                residual -= counted;
            }
            groups.put(OTHER_VM, residual / 1e9);
            double machine = -1;
            if (machineTotal > 0 && start.machineTotal > 0 && machineTotal > start.machineTotal) {
                // busy share of all CPUs' ticks, times the number of CPUs, times the interval
                machine = Runtime.getRuntime().availableProcessors() * wall * (machineBusy - start.machineBusy)
                          / (machineTotal - start.machineTotal);
            }
            return new Usage(wall, process / 1e9, machine, groups);
        }
    }

    /**
     * CPU seconds used over an interval of {@code wallSeconds}: by this JVM, by each thread group, and by the whole
     * machine (all processes; negative when unknown). Usages add up, so interleaved segments of one phase can be summed.
     */
    public record Usage(double wallSeconds, double processSeconds, double machineSeconds,
                        Map<String, Double> groupSeconds) {

        public static final Usage NONE = new Usage(0, 0, 0, Map.of());

        public Usage plus(Usage other) {
            Map<String, Double> groups = new LinkedHashMap<>(groupSeconds);
            other.groupSeconds.forEach((group, seconds) -> groups.merge(group, seconds, Double::sum));
            return new Usage(wallSeconds + other.wallSeconds, processSeconds + other.processSeconds,
                    machineSeconds < 0 || other.machineSeconds < 0 ? -1 : machineSeconds + other.machineSeconds,
                    groups);
        }

        public double processCores() {
            return processSeconds / wallSeconds;
        }

        /** Cores the whole machine kept busy, this JVM included; negative when unknown. */
        public double machineCores() {
            return machineSeconds < 0 ? -1 : machineSeconds / wallSeconds;
        }

        /** Cores the rest of the machine kept busy meanwhile; negative when unknown. */
        public double otherCores() {
            return machineSeconds < 0 ? -1 : Math.max(0, (machineSeconds - processSeconds) / wallSeconds);
        }

        public double groupCores(String group) {
            return groupSeconds.getOrDefault(group, 0.0) / wallSeconds;
        }

        /** "group 0.93, group 0.12, ..." (cores), busiest first. */
        public String byGroup() {
            return printed(seconds -> seconds / wallSeconds, "%.2f");
        }

        /** Microseconds of CPU per item, by group, for {@code items} items, busiest first. */
        public String perItem(long items) {
            return printed(seconds -> seconds / items * 1e6, "%.0f");
        }

        private String printed(ToDoubleFunction<Double> figure, String format) {
            return groupSeconds.entrySet().stream()
                    .filter(e -> e.getValue() / wallSeconds >= PRINTED_CORES)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + String.format(Locale.ROOT, format, figure.applyAsDouble(e.getValue())))
                    .collect(Collectors.joining(", "));
        }
    }

    public static Sample sample() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, String> groups = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        long javaThreads = 0;
        if (threads.isThreadCpuTimeSupported()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long used = threads.getThreadCpuTime(info.getThreadId());
                if (used >= 0) {
                    groups.put(info.getThreadId(), group(info.getThreadName()));
                    nanos.put(info.getThreadId(), used);
                    javaThreads += used;
                }
            }
        }
        long process = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : javaThreads;
        long[] machine = machineTicks();
        return new Sample(System.nanoTime(), process, groups, nanos, vmThreadNanos(), machine[0], machine[1]);
    }

    /** What a thread does, judged by its name: the benchmarks' own threads are named "bench-...". */
    public static String group(String name) {
        if (name == null) {
            return "other Java";
        }
        if (name.startsWith("bench-raw")) {
            return "raw decrypt";
        }
        if (name.startsWith("bench-") || name.startsWith("HttpClient-")) {
            return "load generator";
        }
        if (name.contains("GraphTeamsNotifications")) {
            return "graph-teams workers";
        }
        if (name.contains("GraphTeamsIntake")) {
            return "graph-teams intake";
        }
        if (name.startsWith("vert.x-eventloop")) {
            return "vert.x event loop";
        }
        if (name.startsWith("vert.x-")) {
            return "vert.x other";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "kafka producer I/O";
        }
        if (name.contains("KafkaProducer[")) {
            return "camel-kafka continuation";
        }
        if (name.startsWith("data-plane-kafka") || name.startsWith("kafka-") || name.startsWith("broker-")
            || name.startsWith("controller-") || name.startsWith("raft-") || name.startsWith("quorum")
            || name.contains("ReplicaFetcher") || name.startsWith("ExpirationReaper") || name.startsWith("group-")
            || name.startsWith("LogDirFailureHandler") || name.startsWith("transaction-")) {
            return "kafka broker";
        }
        return "other Java";
    }

    /**
     * CPU of HotSpot's own JIT and GC threads ("C2 CompilerThre", "GC Thread#0", "G1 Conc#0", ...), which
     * ThreadMXBean does not list; empty without /proc.
     */
    private static Map<String, Long> vmThreadNanos() {
        Map<String, Long> nanos = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String group = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? JIT
                            : name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC : null;
                    if (group != null) {
                        String stat = Files.readString(task.resolve("stat"));
                        // after "(comm) ": state is field 3 of the line; utime and stime are fields 14 and 15
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        nanos.merge(group, (long) (ticks / TICKS_PER_SECOND * 1e9), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return nanos;
    }

    /** {busy, total} ticks of all CPUs from the first line of /proc/stat, or {-1, -1}. */
    private static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // cpu user nice system idle iowait irq softirq steal (guest times are already in user and nice)
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                long value = Long.parseLong(fields[i]);
                total += value;
                if (i == 4 || i == 5) {
                    idle += value;
                }
            }
            return new long[] { total - idle, total };
        } catch (IOException | RuntimeException e) {
            return new long[] { -1, -1 };
        }
    }
}
