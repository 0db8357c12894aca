package io.camelgraphteams.benchmarks.component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.camelgraphteams.testsupport.cpu.CpuMeter;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of {@link ReceivePathBenchmark} (option {@code jfr=file}): CPU samples per thread group,
 * hottest methods by self and inclusive samples, methods of the component by inclusive samples, allocation by site,
 * GC and JIT totals, and contended monitors.
 * <pre>
 * mvn -q -pl benchmarks compile exec:java \
 *     -Dexec.mainClass=io.camelgraphteams.benchmarks.component.JfrHotMethods -Dexec.args="/tmp/e2e.jfr [top] [thread-group]"
 * </pre>
 */
public final class JfrHotMethods {

    private JfrHotMethods() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: JfrHotMethods <recording.jfr> [top=25] [thread-group substring]");
        }
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String onlyGroup = args.length > 2 ? args[2] : null;

        Map<String, Long> byGroup = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> component = new HashMap<>();
        Map<String, Long> allocation = new HashMap<>();
        Map<String, Long> monitors = new HashMap<>();
        Map<String, Long> gcByName = new HashMap<>();
        long samples = 0;
        long allocationTotal = 0;
        Duration gcPauses = Duration.ZERO;
        int gcs = 0;
        Duration compilation = Duration.ZERO;
        int compilations = 0;

        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    String group = CpuMeter.group(threadName(event.getThread("sampledThread")));
                    byGroup.merge(group, 1L, Long::sum);
                    if (onlyGroup != null && !group.contains(onlyGroup)) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = frames(event.getStackTrace());
                    if (frames.isEmpty()) {
                        continue;
                    }
                    self.merge(method(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new LinkedHashSet<>();
                    for (RecordedFrame frame : frames) {
                        seen.add(method(frame));
                    }
                    for (String method : seen) {
                        inclusive.merge(method, 1L, Long::sum);
                        if (method.startsWith("io.camelgraphteams.component.")) {
                            component.merge(method, 1L, Long::sum);
                        }
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    long weight = event.getLong("weight");
                    allocationTotal += weight;
                    List<RecordedFrame> frames = frames(event.getStackTrace());
                    String site = frames.isEmpty() ? "?" : firstInteresting(frames);
                    allocation.merge(event.getClass("objectClass").getName() + " <- " + site, weight, Long::sum);
                }
                case "jdk.GarbageCollection" -> {
                    gcs++;
                    gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
                    gcByName.merge(event.getString("name") + "/" + event.getString("cause"), 1L, Long::sum);
                }
                case "jdk.Compilation" -> {
                    compilations++;
                    compilation = compilation.plus(event.getDuration());
                }
                case "jdk.JavaMonitorEnter" -> {
                    List<RecordedFrame> frames = frames(event.getStackTrace());
                    monitors.merge(event.getClass("monitorClass").getName() + " in "
                                   + (frames.isEmpty() ? "?" : method(frames.get(0))),
                            event.getDuration().toNanos(), Long::sum);
                }
                default -> {
                }
            }
        }

        long all = byGroup.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "%s: %d CPU samples (Java threads only)%n", file, all);
        print("samples by thread group", byGroup, all, top, "%");
        String scope = onlyGroup == null ? "" : " [" + onlyGroup + " threads]";
        print("hottest methods, self" + scope, self, samples, top, "%");
        print("hottest methods, inclusive" + scope, inclusive, samples, top, "%");
        print("graph-teams methods, inclusive" + scope, component, samples, top, "%");
        print(String.format(Locale.ROOT, "allocation by class <- first non-JDK frame (sampled total %.1f GB)",
                allocationTotal / 1e9), allocation, allocationTotal, top, "%");
        System.out.printf(Locale.ROOT, "%nGC: %d collections, pauses %.0f ms in total %s%n", gcs,
                gcPauses.toNanos() / 1e6, gcByName);
        System.out.printf(Locale.ROOT, "JIT: %d compilations (over the threshold of the 'profile' settings), %.0f ms%n",
                compilations, compilation.toNanos() / 1e6);
        print("contended monitor enters (total blocked ms)", scaled(monitors, 1e-6), -1, top, "ms");
    }

    private static Map<String, Long> scaled(Map<String, Long> values, double factor) {
        Map<String, Long> scaled = new HashMap<>();
        values.forEach((key, value) -> scaled.put(key, Math.round(value * factor)));
        return scaled;
    }

    private static void print(String title, Map<String, Long> counts, long total, int top, String unit) {
        System.out.printf("%n%s%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(entry -> {
                    if ("%".equals(unit)) {
                        System.out.printf(Locale.ROOT, "  %6.2f%%  %s%n", 100.0 * entry.getValue() / total,
                                entry.getKey());
                    } else {
                        System.out.printf(Locale.ROOT, "  %8d %s  %s%n", entry.getValue(), unit, entry.getKey());
                    }
                });
    }

    private static String threadName(RecordedThread thread) {
        if (thread == null) {
            return null;
        }
        return thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
    }

    private static List<RecordedFrame> frames(RecordedStackTrace stack) {
        return stack == null ? List.of() : stack.getFrames();
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** The allocating frame most worth naming: the first outside java.*, jdk.* and sun.*, else the top one. */
    private static String firstInteresting(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return method(frame);
            }
        }
        return method(frames.get(0));
    }
}
