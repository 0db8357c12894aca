package io.camelgraphteams.osgi;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Manifest;

import io.camelgraphteams.osgi.BuildOutput.Dependency;
import io.camelgraphteams.osgi.KarafFeatures.BundleRef;
import io.camelgraphteams.osgi.KarafFeatures.Feature;
import io.camelgraphteams.osgi.KarafFeatures.Requirement;
import io.camelgraphteams.osgi.ManifestClauses.Clause;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Karaf features file the component attached (classifier "features") against the build: every
 * bundle is a runtime dependency at the version the pom resolves, and every package the component and those bundles
 * import is exported by a bundle of this feature or of the camel-karaf features it requires, at a version in range.
 */
class KarafFeaturesTest {

    private static final String FEATURE = "camel-graph-teams";
    private static final String CAMEL_KARAF_REPOSITORY = "mvn:org.apache.camel.karaf/apache-camel/4.14.5/xml/features";

    private static KarafFeatures features;
    private static KarafFeatures camelKaraf;
    private static Feature feature;
    private static Map<String, Dependency> dependencies;

    @BeforeAll
    static void read() throws Exception {
        features = KarafFeatures.read(BuildOutput.features());
        camelKaraf = KarafFeatures.read(BuildOutput.CAMEL_KARAF_FEATURES);
        feature = features.feature(FEATURE).orElseThrow();
        dependencies = new LinkedHashMap<>();
        for (Dependency d : BuildOutput.runtimeDependencies()) {
            dependencies.put(d.key(), d);
        }
    }

    @Test
    void isFilteredFromThePom() throws Exception {
        assertThat(Files.readString(BuildOutput.features())).doesNotContain("${");
        assertThat(feature.version()).isEqualTo(BuildOutput.projectVersion());
        assertThat(features.name()).isEqualTo(FEATURE + "-" + BuildOutput.projectVersion());
    }

    @Test
    void buildsOnTheServedCamelKarafFeatures() {
        assertThat(features.repositories()).containsExactly(CAMEL_KARAF_REPOSITORY);
        // the file the build copied is the one the repository URL names
        assertThat(camelKaraf.name()).isEqualTo("camel-4.14.5");
        assertThat(feature.requirements()).extracting(Requirement::name)
                .containsExactlyInAnyOrder("camel-core", "camel-platform-http-vertx");
        for (Requirement requirement : feature.requirements()) {
            assertThat(requirement.versionRange()).isEqualTo("[4.14,5)");
            Feature provided = camelKaraf.feature(requirement.name()).orElseThrow();
            assertThat(OsgiVersionRange.parse(requirement.versionRange()).includes(provided.version()))
                    .as("%s %s in %s", provided.name(), provided.version(), requirement.versionRange()).isTrue();
        }
    }

    @Test
    void installsTheComponentBundleOfThisBuild() throws Exception {
        BundleRef component = feature.bundles().get(feature.bundles().size() - 1);
        assertThat(component.key()).isEqualTo(BuildOutput.projectArtifact());
        assertThat(component.version()).isEqualTo(BuildOutput.projectVersion());
        assertThat(component.dependency()).isFalse();
        assertThat(component.wrapped()).isFalse();
    }

    @Test
    void everyOtherBundleIsARuntimeDependencyAtTheVersionThePomResolves() throws Exception {
        String self = BuildOutput.projectArtifact();
        List<BundleRef> thirdParty = feature.bundles().stream().filter(b -> !b.key().equals(self)).toList();
        assertThat(thirdParty).isNotEmpty();
        for (BundleRef bundle : thirdParty) {
            Dependency dependency = dependencies.get(bundle.key());
            assertThat(dependency).as("%s is a runtime dependency of the component", bundle.url()).isNotNull();
            if (camelKarafInstalls(bundle.url())) {
                // completes a camel-karaf feature with a bundle camel-karaf installs elsewhere, at camel-karaf's version
                assertThat(bundle.dependency()).as("%s is dependency=\"true\"", bundle.key()).isTrue();
                continue;
            }
            assertThat(bundle.version()).as("version of %s", bundle.key()).isEqualTo(dependency.version());
            assertThat(bundle.dependency()).as("%s is dependency=\"true\"", bundle.key()).isTrue();
            if (bundle.wrapped() && !bundle.mergedIntoItsManifest()) {
                assertThat(dependency.manifest().map(m -> m.getMainAttributes().getValue("Bundle-SymbolicName")))
                        .as("%s is wrapped because it is no bundle", bundle.key()).isEmpty();
                assertThat(bundle.wrapInstructions().get("Bundle-Version")).isEqualTo(dependency.version());
            } else {
                assertThat(dependency.manifest().map(m -> m.getMainAttributes().getValue("Bundle-SymbolicName")))
                        .as("%s is a bundle (else wrap: it)", bundle.key()).isPresent();
            }
        }
    }

    @Test
    void completesCamelPlatformHttpVertxWithNettysHttp2Codec() {
        // camel-karaf's camel-platform-http-vertx lacks it, and Vert.x's HttpHeaders cannot load without it
        assertThat(camelKaraf.bundlesOf(Set.of("camel-platform-http-vertx", "camel-vertx-common", "netty")))
                .noneMatch(b -> b.key().equals("io.netty:netty-codec-http2"));
        assertThat(feature.bundles()).anyMatch(b -> b.key().equals("io.netty:netty-codec-http2") && b.dependency()
                                                    && camelKarafInstalls(b.url()));
    }

