package io.camelgraphteams.examples;

import java.util.stream.Stream;

import io.camelgraphteams.examples.jms.TeamsToJmsExample;
import io.camelgraphteams.examples.kafka.TeamsToKafkaExample;
import io.camelgraphteams.examples.receiveonly.ReceiveOnlyExample;
import io.camelgraphteams.examples.triage.TeamsTriageExample;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user sees who starts an example without filling in its application.properties. */
class ExampleSettingsTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of(TeamsToKafkaExample.create(), "graph.tenant-id"),
                Arguments.of(TeamsToJmsExample.create(), "graph.tenant-id"),
                Arguments.of(TeamsTriageExample.create(), "graph.tenant-id"),
                Arguments.of(ReceiveOnlyExample.create(), "graph.tenant-id"));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void aMissingSettingIsReportedByItsName(Main application, String firstMissing) {
        ignoreEnvironment(application);
        try {
            assertThatThrownBy(application::start).hasStackTraceContaining(
                    "Property with key [" + firstMissing + "] not found");
        } finally {
            application.stop();
        }
    }

    /** The machine running the tests may have GRAPH_TENANT_ID set. */
    private static void ignoreEnvironment(Main application) {
        application.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                ((PropertiesComponent) main.getCamelContext().getPropertiesComponent())
                        .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
            }
        });
    }
}
