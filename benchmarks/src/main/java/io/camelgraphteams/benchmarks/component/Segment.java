package io.camelgraphteams.benchmarks.component;

import io.camelgraphteams.testsupport.cpu.CpuMeter;

/** What one measured segment of a phase did: items (and batches) completed, and the CPU it took. */
record Segment(long items, long batches, CpuMeter.Usage cpu) {

    static final Segment NONE = new Segment(0, 0, CpuMeter.Usage.NONE);

    Segment plus(Segment other) {
        return new Segment(items + other.items, batches + other.batches, cpu.plus(other.cpu));
    }

    double itemsPerSecond() {
        return items / cpu.wallSeconds();
    }

    double itemsPerCoreSecond() {
        return items / cpu.processSeconds();
    }

    /** Cores other processes kept busy on average; negative when unknown. */
    double otherProcessesCores() {
        return cpu.otherCores();
    }

    boolean disturbed() {
        return otherProcessesCores() > ReceivePathBenchmark.DISTURBANCE_CORES;
    }

    double jitCores() {
        return cpu.groupCores(CpuMeter.JIT);
    }
}
