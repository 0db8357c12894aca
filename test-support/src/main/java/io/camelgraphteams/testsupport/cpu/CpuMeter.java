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
import java.util.stream.Collectors;

/**
 * CPU time at an instant, so that an interval can say how many cores this JVM used, what for (thread groups by name,
 * HotSpot's JIT and GC threads from /proc/self/task), and how busy the whole machine was (/proc/stat): a segment during
 * which other processes used the machine is flagged, since its wall-time rates are then not comparable.
 */
public final class CpuMeter {

    public static final String JIT = "JIT compiler";
    public static final String GC = "GC";
    /** USER_HZ, the unit of /proc times. */
    private static final double TICKS_PER_SECOND = 100;

    private CpuMeter() {
    }

    /** One reading. */
    public record Sample(long wallNanos, long processNanos, Map<String, Long> groupNanos, long machineBusy,
                  long machineTotal) {

        public Usage since(Sample start) {
            double wall = (wallNanos - start.wallNanos) / 1e9;
            Map<String, Double> groups = new LinkedHashMap<>();
            groupNanos.forEach((group, nanos) -> groups.put(group,
                    (nanos - start.groupNanos.getOrDefault(group, 0L)) / 1e9));
            double machine = -1;
            if (machineTotal > 0 && start.machineTotal > 0 && machineTotal > start.machineTotal) {
                machine = Runtime.getRuntime().availableProcessors() * wall * (machineBusy - start.machineBusy)
                          / (machineTotal - start.machineTotal);
            }
            return new Usage(wall, (processNanos - start.processNanos) / 1e9, machine, groups);
        }
    }

    /** CPU seconds used over an interval of {@code wallSeconds}; machine seconds negative when unknown. */
    public record Usage(double wallSeconds, double processSeconds, double machineSeconds, Map<String, Double> groupSeconds) {

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

        /** Cores the rest of the machine kept busy meanwhile; negative when unknown. */
        public double otherCores() {
            return machineSeconds < 0 ? -1 : Math.max(0, (machineSeconds - processSeconds) / wallSeconds);
        }

        public double groupCores(String group) {
            return groupSeconds.getOrDefault(group, 0.0) / wallSeconds;
        }

        /** "group 0.93, group 0.12 ..." (cores), busiest first, groups under 0.01 cores left out. */
        public String byGroup() {
            return groupSeconds.entrySet().stream()
                    .filter(e -> e.getValue() / wallSeconds >= 0.01)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / wallSeconds))
                    .collect(Collectors.joining(", "));
        }

        /** Microseconds of CPU per item, by group, for {@code items} items. */
        public String perItem(long items) {
            return groupSeconds.entrySet().stream()
                    .filter(e -> e.getValue() / wallSeconds >= 0.01)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue() / items * 1e6))
                    .collect(Collectors.joining(", "));
        }
    }

    public static Sample sample() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new HashMap<>();
        long javaThreads = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                groups.merge(group(info.getThreadName()), nanos, Long::sum);
                javaThreads += nanos;
            }
        }
        long process = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : javaThreads;
        Map<String, Long> vm = vmThreadNanos();
        groups.putAll(vm);
        // what no Java thread and no JIT/GC thread accounts for (other VM threads, threads that ended)
        groups.put("other VM", Math.max(0, process - javaThreads - vm.values().stream().mapToLong(Long::longValue)
                .sum()));
        long[] machine = machineTicks();
        return new Sample(System.nanoTime(), process, groups, machine[0], machine[1]);
    }

    /** What a thread does, judged by its name. */
    public static String group(String name) {
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

    /** CPU of HotSpot's own JIT and GC threads, which ThreadMXBean does not list; empty without /proc. */
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