    private static boolean camelKarafInstalls(String bundleUrl) {
        return camelKaraf.featuresByName().values().stream().flatMap(List::stream)
                .flatMap(f -> f.bundles().stream()).anyMatch(b -> b.url().equals(bundleUrl));
    }

    @Test
    void everyPackageTheComponentImportsIsProvidedInRange() throws Exception {
        List<String> unprovided = new ArrayList<>();
        for (Clause imported : ManifestClauses.of(BuildOutput.manifest(), "Import-Package").values()) {
            if (!providedByJvmOrItself(imported.name()) && !provided(imported)) {
                unprovided.add(imported.name() + ";version=" + imported.version());
            }
        }
        assertThat(unprovided).as("imports of the component no bundle provides").isEmpty();
    }

    @Test
    void everyPackageTheFeaturesBundlesImportIsProvidedInRange() throws Exception {
        List<String> unprovided = new ArrayList<>();
        for (BundleRef bundle : feature.bundles()) {
            Dependency dependency = dependencies.get(bundle.key());
            if (bundle.wrapped() && !bundle.mergedIntoItsManifest() || dependency == null) {
                continue; // a plain jar's imports are computed at install time; the component is checked above
            }
            Manifest manifest = dependency.manifest().orElseThrow();
            Map<String, Clause> overrides = ManifestClauses.parse(bundle.wrapInstructions().getOrDefault("Import-Package", ""));
            for (Clause original : ManifestClauses.of(manifest, "Import-Package").values()) {
                Clause imported = overrides.getOrDefault(original.name(), original);
                if (!imported.optional() && !providedByJvmOrItself(imported.name()) && !provided(imported)) {
                    unprovided.add(bundle.key() + " -> " + imported.name() + ";version=" + imported.version());
                }
            }
        }
        assertThat(unprovided).as("mandatory imports of the feature's bundles no bundle provides").isEmpty();
    }

    // Karaf 4.4's system bundle on Java 17 (etc/jre.properties, jre-17 = jre-9) exports these JDK packages besides
    // java.*, but not com.sun.net.httpserver and most other com.sun.* ones
    private static final List<String> KARAF_SYSTEM_PACKAGE_PREFIXES = List.of(
            "java.", "javax.crypto", "javax.net", "javax.security.auth", "javax.security.cert", "javax.xml.namespace",
            "javax.xml.parsers", "javax.xml.transform", "javax.xml.xpath", "javax.xml.datatype", "javax.xml.stream",
            "org.w3c.dom", "org.xml.sax");

    private static boolean providedByJvmOrItself(String packageName) {
        return KARAF_SYSTEM_PACKAGE_PREFIXES.stream().anyMatch(p -> packageName.equals(p) || packageName.startsWith(p + ".")
                                                                    || p.endsWith(".") && packageName.startsWith(p))
               || packageName.startsWith("io.camelgraphteams.component")
               // Karaf's pax-logging exports the SLF4J API (1.7 and 2.0)
               || packageName.equals("org.slf4j");
    }

    /** Exported, at a version in the import's range, by a bundle of this feature or of the camel-karaf ones it requires. */
    private static boolean provided(Clause imported) throws Exception {
        OsgiVersionRange range = OsgiVersionRange.parse(imported.version() == null ? "0.0.0" : imported.version());
        for (BundleRef bundle : feature.bundles()) {
            Dependency dependency = dependencies.get(bundle.key());
            if (dependency == null) {
                continue;
            }
            Optional<String> exported = exportedVersion(bundle, dependency, imported.name());
            if (exported.isPresent() && range.includes(exported.get())) {
                return true;
            }
        }
        // camel-karaf's bundles are repackaged upstream jars (org.apache.camel.karaf/camel-x for org.apache.camel/camel-x)
        // or wraps: find the runtime dependency holding the package, then camel-karaf's bundle of that artifact
        Set<String> camelKarafFeatures = new java.util.LinkedHashSet<>();
        for (Requirement requirement : feature.requirements()) {
            camelKarafFeatures.addAll(camelKaraf.closure(requirement.name()));
        }
        for (BundleRef bundle : camelKaraf.bundlesOf(camelKarafFeatures)) {
            String key = bundle.groupId().equals("org.apache.camel.karaf")
                    ? "org.apache.camel:" + bundle.artifactId() : bundle.key();
            Dependency upstream = dependencies.get(key);
            if (upstream != null && upstream.containsPackage(imported.name()) && range.includes(bundle.bundleVersion())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> exportedVersion(BundleRef bundle, Dependency dependency, String packageName)
            throws Exception {
        if (bundle.wrapped() && !bundle.mergedIntoItsManifest()) {
            // bnd gives a wrapped jar's exports the wrap's Bundle-Version
            return dependency.containsPackage(packageName) ? Optional.of(bundle.bundleVersion()) : Optional.empty();
        }
        Optional<Manifest> manifest = dependency.manifest();
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        Clause export = ManifestClauses.of(manifest.get(), "Export-Package").get(packageName);
        if (export == null) {
            return Optional.empty();
        }
        return Optional.of(export.version() == null ? "0.0.0" : export.version());
    }
}
