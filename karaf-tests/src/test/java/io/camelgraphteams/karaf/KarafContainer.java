package io.camelgraphteams.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apache Karaf, unpacked by the build and run as a child process of the test JVM ({@code bin/karaf daemon}),
 * provisioned before it boots through its own files: the features it installs at boot, its Maven resolver's
 * repositories, Config Admin files in etc/. What the container did is read from its log, data/log/karaf.log.
 */
final class KarafContainer implements AutoCloseable {

    private static final String KARAF_VERSION = "4.4.10";
    /** What Karaf itself needs at boot, as its distribution installs it, less ssh and JMX (fixed ports). */
    private static final List<String> KARAF_BOOT_FEATURES = List.of(
            "package", "log", "framework", "system", "eventadmin", "feature", "shell", "service", "jaas", "deployer",
            "diagnostic", "bundle", "config");

    private final Path home;
    private Process process;

    private KarafContainer(Path home) {
        this.home = home;
    }

    /** A fresh copy of {@code distribution} in {@code runDirectory}, so that no run sees another's data/ or etc/. */
    static KarafContainer copyOf(Path distribution, Path runDirectory) {
        if (!Files.isRegularFile(distribution.resolve("bin/karaf"))) {
            throw new IllegalStateException("No Karaf distribution in " + distribution + ": run the test through Maven "
                                            + "(mvn verify), which unpacks org.apache.karaf:apache-karaf:"
                                            + KARAF_VERSION + ":tar.gz there");
        }
        deleteTree(runDirectory);
        copyTree(distribution, runDirectory);
        return new KarafContainer(runDirectory);
    }

    Path home() {
        return home;
    }

    /** Adds a directory in Maven repository layout to the container's system/ folder, which it resolves mvn: from first. */
    void addToSystemRepository(Path repositoryLayout) {
        copyTree(repositoryLayout, home.resolve("system"));
    }

    /**
     * Points the container's Maven resolver (pax-url-aether) at the build's local repository, then at the remote
     * repositories, after system/.
     */
    void resolveMavenThrough(String localRepository, String remoteRepositories) {
        write("etc/org.ops4j.pax.url.mvn.cfg", """
                org.ops4j.pax.url.mvn.localRepository = %s
                org.ops4j.pax.url.mvn.defaultRepositories = ${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots
                org.ops4j.pax.url.mvn.repositories = %s
                org.ops4j.pax.url.mvn.useFallbackRepositories = false
                org.ops4j.pax.url.mvn.certificateCheck = true
                org.ops4j.pax.url.mvn.timeout = 10000
                org.ops4j.pax.url.mvn.socket.connectionTimeout = 10000
                org.ops4j.pax.url.mvn.socket.readTimeout = 30000
                org.ops4j.pax.url.mvn.connection.retryCount = 3
                """.formatted(escape(localRepository), escape(remoteRepositories)));
    }

    /** Karaf's features processing (bundle replacements, blacklists) from {@code file}. */
    void processFeaturesWith(Path file) {
        copy(file, home.resolve("etc/org.apache.karaf.features.xml"));
    }

    /** The features repositories (besides Karaf's own) and the features the container installs when it boots. */
    void bootFeatures(List<String> repositories, List<String> features) {
        List<String> allRepositories = new ArrayList<>();
        for (String karafRepository : List.of("framework", "standard", "specs", "enterprise")) {
            allRepositories.add("mvn:org.apache.karaf.features/" + karafRepository + "/" + KARAF_VERSION + "/xml/features");
        }
        allRepositories.addAll(repositories);
        List<String> allFeatures = new ArrayList<>(KARAF_BOOT_FEATURES.stream().map(f -> f + "/" + KARAF_VERSION).toList());
        allFeatures.add("wrap/2.7.0");
        allFeatures.addAll(features);
        write("etc/org.apache.karaf.features.cfg", """
                featuresRepositories = %s
                featuresBoot = %s
                featuresBootAsynchronous = false
                autoRefresh = true
                """.formatted(escape(String.join(",", allRepositories)), escape(String.join(",", allFeatures))));
    }

    /** etc/{pid}.cfg: Karaf's file install hands it to Config Admin under {@code pid}. */
    void configuration(String pid, Map<String, String> properties) {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) -> text.append(key).append(" = ").append(escape(value)).append('\n'));
        write("etc/" + pid + ".cfg", text.toString());
    }

    /** Starts the container in the background; it installs its boot features while the caller goes on. */
    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/karaf", "daemon").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("karaf-console.out").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("EXTRA_JAVA_OPTS");
        process = builder.start();
        // a test JVM that ends without close() (timeout, Ctrl-C) must not leave the container running
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "karaf-container-stop"));
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    Path log() {
        return home.resolve("data/log/karaf.log");
    }

    /** The first line of the log that says the container could not install or start what it was given, if any. */
    Optional<String> provisioningError() {
        for (String line : logLines()) {
            if (line.contains("Error installing boot features") || line.contains("Unable to resolve")
                || line.contains("Error starting bundle") || line.contains("ConfigurationException")) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    boolean logContains(String text) {
        return logLines().stream().anyMatch(line -> line.contains(text));
    }

    /** The last {@code count} lines of the container's log, for failure messages. */
    String logTail(int count) {
        List<String> lines = logLines();
        List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
        return "--- last " + tail.size() + " lines of " + log() + " ---\n" + String.join("\n", tail);
    }

    List<String> logLines() {
        try {
            return Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the container (SIGTERM: Karaf shuts the framework down), forcibly if it has not ended after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        // bin/karaf daemon execs the JVM, so this is Karaf itself; its children too, in case a shell stayed between
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Values in Karaf's .cfg files are read like Java properties: backslashes and line ends need escaping. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private void write(String relative, String content) {
        Path target = home.resolve(relative);
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            // moved into place whole: Karaf's file install, watching etc/, never reads half a file
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
