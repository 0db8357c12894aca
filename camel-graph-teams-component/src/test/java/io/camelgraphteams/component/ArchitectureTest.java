package io.camelgraphteams.component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout of docs/architecture.md, checked on the compiled main classes and the sources: one concern per package,
 * no import cycle, the root package wires and nothing depends on it, small classes.
 */
class ArchitectureTest {

    private static final String ROOT = "io.camelgraphteams.component";
    private static final Path SOURCES = Path.of("src/main/java/io/camelgraphteams/component");
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void noPackageDependsOnTheRootPackage() {
        // the root (component, endpoint, configuration, consumer, constants) builds what the packages need and passes
        // it in
        noClasses().that().resideOutsideOfPackage(ROOT).and().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat().resideInAPackage(ROOT)
                .check(classes);
    }

    @Test
    void thePackagesFormNoCycleTheRootIncluded() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                return name.equals(ROOT) || name.startsWith(ROOT + ".") ? SliceIdentifier.of(name)
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the packages of " + ROOT;
            }
        }).should().beFreeOfCycles().check(classes);
    }

    @Test
    void theRootHoldsOnlyTheComponentItsEndpointConfigurationConsumerAndConstants() {
        List<String> root = classes.stream().filter(c -> c.getPackageName().equals(ROOT))
                .map(c -> c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName())
                .filter(name -> !name.contains("$") && !name.endsWith("Configurer") && !name.endsWith("UriFactory"))
                .sorted().toList();
        assertThat(root).containsExactly("GraphTeamsComponent", "GraphTeamsConfiguration", "GraphTeamsConstants",
                "GraphTeamsConsumer", "GraphTeamsEndpoint");
    }

    @Test
    void digestsAreTakenInOnePlace() {
        noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".support.Digests")
                .should().callMethod(MessageDigest.class, "getInstance", String.class)
                .check(classes);
    }

    @Test
    void theConsumerOnlyWires() {
        assertThat(lines(SOURCES.resolve("GraphTeamsConsumer.java"))).as("GraphTeamsConsumer lines")
                .isLessThanOrEqualTo(300);
    }

    /** Every module's main classes, the emulator's, the benchmarks' and the apps' included. */
    @Test
    void noMainClassOfTheRepositoryGrowsPast500Lines() throws IOException {
        Map<String, Long> lines;
        try (Stream<Path> files = Files.walk(REPOSITORY)) {
            lines = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> REPOSITORY.relativize(file).toString().contains("/src/main/java/"))
                    // build output: what a module unpacks there (the Karaf distribution's examples) is not ours
                    .filter(file -> !REPOSITORY.relativize(file).toString().contains("/target/"))
                    .filter(file -> !file.endsWith("GraphTeamsConfiguration.java"))
                    .collect(Collectors.toMap(file -> REPOSITORY.relativize(file).toString(), ArchitectureTest::lines));
        }
        assertThat(lines).as("main sources found").containsKey(
                "graph-teams-emulator/src/main/java/io/camelgraphteams/emulator/GraphEmulator.java");
        assertThat(lines).as("main classes over 500 lines (the option-holding configuration aside)")
                .allSatisfy((file, count) -> assertThat(count).as(file).isLessThanOrEqualTo(500));
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
