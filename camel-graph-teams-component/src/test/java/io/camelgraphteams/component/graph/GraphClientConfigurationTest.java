package io.camelgraphteams.component.graph;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.GraphTeamsConfiguration;
import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.component.auth.GraphTokenProvider;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A GraphClient built from the component's options, the way the component builds it. */
class GraphClientConfigurationTest extends EmulatorGraphTestSupport {

    private static CamelContext camelContext;

    @BeforeAll
    static void startCamel() {
        camelContext = new DefaultCamelContext();
    }

    @AfterAll
    static void stopCamel() throws Exception {
        camelContext.close();
    }

    private static GraphTeamsConfiguration emulatorOptions() {
        GraphTeamsConfiguration configuration = new GraphTeamsConfiguration();
        configuration.setGraphBaseUrl(graph.baseUrl());
        configuration.setAuthorityUrl(emulator.identityBaseUrl());
        configuration.setTenantId(emulator.tenantId());
        configuration.setClientId(APP);
        configuration.setClientSecret(SECRET);
        configuration.setSslContextParameters(io.camelgraphteams.component.testsupport.EmulatedGraph.trusting(emulator));
        return configuration;
    }

    /** As the component builds it: by the endpoint, from its options. */
    private static GraphClient fromOptions(GraphTeamsConfiguration configuration) {
        GraphTeamsComponent component = new GraphTeamsComponent();
        component.setCamelContext(camelContext);
        return new GraphTeamsEndpoint("graph-teams:chats/getAllMessages", component, configuration).createGraphClient();
    }

    @Test
    void secretAndSslContextParametersCreateASubscription() throws Exception {
        GraphClient client = fromOptions(emulatorOptions());

        Subscription created = client.createSubscription(allChatMessages().build());

        assertThat(emulator.subscriptions().find(created.id())).isPresent();
        assertThat(client.scope()).isEqualTo(graph.baseUrl() + "/.default");
        assertThat(client.serviceRoot()).isEqualTo(graph.baseUrl() + "/v1.0");
    }

    @Test
    void userTokenProviderBeanIsUsedForGraphCallsInsteadOfMsal() throws Exception {
        List<String> scopes = new CopyOnWriteArrayList<>();
        GraphTokenProvider bean = scope -> {
            scopes.add(scope);
            return emulator.accessToken(APP);
        };
        GraphTeamsConfiguration configuration = emulatorOptions();
        configuration.setClientSecret("a secret msal4j would fail with");
        configuration.setTokenProvider(bean);

        GraphClient client = fromOptions(configuration);
        client.createSubscription(allChatMessages().build());
        client.listSubscriptions();

        assertThat(scopes).containsExactly(graph.baseUrl() + "/.default", graph.baseUrl() + "/.default");
    }

    @Test
    void defaultScopeOfMicrosoftGraphIsTheWellKnownOne() {
        GraphClient client = GraphClient.builder().tokenProvider(scope -> "t").build();

        assertThat(client.scope()).isEqualTo(GraphTokenProvider.DEFAULT_SCOPE);
        assertThat(client.serviceRoot()).isEqualTo("https://graph.microsoft.com/v1.0");
    }

    @Test
    void nationalCloudScopeFollowsGraphBaseUrl() {
        GraphClient client = GraphClient.builder().graphBaseUrl("https://graph.microsoft.us/").apiVersion("beta")
                .tokenProvider(scope -> "t").build();

        assertThat(client.scope()).isEqualTo("https://graph.microsoft.us/.default");
        assertThat(client.serviceRoot()).isEqualTo("https://graph.microsoft.us/beta");
    }

    @Test
    void versionInGraphBaseUrlIsRefusedNamingApiVersion() {
        GraphTeamsConfiguration configuration = emulatorOptions();
        configuration.setGraphBaseUrl("https://graph.microsoft.com/v1.0");

        assertThatThrownBy(() -> fromOptions(configuration))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graphBaseUrl 'https://graph.microsoft.com/v1.0' ends with the API version")
                .hasMessageContaining("apiVersion=v1.0");
    }

    @Test
    void unknownApiVersionIsRefused() {
        GraphTeamsConfiguration configuration = emulatorOptions();
        configuration.setApiVersion("v2.0");

        assertThatThrownBy(() -> fromOptions(configuration))
                .hasMessageContaining("apiVersion must be v1.0 or beta, was 'v2.0'");
    }

    @Test
    void jdkWireLogWithHeadersIsWarnedAbout() {
        // the JDK's wire log prints Authorization headers; no logger level reaches it, so graph-teams warns
        assertThat(GraphClient.jdkWireLogWarning("errors,headers")).hasValueSatisfying(warning -> assertThat(warning)
                .contains(GraphClient.JDK_WIRE_LOG_PROPERTY + "=errors,headers").contains("Authorization"));
        assertThat(GraphClient.jdkWireLogWarning("ALL")).isPresent();
        assertThat(GraphClient.jdkWireLogWarning("errors,requests")).isEmpty();
        assertThat(GraphClient.jdkWireLogWarning(null)).isEmpty();
    }
}
