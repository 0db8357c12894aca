package io.camelgraphteams.faults.child;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Runs {@link KillableApp} (or another app of the test class path) in a child JVM ({@code java -cp <this test class path>}), with its output in a log file of
 * its own. {@link #kill()} is {@link Process#destroyForcibly()}: SIGKILL on Linux, no shutdown hook, no graceful stop
 * of anything, like a crashed pod or {@code kill -9}.
 */
public final class ChildJvm {

    private final Class<?> mainClass;
    private final List<String> jvmOptions;
    private final Path settingsFile;
    private final Path readyFile;
    private final Path logFile;
    private Process process;
    private int starts;

    /**
     * @param directory where the settings, ready marker and logs go
     * @param settings  the properties {@link KillableApp} reads, except {@code ready}
     */
    public ChildJvm(Path directory, Map<String, String> settings) {
        this(directory, settings, KillableApp.class, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
    }

    /**
     * As {@link #ChildJvm(Path, Map)}, running {@code mainClass} (which takes the settings file as its argument and
     * writes the {@code ready} file once started) with {@code jvmOptions}.
     */
    public ChildJvm(Path directory, Map<String, String> settings, Class<?> mainClass, List<String> jvmOptions) {
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.settingsFile = directory.resolve("child.properties");
        this.readyFile = directory.resolve("child.ready");
        this.logFile = directory.resolve("child.log");
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.put("ready", readyFile.toAbsolutePath().toString());
        try (Writer out = Files.newBufferedWriter(settingsFile)) {
            properties.store(out, "KillableApp settings");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the child and waits until its routes run (their subscriptions adopted or created). */
    public void start(Duration timeout) throws IOException {
        Files.deleteIfExists(readyFile);
        starts++;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(testClassPath());
        command.add(mainClass.getName());
        command.add(settingsFile.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Files.writeString(logFile, "==== start " + starts + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
        try {
            await("the child JVM starts").atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(readyFile) || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the child JVM did not start within " + timeout + "; its log:\n" + log(), e);
        }
        if (!process.isAlive()) {
            throw new AssertionError("the child JVM exited with " + process.exitValue() + "; its log:\n" + log());
        }
    }

    /** SIGKILL, then waits until the process is gone; returns its exit status (137 = killed by signal 9). */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child JVM survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /** SIGTERM (the child's shutdown hook stops Camel), then waits for the exit. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The exit status once the child has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the child printed so far, over all its starts. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * The test class path. Surefire's manifest-only jar leaves java.class.path pointing at that jar; Surefire puts the
     * real one in surefire.test.class.path.
     */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
