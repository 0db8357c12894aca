package io.camelgraphteams.benchmarks.component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of {@link ReceivePathBenchmark}. Each can be given as a system property {@code bench.<name>} or as a
 * program argument {@code <name>=<value>} (arguments win), e.g. {@code -Dbench.senders=8} or
 * {@code -Dexec.args="duration=30 senders=8"}.
 */
record BenchmarkOptions(Duration duration, Duration warmup, Duration jitWait, int rounds, int senders, int batchSize,
                        int itemSize, int tokens, int distinctBatches, int rawThreads, String endpointOptions,
                        Set<String> phases, Path jfr) {

    static final String USAGE = """
            ReceivePathBenchmark options (program argument name=value, or system property bench.name=value):
              duration=20          measured seconds per phase (raw decrypt and end-to-end)
              warmup=60            warm-up seconds of each phase before the first round (code run once per batch,
                                   ~130 times a second, reaches C2 only after about a minute); it goes on in 2 s steps
                                   while the JIT compiler threads are busy...
              jitWait=60           ...for at most this many more seconds
              rounds=4             the measured time of each phase is split into this many segments, run
                                   alternately (raw, e2e, raw, e2e, ...) so load from other processes on a shared
                                   machine hits both phases alike
              senders=<2*cores,>=4> concurrent HTTP senders (closed loop, one batch in flight each)
              batchSize=50         notifications per POST
              itemSize=2048        bytes of chatMessage JSON per notification (the text body is padded)
              tokens=4             distinct validation tokens; each batch carries one, round robin
              distinctBatches=200  pre-built batches, sent round robin
              rawThreads=<cores>   threads of the raw decrypt phase
              endpointOptions=     extra graph-teams endpoint options, e.g. workerPoolSize=2
              phases=raw,e2e       phases to run (raw, e2e)
              jfr=                 file to write a JFR recording ("profile" settings) to, from the start of the first
                                   to the end of the last measured e2e segment (use phases=e2e for a clean profile)
            """;

    private static final List<String> NAMES = List.of("duration", "warmup", "jitWait", "rounds", "senders", "batchSize",
            "itemSize", "tokens", "distinctBatches", "rawThreads", "endpointOptions", "phases", "jfr");

    static BenchmarkOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            String property = System.getProperty("bench." + name);
            if (property != null) {
                values.put(name, property);
            }
        }
        for (String arg : args) {
            String trimmed = arg.startsWith("--") ? arg.substring(2) : arg;
            if (trimmed.equals("help") || trimmed.equals("h")) {
                throw new IllegalArgumentException(USAGE);
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || !NAMES.contains(trimmed.substring(0, equals))) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
            values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Set<String> phases = new LinkedHashSet<>(List.of(values.getOrDefault("phases", "raw,e2e").split(",")));
        phases.removeIf(String::isBlank);
        if (!Set.of("raw", "e2e").containsAll(phases) || phases.isEmpty()) {
            throw new IllegalArgumentException("phases must be raw, e2e or both, was " + phases + "\n" + USAGE);
        }
        String jfr = values.getOrDefault("jfr", "");
        return new BenchmarkOptions(
                seconds(values.getOrDefault("duration", "20")),
                seconds(values.getOrDefault("warmup", "60")),
                seconds(values.getOrDefault("jitWait", "60")),
                positive(values, "rounds", 4),
                positive(values, "senders", Math.max(4, 2 * cores)),
                positive(values, "batchSize", 50),
                positive(values, "itemSize", 2048),
                positive(values, "tokens", 4),
                positive(values, "distinctBatches", 200),
                positive(values, "rawThreads", cores),
                values.getOrDefault("endpointOptions", ""),
                phases,
                jfr.isBlank() ? null : Path.of(jfr).toAbsolutePath());
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }

    private static int positive(Map<String, String> values, String name, int defaultValue) {
        String value = values.get(name);
        int parsed = value == null ? defaultValue : Integer.parseInt(value.trim());
        if (parsed <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return parsed;
    }
}
