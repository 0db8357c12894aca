package io.camelgraphteams.osgi;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import io.camelgraphteams.osgi.ManifestClauses.Clause;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged component jar is an OSGi bundle: its manifest (maven-bundle-plugin's, packed by maven-jar-plugin), and
 * the Camel service files camel-karaf's extender looks for.
 */
class BundleManifestTest {

    private static final String CAMEL_RANGE = "[4.14,5)";

    private static Manifest manifest;
    private static Map<String, Clause> imports;
    private static Map<String, Clause> exports;

    @BeforeAll
    static void readManifest() throws Exception {
        manifest = BuildOutput.manifest();
        imports = ManifestClauses.of(manifest, "Import-Package");
        exports = ManifestClauses.of(manifest, "Export-Package");
    }

    private static String header(String name) {
        return manifest.getMainAttributes().getValue(name);
    }

    private static String bundleVersion() throws Exception {
        return BuildOutput.projectVersion().replace('-', '.');
    }

    @Test
    void isAnOsgiBundleNamedAfterTheArtifact() throws Exception {
        assertThat(header("Bundle-ManifestVersion")).isEqualTo("2");
        assertThat(header("Bundle-SymbolicName")).isEqualTo("io.camelgraphteams.camel-graph-teams");
        assertThat(header("Bundle-Version")).isEqualTo(bundleVersion());
        assertThat(header("Require-Capability")).contains("osgi.ee=JavaSE").contains("version=17");
    }

    @Test
    void exportsEveryComponentPackageAtTheBundleVersion() throws Exception {
        List<String> packages = BuildOutput.classPackages();
        assertThat(packages).isNotEmpty().allMatch(p -> p.startsWith("io.camelgraphteams.component"));
        assertThat(exports.keySet()).containsExactlyInAnyOrderElementsOf(packages);
        for (Clause export : exports.values()) {
            assertThat(export.version()).as("version of exported %s", export.name()).isEqualTo(bundleVersion());
        }
    }

    @Test
    void importsEveryCamelPackageFromTheLtsLineToTheNextMajor() {
        List<Clause> camel = imports.values().stream().filter(c -> c.name().startsWith("org.apache.camel")).toList();
        assertThat(camel).isNotEmpty();
        for (Clause c : camel) {
            assertThat(c.version()).as("version range of %s", c.name()).isEqualTo(CAMEL_RANGE);
            assertThat(c.optional()).as("%s is optional", c.name()).isFalse();
        }
        OsgiVersionRange range = OsgiVersionRange.parse(CAMEL_RANGE);
        assertThat(range.includes("4.14.0")).isTrue();
        assertThat(range.includes("4.14.5")).as("camel-karaf 4.14.5").isTrue();
        assertThat(range.includes("4.22.0")).as("the Camel it is built with").isTrue();
        assertThat(range.includes("5.0.0")).isFalse();
    }

    @Test
    void importsThePackagesCamelKarafsExtenderChecksBeforeRegisteringTheComponent() {
        // camel-karaf registers a bundle's component and configurers only if it wires to its org.apache.camel and
        // org.apache.camel.spi (Component, GeneratedPropertyConfigurer)
        assertThat(imports).containsKeys("org.apache.camel", "org.apache.camel.spi");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "org.junit", "org.assertj", "org.awaitility", "org.mockito", "io.camelgraphteams.emulator",
            "org.apache.camel.test", "org.apache.camel.component.mock", "org.apache.camel.dsl", "org.apache.logging",
            "org.osgi", "aQute" })
    void importsNothingUsedOnlyByTests(String prefix) {
        assertThat(imports.keySet()).noneMatch(p -> p.equals(prefix) || p.startsWith(prefix + "."));
    }

    @Test
    void amazonCorrettoCryptoProviderStaysOptional() throws Exception {
        // RsaOaepProvider finds it registered with the JVM or by reflection: no import, no class linking to it
        assertThat(imports.keySet()).noneMatch(p -> p.startsWith("com.amazon"));
        assertThat(BuildOutput.classFilesAsText()).noneMatch(text -> text.contains("com/amazon/corretto"));
        assertThat(header("DynamicImport-Package")).isNull();
        assertThat(BuildOutput.runtimeDependencies()).isNotEmpty()
                .noneMatch(d -> d.groupId().equals("software.amazon.cryptools"));
    }

    @Test
    void importsOnlyPackagesTheByteCodeUses() throws Exception {
        List<String> classes = BuildOutput.classFilesAsText();
        for (String imported : imports.keySet()) {
            // a class of exactly that package named in some constant pool: "org/apache/camel/spi/Metadata"
            Pattern use = Pattern.compile(Pattern.quote(imported.replace('.', '/') + "/") + "[\\w$]+(?![\\w$/])");
            assertThat(classes.stream().anyMatch(text -> use.matcher(text).find()))
                    .as("some class uses the imported package %s", imported).isTrue();
        }
    }

    @Test
    void importsVertxUnversionedBecauseCamelKarafsWrapExportsItSo() {
        // camel-karaf 4.14.5 wraps the plain Vert.x 4.5.24 jars with wrap:, which exports io.vertx.* at 0.0.0: any
        // range above that left the bundle unresolvable in a real Karaf (KarafContainerTest, module karaf-tests)
        List<Clause> vertx = imports.values().stream().filter(c -> c.name().startsWith("io.vertx.")).toList();
        assertThat(vertx).isNotEmpty();
        for (Clause c : vertx) {
            assertThat(c.version() == null || OsgiVersionRange.parse(c.version()).includes("0.0.0"))
                    .as("%s (%s) accepts an unversioned export", c.name(), c.version()).isTrue();
        }
    }

    @Test
    void importsThirdPartyPackagesInRangesTheFeatureAndCamelKarafSatisfy() {
        // lowest version the container may offer -> the version the component is built with
        Map<String, List<String>> mustInclude = Map.of(
                "com.fasterxml.jackson", List.of("2.19.4", "2.22.1"),        // camel-karaf 4.14.5 jackson feature
                "com.nimbusds", List.of("10.10.0"),
                "org.bouncycastle", List.of("1.87.0"),
                "com.microsoft.aad.msal4j", List.of("1.26.1"),
                "org.slf4j", List.of("1.7.36", "2.0.17"));                   // Karaf's pax-logging exports both
        for (Clause c : imports.values()) {
            if (c.name().startsWith("java.") || c.name().startsWith("javax.") || c.name().startsWith("io.vertx.")
                || c.name().startsWith("io.camelgraphteams.component")) {
                continue;
            }
            assertThat(c.version()).as("version range of %s", c.name()).isNotNull();
            OsgiVersionRange range = OsgiVersionRange.parse(c.version());
            assertThat(range.ceiling()).as("%s has an upper bound", c.name()).isNotNull();
            mustInclude.forEach((prefix, versions) -> {
                if (c.name().equals(prefix) || c.name().startsWith(prefix + ".")) {
                    for (String v : versions) {
                        assertThat(range.includes(v)).as("%s %s includes %s", c.name(), range, v).isTrue();
                    }
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "META-INF/services/org/apache/camel/component/graph-teams",
            "META-INF/services/org/apache/camel/configurer/graph-teams-component",
            "META-INF/services/org/apache/camel/configurer/graph-teams-endpoint",
            "META-INF/services/org/apache/camel/urifactory/graph-teams-endpoint",
            "META-INF/services/org/apache/camel/dev-console/graph-teams" })
    void keepsTheCamelServiceFileAndItsClassIsExported(String serviceFile) throws Exception {
        Optional<String> text = BuildOutput.entryText(serviceFile);
        assertThat(text).as("service file in the jar").isPresent();
        Properties service = new Properties();
        service.load(new StringReader(text.get()));
        String className = service.getProperty("class");
        assertThat(className).isNotBlank();
        assertThat(BuildOutput.hasEntry(className.replace('.', '/') + ".class")).as("%s in the jar", className)
                .isTrue();
        assertThat(exports).containsKey(className.substring(0, className.lastIndexOf('.')));
    }

    @Test
    void keepsTheComponentCatalog() throws Exception {
        Optional<String> catalog = BuildOutput.entryText(BuildOutput.CATALOG);
        assertThat(catalog).as("catalog in the jar").isPresent();
        assertThat(catalog.get()).contains("\"artifactId\": \"camel-graph-teams\"",
                "\"version\": \"" + BuildOutput.projectVersion() + "\"");
    }
}
