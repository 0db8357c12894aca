package io.camelgraphteams.springboot;

import io.camelgraphteams.component.GraphTeamsComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * camel.component.graph-teams.* reaches the component Camel creates, in the forms Spring Boot users write (kebab-case,
 * camelCase, the nested configuration), beans of the component's service types are picked up by type, a misspelt
 * option fails by its name, and enabled=false leaves the component alone.
 */
class GraphTeamsComponentAutoConfigurationTest {

    private final ApplicationContextRunner application = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                    GraphTeamsComponentAutoConfiguration.class));

    @Test
    void propertiesReachTheComponentInEveryFormSpringAccepts() {
        application.withPropertyValues(
                        "camel.component.graph-teams.max-body-size=4096",
                        "camel.component.graph-teams.tenantId=contoso.onmicrosoft.com",
                        "camel.component.graph-teams.configuration.client-id=00000000-0000-0000-0000-00000000c11e",
                        "camel.component.graph-teams.allowed-tenant-ids=t1,t2",
                        "camel.component.graph-teams.answer-deadline=2000")
                .run(context -> {
                    GraphTeamsComponent component = context.getBean(CamelContext.class)
                            .getComponent("graph-teams", GraphTeamsComponent.class);
                    assertThat(component.getConfiguration().getMaxBodySize()).isEqualTo(4096);
                    assertThat(component.getConfiguration().getTenantId()).isEqualTo("contoso.onmicrosoft.com");
                    assertThat(component.getConfiguration().getClientId())
                            .isEqualTo("00000000-0000-0000-0000-00000000c11e");
                    assertThat(component.getConfiguration().getAllowedTenantIds()).isEqualTo("t1,t2");
                    assertThat(component.getConfiguration().getAnswerDeadline()).isEqualTo(2000);
                });
    }

    @Test
    void theApplicationsOnlyIdempotentRepositoryIsPickedUpByType() {
        application.withBean("teamsMessageKeys", IdempotentRepository.class,
                        () -> MemoryIdempotentRepository.memoryIdempotentRepository(100))
                .run(context -> {
                    GraphTeamsComponent component = context.getBean(CamelContext.class)
                            .getComponent("graph-teams", GraphTeamsComponent.class);
                    assertThat(component.getConfiguration().getIdempotentRepository())
                            .isSameAs(context.getBean("teamsMessageKeys"));
                });
    }

    @Test
    void aMisspeltOptionFailsByItsName() {
        application.withPropertyValues("camel.component.graph-teams.client-secrett=oops")
                .run(context -> assertThatThrownBy(() -> context.getBean(CamelContext.class)
                        .getComponent("graph-teams", GraphTeamsComponent.class))
                        .hasStackTraceContaining("clientSecrett"));
    }

    @Test
    void disabledTheStarterLeavesTheComponentAlone() {
        application.withPropertyValues("camel.component.graph-teams.enabled=false",
                        "camel.component.graph-teams.max-body-size=4096")
                .run(context -> {
                    GraphTeamsComponent component = context.getBean(CamelContext.class)
                            .getComponent("graph-teams", GraphTeamsComponent.class);
                    assertThat(component.getConfiguration().getMaxBodySize()).isEqualTo(16 * 1024 * 1024);
                });
    }
}
