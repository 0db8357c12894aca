package io.camelgraphteams.benchmarks.component;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time at one instant: this JVM's process time, each live Java thread's time (grouped by what the thread does),
 * and, on Linux, the whole machine's busy time from /proc/stat, so a phase can tell how many cores it used and whether
 * something else on the (shared) machine competed with it.
 */
final class CpuSnapshot {

    static final String GC = "GC threads";
    static final String JIT = "JIT compiler threads";
    static final String UNATTRIBUTED = "other VM (not in a Java thread)";
    /** USER_HZ: the unit of utime/stime in /proc/.../stat on Linux. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    private final long wallNanos;
    private final long processNanos;
    private final Map<Long, String> threadNames;
    private final Map<Long, Long> threadNanos;
    private final long machineBusyTicks;
    private final long machineTotalTicks;
    /** Ticks of HotSpot's native GC and JIT threads, by {@link #GC} and {@link #JIT}, from /proc/self/task. */
    private final Map<String, Long> vmThreadTicks;

    private CpuSnapshot(long wallNanos, long processNanos, Map<Long, String> threadNames, Map<Long, Long> threadNanos,
                        long machineBusyTicks, long machineTotalTicks, Map<String, Long> vmThreadTicks) {
        this.wallNanos = wallNanos;
        this.processNanos = processNanos;
        this.threadNames = threadNames;
        this.threadNanos = threadNanos;
        this.machineBusyTicks = machineBusyTicks;
        this.machineTotalTicks = machineTotalTicks;
        this.vmThreadTicks = vmThreadTicks;
    }

    /**
     * CPU used over a wall-clock interval: by this JVM, per thread group, and by the whole machine (negative when
     * unknown). Intervals add up, so interleaved segments of one phase can be summed.
     */
    record Usage(double wallSeconds, double processCpuSeconds, double machineCpuSeconds,
                 Map<String, Double> groupCpuSeconds) {

        static final Usage NONE = new Usage(0, 0, 0, Map.of());

        Usage plus(Usage other) {
            Map<String, Double> groups = new LinkedHashMap<>(groupCpuSeconds);
            other.groupCpuSeconds.forEach((group, seconds) -> groups.merge(group, seconds, Double::sum));
            return new Usage(wallSeconds + other.wallSeconds, processCpuSeconds + other.processCpuSeconds,
                    machineCpuSeconds < 0 || other.machineCpuSeconds < 0 ? -1 : machineCpuSeconds + other.machineCpuSeconds,
                    groups);
        }

        double processCores() {
            return processCpuSeconds / wallSeconds;
        }

        /** Cores the machine as a whole was busy (all processes); negative when unknown. */
        double machineCores() {
            return machineCpuSeconds < 0 ? -1 : machineCpuSeconds / wallSeconds;
        }

        /** Cores used by each thread group, busiest first, groups under 0.005 cores left out. */
        Map<String, Double> coresByGroup() {
            Map<String, Double> cores = new LinkedHashMap<>();
            groupCpuSeconds.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .filter(entry -> entry.getValue() / wallSeconds >= 0.005)
                    .forEach(entry -> cores.put(entry.getKey(), entry.getValue() / wallSeconds));
            return cores;
        }
    }

    static CpuSnapshot take() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        if (threads.isThreadCpuTimeSupported()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long time = threads.getThreadCpuTime(info.getThreadId());
                if (time >= 0) {
                    names.put(info.getThreadId(), info.getThreadName());
                    cpu.put(info.getThreadId(), time);
                }
            }
        }
        long[] machine = machineTicks();
        long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        return new CpuSnapshot(System.nanoTime(), process, names, cpu, machine[0], machine[1], vmThreadTicks());
    }

    /**
     * CPU ticks of the VM's own native threads, which ThreadMXBean does not list: HotSpot names them, e.g.
     * "GC Thread#0", "G1 Conc#0", "G1 Refine#0", "C2 CompilerThre". Empty when /proc is not there.
     */
    private static Map<String, Long> vmThreadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String group = name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC
                            : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? JIT : null;
                    if (group == null) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    // fields after "(comm)": state is field 3, utime field 14, stime field 15
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(group, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return ticks;
    }

    /** What a thread does, judged by its name. */
    static String group(String threadName) {
        if (threadName == null) {
            return "other Java threads";
        }
        if (threadName.startsWith("vert.x-eventloop")) {
            return "vert.x event loop";
        }
        if (threadName.startsWith("vert.x-")) {
            return "vert.x other";
        }
        if (threadName.contains("GraphTeamsNotifications")) {
            return "graph-teams workers";
        }
        if (threadName.startsWith("HttpClient-")) {
            return "load generator: java.net.http client";
        }
        if (threadName.startsWith("bench-sender")) {
            return "load generator: sender threads";
        }
        if (threadName.startsWith("bench-raw")) {
            return "raw decrypt threads";
        }
        return "other Java threads";
    }

    /**
     * The CPU used from {@code start} to this snapshot. Threads that ended in between are lost to their group and
     * counted as {@link #UNATTRIBUTED}; take snapshots while the measured threads still run.
     */
    Usage since(CpuSnapshot start) {
        double wall = (wallNanos - start.wallNanos) / 1e9;
        Map<String, Double> groups = new LinkedHashMap<>();
        long attributed = 0;
        for (Map.Entry<Long, Long> thread : threadNanos.entrySet()) {
            long used = thread.getValue() - start.threadNanos.getOrDefault(thread.getKey(), 0L);
            attributed += used;
            groups.merge(group(threadNames.get(thread.getKey())), used / 1e9, Double::sum);
        }
        double process = -1;
        if (processNanos >= 0 && start.processNanos >= 0) {
            process = (processNanos - start.processNanos) / 1e9;
            double residual = Math.max(0, processNanos - start.processNanos - attributed) / 1e9;
            for (String vmGroup : List.of(GC, JIT)) {
                long ticks = vmThreadTicks.getOrDefault(vmGroup, 0L) - start.vmThreadTicks.getOrDefault(vmGroup, 0L);
                // tick counts are coarse (10 ms) and threads may come and go: never attribute more than the residual
                double seconds = Math.min(residual, Math.max(0, ticks) / CLOCK_TICKS_PER_SECOND);
                groups.put(vmGroup, seconds);
                residual -= seconds;
            }
            groups.put(UNATTRIBUTED, residual);
        }
        double machine = -1;
        long total = machineTotalTicks - start.machineTotalTicks;
        if (machineTotalTicks >= 0 && start.machineTotalTicks >= 0 && total > 0) {
            // jiffies of all CPUs: busy share of the interval times the number of CPUs times its length
            int cpus = Runtime.getRuntime().availableProcessors();
            machine = cpus * wall * (machineBusyTicks - start.machineBusyTicks) / total;
        }
        return new Usage(wall, process, machine, groups);
    }

    /** {busy, total} jiffies of all CPUs from /proc/stat, or {-1, -1}. */
    private static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] fields = line.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user/nice]
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
