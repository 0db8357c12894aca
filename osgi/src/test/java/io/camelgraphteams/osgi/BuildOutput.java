package io.camelgraphteams.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the build produced for the component, as this module resolved it before Surefire ran: the packaged bundle jar
 * and its Karaf features file (in a reactor build, the component module's target/), the component's resolved runtime
 * dependencies, and camel-karaf's features file plus the Camel 4.14 jars (all from maven-dependency-plugin,
 * generate-test-resources, into this module's target/osgi).
 */
final class BuildOutput {

    static final Path DEPENDENCY_LIST = Path.of("target/osgi/runtime-dependencies.txt");
    static final Path CAMEL_KARAF_FEATURES = Path.of("target/osgi/camel-karaf-features.xml");
    static final Path CAMEL_414_JARS = Path.of("target/osgi/camel-4.14");
    static final String CATALOG = "META-INF/io/camelgraphteams/component/graph-teams.json";
    private static final String GROUP_ID = "io.camelgraphteams";
    private static final String ARTIFACT_ID = "camel-graph-teams";
    private static final String POM_PROPERTIES = "META-INF/maven/" + GROUP_ID + "/" + ARTIFACT_ID + "/pom.properties";

    /** One resolved dependency: coordinates and its file (in the local repository, or a reactor module's target/). */
    record Dependency(String groupId, String artifactId, String type, String classifier, String version, Path file) {

        String key() {
            return groupId + ":" + artifactId;
        }

        boolean isComponent() {
            return groupId.equals(GROUP_ID) && artifactId.equals(ARTIFACT_ID);
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

    /** The packaged component jar, the bundle every check here is about. */
    static Path bundle() throws IOException {
        Path jar = componentArtifact("jar", null).file();
        if (Files.isDirectory(jar) || !jar.toString().endsWith(".jar")) {
            // a reactor build that stops before package resolves the component to target/classes
            throw new IllegalStateException("the OSGi checks read the packaged component jar, not " + jar
                                            + ": run them with mvn verify (the package phase must have run)");
        }
        return jar;
    }

    /** The Karaf features file the component attached (classifier "features"). */
    static Path features() throws IOException {
        return componentArtifact("xml", "features").file();
    }

    static Manifest manifest() throws IOException {
        try (JarFile jar = new JarFile(bundle().toFile())) {
            return jar.getManifest();
        }
    }

    /** The Maven project version, as the jar's own pom.properties records it. */
    static String projectVersion() throws IOException {
        return pomProperties().getProperty("version");
    }

    static String projectArtifact() throws IOException {
        Properties pom = pomProperties();
        return pom.getProperty("groupId") + ":" + pom.getProperty("artifactId");
    }

    private static Properties pomProperties() throws IOException {
        Optional<String> text = entryText(POM_PROPERTIES);
        if (text.isEmpty()) {
            throw new IllegalStateException(POM_PROPERTIES + " is not in " + bundle());
        }
        Properties properties = new Properties();
        properties.load(new StringReader(text.get()));
        return properties;
    }

    /** The component's runtime dependencies, without the component's own artifacts. */
    static List<Dependency> runtimeDependencies() throws IOException {
        return resolved().stream().filter(d -> !d.isComponent()).toList();
    }

    private static Dependency componentArtifact(String type, String classifier) throws IOException {
        return resolved().stream()
                .filter(d -> d.isComponent() && d.type().equals(type) && Objects.equals(d.classifier(), classifier))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(GROUP_ID + ":" + ARTIFACT_ID + ":" + type
                                                             + (classifier == null ? "" : ":" + classifier)
                                                             + " is not in " + DEPENDENCY_LIST));
    }

    private static List<Dependency> resolved() throws IOException {
        List<Dependency> dependencies = new ArrayList<>();
        for (String line : Files.readAllLines(DEPENDENCY_LIST)) {
            Matcher m = DEPENDENCY_LINE.matcher(line);
            if (m.matches()) {
                dependencies.add(new Dependency(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5),
                        Path.of(m.group(7))));
            }
        }
        return dependencies;
    }

    /** An entry of the bundle as text, if the bundle has it. */
    static Optional<String> entryText(String name) throws IOException {
        try (JarFile jar = new JarFile(bundle().toFile())) {
            JarEntry entry = jar.getJarEntry(name);
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    static boolean hasEntry(String name) throws IOException {
        try (JarFile jar = new JarFile(bundle().toFile())) {
            return jar.getJarEntry(name) != null;
        }
    }

    /** Every class file of the bundle by binary class name ("io.camelgraphteams.component.GraphTeamsComponent"). */
    static Map<String, byte[]> classFiles() throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(bundle().toFile())) {
            for (JarEntry entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    String name = entry.getName();
                    classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                            in.readAllBytes());
                }
            }
        }
        return classes;
    }

    /** The packages that hold classes in the bundle. */
    static List<String> classPackages() throws IOException {
        return classFiles().keySet().stream().map(name -> name.substring(0, name.lastIndexOf('.')))
                .distinct().sorted().toList();
    }

    /** Every class file of the bundle, read as Latin-1 so constant-pool names can be searched as text. */
    static List<String> classFilesAsText() throws IOException {
        return classFiles().values().stream().map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1)).toList();
    }
}
