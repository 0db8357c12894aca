package io.camelgraphteams.benchmarks.component;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.camelgraphteams.component.crypto.RsaOaepProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps the component's benchmarks working on this module's class path (the component's test fixtures, ACCP, the CPU
 * meter): each runs for a second or two with tiny settings. ReceivePathBenchmark checks its own counts (every answer
 * 202, an exchange per notification sent) and throws when they do not add up. No timing is asserted: the machine
 * running the tests may be busy with anything.
 */
class ComponentBenchmarksSmokeTest {

    @FunctionalInterface
    private interface Main {
        void run() throws Exception;
    }

    @Test
    void receivePathBenchmarkRoutesEveryNotificationAndItsRecordingIsSummarised(@TempDir Path dir) throws Exception {
        Path recording = dir.resolve("e2e.jfr");
        String report = printed(() -> ReceivePathBenchmark.main(new String[] {
                "duration=1", "rounds=1", "warmup=0.5", "jitWait=0", "senders=2", "batchSize=5", "distinctBatches=4",
                "tokens=2", "rawThreads=1", "jfr=" + recording }));

        assertThat(report).contains("[raw decrypt]", "[end-to-end]", "[summary]", "end-to-end / raw",
                "CPU by thread group", "checks             : all answers 202");
        assertThat(recording).isNotEmptyFile();
        assertThat(printed(() -> JfrHotMethods.main(new String[] { recording.toString(), "5" })))
                .contains("samples by thread group", "graph-teams methods, inclusive");
    }

    @Test
    void cryptoProviderBenchmarkComparesTheJdkWithAccp() throws Exception {
        assumeTrue(RsaOaepProvider.amazonCorretto().isPresent(), "ACCP is not usable on this platform");

        String report = printed(() -> CryptoProviderBenchmark.main(new String[] {
                "duration=0.2", "rounds=1", "warmup=0.1", "threads=1", "items=4" }));

        assertThat(report).contains("RSA-2048 OAEP unwrap", "full item decrypt", "HMAC-SHA256 + AES-256-CBC only",
                "per core-second");
    }

    /** What {@code main} printed; it is also passed on to the test's own output. */
    private static String printed(Main main) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(out);
            out.print(bytes.toString(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
