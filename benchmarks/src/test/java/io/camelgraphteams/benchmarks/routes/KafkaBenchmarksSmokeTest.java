package io.camelgraphteams.benchmarks.routes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the two Kafka benchmarks working: each runs for a few seconds with tiny settings, and what it counted must
 * add up (every notification made answered 202 and on the Kafka topic exactly once, though some batches were posted
 * twice, every copy skipped by the consumer's dedup; figures present). No timing is asserted: the machine running the
 * tests may be busy with anything.
 */
class KafkaBenchmarksSmokeTest {

    @Test
    void throughputBenchmarkDeliversEveryNotificationToKafkaExactlyOnce() throws Exception {
        KafkaThroughputBenchmark.Result result = new KafkaThroughputBenchmark(BenchSettings.parse(new String[] {
                "duration=2", "rounds=1", "warmup=1", "rawWarmup=1", "jitWait=0", "batchSize=10", "rawItems=40",
                "tokens=2", "partitions=2", "latencyWarmup=0.5", "latencyDuration=2", "duplicateEvery=3" },
                KafkaThroughputBenchmark.USAGE)).run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.made()).isPositive().isEqualTo(result.tally().generatedSeen());
        assertThat(result.tally().exact(2)).as(result.tally().describe(result.made(), 2)).isTrue();
        assertThat(result.tally().records()).isEqualTo(result.made() + 2);
        assertThat(result.rawPerSecond()).isPositive();
        assertThat(result.endToEndPerSecond()).isPositive();
        assertThat(result.ratio()).isEqualTo(result.endToEndPerSecond() / result.rawPerSecond());
        assertThat(result.pacedRate()).isEqualTo(0.5 * result.endToEndPerSecond());
        assertThat(result.pacedLatencies().count()).isPositive();
        assertThat(result.saturatedLatencies().count()).isPositive();
        // every third batch went twice: the consumer's dedup skipped each copy, none reached Kafka (checked above)
        assertThat(result.duplicatesPosted()).isPositive();
        assertThat(result.duplicatesSkipped()).isEqualTo(result.duplicatesPosted());
    }

    @Test
    void soakBenchmarkMeasuresTheHeapAfterFullGcsAndFindsEveryNotificationOnce() throws Exception {
        KafkaSoakBenchmark.Result result = new KafkaSoakBenchmark(BenchSettings.parse(new String[] {
                "duration=3", "interval=1", "rate=200", "warmup=1", "jitWait=0", "warmupItems=200", "pacedWarmup=1",
                "batchSize=10", "tokens=2", "partitions=2", "heapTolerance=1", "duplicateEvery=5" },
                KafkaSoakBenchmark.USAGE)).run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.intervalsPrinted()).isEqualTo(3);
        assertThat(result.made()).isGreaterThanOrEqualTo(200 + 200 * 2);
        assertThat(result.tally().exact(2)).as(result.tally().describe(result.made(), 2)).isTrue();
        assertThat(result.tally().records()).isEqualTo(result.made() + 2);
        assertThat(result.heapStart().usedBytes()).isPositive();
        assertThat(result.heapEnd().usedBytes()).isPositive();
        assertThat(result.heapStart().collectors()).isNotEmpty();
        assertThat(result.latencies().count()).isPositive();
        assertThat(result.duplicatesPosted()).isPositive();
        assertThat(result.duplicatesSkipped()).isEqualTo(result.duplicatesPosted());
    }
}
