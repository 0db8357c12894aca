package io.camelgraphteams.benchmarks.routes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings of one benchmark: each known name can be given as a system property {@code bench.<name>} or as a
 * program argument {@code <name>=<value>} (arguments win); anything else is refused with the usage text. Values
 * are read with their documented defaults by the typed getters.
 */
final class BenchSettings {

    private final Map<String, String> values;
    private final String usage;

    private BenchSettings(Map<String, String> values, String usage) {
        this.values = values;
        this.usage = usage;
    }

    /**
     * @param usage one line per setting, each starting with its name followed by '=' and the default
     */
    static BenchSettings parse(String[] args, String usage) {
        Map<String, String> known = new LinkedHashMap<>();
        usage.lines().map(String::trim).filter(line -> line.matches("^[a-zA-Z]+=.*"))
                .forEach(line -> known.put(line.substring(0, line.indexOf('=')), ""));
        Map<String, String> values = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench."))
                .forEach(name -> values.put(name.substring("bench.".length()), System.getProperty(name)));
        for (String arg : args) {
            String trimmed = arg.startsWith("--") ? arg.substring(2) : arg;
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not name=value: '" + arg + "'\n" + usage);
            }
            values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
        }
        for (String name : values.keySet()) {
            if (!known.containsKey(name)) {
                throw new IllegalArgumentException("unknown setting '" + name + "'\n" + usage);
            }
        }
        return new BenchSettings(values, usage);
    }

    Duration seconds(String name, double defaultSeconds) {
        double seconds = get(name, Double::parseDouble, defaultSeconds);
        if (seconds < 0) {
            throw invalid(name, "must not be negative");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    int positiveInt(String name, int defaultValue) {
        int value = get(name, Integer::parseInt, defaultValue);
        if (value <= 0) {
            throw invalid(name, "must be positive");
        }
        return value;
    }

    int positiveOrZero(String name, int defaultValue) {
        int value = get(name, Integer::parseInt, defaultValue);
        if (value < 0) {
            throw invalid(name, "must not be negative");
        }
        return value;
    }

    /** A number &gt; 0, or 0 when the setting means "work it out" (e.g. a rate measured first). */
    double nonNegative(String name, double defaultValue) {
        double value = get(name, Double::parseDouble, defaultValue);
        if (value < 0) {
            throw invalid(name, "must not be negative");
        }
        return value;
    }

    boolean flag(String name, boolean defaultValue) {
        return get(name, Boolean::parseBoolean, defaultValue);
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** name=value pairs separated by commas, e.g. {@code camel.component.kafka.linger-ms=0,kafka.topic=x}. */
    Map<String, String> pairs(String name) {
        Map<String, String> pairs = new LinkedHashMap<>();
        String value = values.getOrDefault(name, "");
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw invalid(name, "expects name=value pairs separated by commas, got '" + pair + "'");
            }
            pairs.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return pairs;
    }

    private <T> T get(String name, Function<String, T> parser, T defaultValue) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw invalid(name, "cannot be '" + value + "'");
        }
    }

    private IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException(name + " " + problem + "\n" + usage);
    }

    /** Every setting given, for the report header. */
    Map<String, String> given() {
        return Map.copyOf(values);
    }
}
