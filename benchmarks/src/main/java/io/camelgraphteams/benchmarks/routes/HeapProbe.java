package io.camelgraphteams.benchmarks.routes;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Heap figures of this JVM: the heap in use right after a full collection (the live set, the figure a leak makes grow)
 * and, cheaply between those, what the last collections left and what they cost.
 */
final class HeapProbe {

    private HeapProbe() {
    }

    /** The heap after one full collection, and which collectors ran for it. */
    record AfterFullGc(long usedBytes, String collectors) {
        String describe() {
            return String.format(Locale.ROOT, "%.1f MB", usedBytes / 1e6);
        }
    }

    /**
     * Runs {@code System.gc()} and checks that a collection that covers the old generation ran (with G1, "G1 Old
     * Generation", i.e. a full GC; other collectors' old or full collector likewise). Fails when none ran, e.g. with
     * -XX:+DisableExplicitGC or ExplicitGCInvokesConcurrent, since the figure would then not be a live set.
     */
    static AfterFullGc fullGc() {
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        long[] before = collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).toArray();
        System.gc();
        StringBuilder ran = new StringBuilder();
        boolean full = false;
        for (int i = 0; i < collectors.size(); i++) {
            long runs = collectors.get(i).getCollectionCount() - before[i];
            if (runs > 0) {
                String name = collectors.get(i).getName();
                ran.append(ran.isEmpty() ? "" : ", ").append(name).append(" x").append(runs);
                full |= isOldCollector(name);
            }
        }
        if (!full) {
            throw new IllegalStateException("System.gc() ran no full collection (collectors run: '" + ran
                                            + "'): the heap figure would not be the live set");
        }
        return new AfterFullGc(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), ran.toString());
    }

    private static boolean isOldCollector(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("old") || lower.contains("marksweep") || lower.contains("full")
               || lower.equals("zgc major cycles") || lower.equals("shenandoah cycles");
    }

    /**
     * The live objects per class (GC.class_histogram through the DiagnosticCommand MBean, which collects first):
     * class name to {instances, bytes}. Empty when the JVM does not offer the command.
     */
    static Map<String, long[]> classHistogram() {
        Map<String, long[]> histogram = new HashMap<>();
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] { new String[0] }, new String[] { String[].class.getName() });
            for (String line : text.split("\n")) {
                // "   1:        123456       7890123  byte[] (java.base@17.0.15)"
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 4 && fields[0].endsWith(":") && !fields[0].equals("Total")) {
                    histogram.put(fields[3], new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[2]) });
                }
            }
        } catch (JMException | RuntimeException e) {
            return Map.of();
        }
        return histogram;
    }

    /** The {@code count} classes whose live bytes grew most from {@code start} to {@code end}, as text. */
    static String largestGrowth(Map<String, long[]> start, Map<String, long[]> end, int count) {
        return end.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - start.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - start.getOrDefault(e.getKey(), new long[2])[1] }))
                .filter(e -> e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(count)
                .map(e -> String.format(Locale.ROOT, "%s %+,.0f kB (%+,d)", e.getKey(), e.getValue()[1] / 1e3,
                        e.getValue()[0]))
                .collect(Collectors.joining(", "));
    }

    static long heapUsedNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** What the most recent collection of each heap pool left in it, summed: the live set as of the last GCs. */
    static long heapAfterLastGcs() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                sum += pool.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }

    /** Collections so far and their accumulated time, over every collector: {count, millis}. */
    static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[] { count, millis };
    }
}
