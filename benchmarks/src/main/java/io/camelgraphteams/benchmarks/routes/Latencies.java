package io.camelgraphteams.benchmarks.routes;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds, recorded from any thread; {@link #drain()} takes what came since the last drain. */
final class Latencies {

    private long[] samples = new long[4096];
    private int count;

    synchronized void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    /** The samples recorded since the last drain, sorted; the recorder starts empty again. */
    synchronized Sorted drain() {
        long[] taken = Arrays.copyOf(samples, count);
        count = 0;
        if (samples.length > 65536) {
            samples = new long[4096];
        }
        Arrays.sort(taken);
        return new Sorted(taken);
    }

    /** Sorted samples and their percentiles in milliseconds. */
    record Sorted(long[] nanos) {

        static final Sorted NONE = new Sorted(new long[0]);

        Sorted plus(Sorted other) {
            long[] all = Arrays.copyOf(nanos, nanos.length + other.nanos.length);
            System.arraycopy(other.nanos, 0, all, nanos.length, other.nanos.length);
            Arrays.sort(all);
            return new Sorted(all);
        }

        int count() {
            return nanos.length;
        }

        /** The smallest sample at or above {@code fraction} of all (nearest rank); NaN without samples. */
        double millis(double fraction) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(fraction * nanos.length) - 1;
            return nanos[Math.max(0, Math.min(nanos.length - 1, rank))] / 1e6;
        }

        String summary() {
            return String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d batches)", millis(0.50),
                    millis(0.99), millis(1.0), count());
        }
    }
}
