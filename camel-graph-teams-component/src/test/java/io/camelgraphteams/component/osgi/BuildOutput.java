package io.camelgraphteams.component.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the build left in target/ before surefire runs: the bundle manifest (maven-bundle-plugin, process-classes),
 * the component catalog JSON (camel-package-maven-plugin), the filtered Karaf features file (process-resources), and
 * the resolved runtime dependencies plus camel-karaf's features file (maven-dependency-plugin,
 * generate-test-resources).
 */
final class BuildOutput {

    static final Path TARGET = Path.of("target");
    static final Path CLASSES = TARGET.resolve("classes");
    static final Path MANIFEST = CLASSES.resolve("META-INF/MANIFEST.MF");
    static final Path CATALOG = CLASSES.resolve("META-INF/io/camelgraphteams/component/graph-teams.json");
    static final Path FEATURES = TARGET.resolve("feature/feature.xml");
    static final Path RUNTIME_DEPENDENCIES = TARGET.resolve("osgi/runtime-dependencies.txt");
    static final Path CAMEL_KARAF_FEATURES = TARGET.resolve("osgi/camel-karaf-features.xml");

    /** One resolved runtime dependency: coordinates and the jar in the local repository. */
    record Dependency(String groupId, String artifactId, String version, Path file) {

        String key() {
            return groupId + ":" + artifactId;
        }

        Optional<Manifest> manifest() throws IOException {
            try (JarFile jar = new JarFile(file.toFile())) {
                return Optional.ofNullable(jar.getManifest());
            }
        }

        boolean containsPackage(String packageName) throws IOException {
            String prefix = packageName.replace('.', '/') + "/";
            try (JarFile jar = new JarFile(file.toFile())) {
                return jar.stream().anyMatch(e -> e.getName().startsWith(prefix) && e.getName().endsWith(".class")
                                                  && e.getName().indexOf('/', prefix.length()) < 0);
            }
        }
    }

    // "   g:a:type[:classifier]:version:scope:/abs/path.jar -- module x"
    private static final Pattern DEPENDENCY_LINE
            = Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):([^:\\s]+)(?::([^:\\s]+))?:([^:\\s]+):(compile|runtime):(\\S+?)(?:\\s.*)?$");

    private BuildOutput() {
    }

    static Manifest manifest() throws IOException {
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            return new Manifest(in);
        }
    }

    /** The Maven project version, as the component catalog records it. */
    static String projectVersion() throws IOException {
        return new ObjectMapper().readTree(CATALOG.toFile()).path("component").path("version").asText();
    }

    static String projectArtifact() throws IOException {
        var component = new ObjectMapper().readTree(CATALOG.toFile()).path("component");
        return component.path("groupId").asText() + ":" + component.path("artifactId").asText();
    }

    static List<Dependency> runtimeDependencies() throws IOException {
        List<Dependency> dependencies = new ArrayList<>();
        for (String line : Files.readAllLines(RUNTIME_DEPENDENCIES)) {
            Matcher m = DEPENDENCY_LINE.matcher(line);
            if (m.matches()) {
                dependencies.add(new Dependency(m.group(1), m.group(2), m.group(5), Path.of(m.group(7))));
            }
        }
        return dependencies;
    }

    /** The packages that hold classes under target/classes. */
    static List<String> classPackages() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> CLASSES.relativize(p.getParent()).toString().replace('/', '.').replace('\\', '.'))
                    .distinct().sorted().toList();
        }
    }

    /** Every class file under target/classes, read as Latin-1 so constant-pool names can be searched as text. */
    static List<String> classFilesAsText() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            List<String> texts = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                texts.add(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return texts;
        }
    }
}
