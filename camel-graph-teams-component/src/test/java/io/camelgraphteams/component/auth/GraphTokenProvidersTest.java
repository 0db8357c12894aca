package io.camelgraphteams.component.auth;

import com.nimbusds.jwt.SignedJWT;
import io.camelgraphteams.component.GraphTeamsConfiguration;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which token source the component's options give, and the messages for options that are missing. */
class GraphTokenProvidersTest {

    private static final String CLIENT_ID = "c2c2c2c2-0000-4000-8000-000000000001";
    private static final String SECRET = "Config~Secret.Value_0001";

    private static GraphEmulator emulator;
    private static CamelContext camelContext;

    @BeforeAll
    static void start() {
        emulator = GraphEmulator.builder().registerApp(RegisteredApp.withSecret(CLIENT_ID, SECRET)).start();
        camelContext = new DefaultCamelContext();
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.stop();
        camelContext.close();
    }

    /** The options a user sets to authenticate against the emulator, trust included. */
    static GraphTeamsConfiguration emulatorConfiguration(GraphEmulator emulator, String clientId, String secret) {
        GraphTeamsConfiguration configuration = new GraphTeamsConfiguration();
        configuration.setAuthorityUrl(emulator.identityBaseUrl());
        configuration.setTenantId(emulator.tenantId());
        configuration.setClientId(clientId);
        configuration.setClientSecret(secret);
        configuration.setSslContextParameters(io.camelgraphteams.component.testsupport.EmulatedGraph.trusting(emulator));
        return configuration;
    }

    @Test
    void secretAndSslContextParametersGiveAWorkingMsalProvider() throws Exception {
        GraphTeamsConfiguration configuration = emulatorConfiguration(emulator, CLIENT_ID + ",another-audience", SECRET);

        GraphTokenProvider provider = GraphTokenProviders.of(camelContext, configuration.graphCredentials(),
                configuration.getSslContextParameters().createSSLContext(camelContext));

        assertThat(provider).isInstanceOf(MsalTokenProvider.class);
        assertThat(((MsalTokenProvider) provider).clientId()).as("the first of the clientId list").isEqualTo(CLIENT_ID);
        String token = provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE);
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("appid")).isEqualTo(CLIENT_ID);
    }

    @Test
    void userTokenProviderBeanWinsOverMsal() {
        GraphTeamsConfiguration configuration = emulatorConfiguration(emulator, CLIENT_ID, SECRET);
        GraphTokenProvider bean = scope -> "token-from-the-bean";
        configuration.setTokenProvider(bean);

        assertThat(GraphTokenProviders.of(camelContext, configuration.graphCredentials(), null)).isSameAs(bean);
    }

    @Test
    void tokenProviderBeanNeedsNoCredentialOptions() {
        GraphTeamsConfiguration configuration = new GraphTeamsConfiguration();
        GraphTokenProvider bean = scope -> "token-from-the-bean";
        configuration.setTokenProvider(bean);

        assertThat(GraphTokenProviders.of(camelContext, configuration.graphCredentials(), null)).isSameAs(bean);
    }

    @Test
    void missingTenantIdIsNamed() {
        GraphTeamsConfiguration configuration = emulatorConfiguration(emulator, CLIENT_ID, SECRET);
        configuration.setTenantId(null);

        assertThatThrownBy(() -> GraphTokenProviders.of(camelContext, configuration.graphCredentials(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("manageSubscription=true needs tenantId");
    }

    @Test
    void missingClientIdIsNamed() {
        GraphTeamsConfiguration configuration = emulatorConfiguration(emulator, " ", SECRET);

        assertThatThrownBy(() -> GraphTokenProviders.of(camelContext, configuration.graphCredentials(), null))
                .hasMessageStartingWith("manageSubscription=true needs clientId");
    }

    @Test
    void missingCredentialNamesBothOptions() {
        GraphTeamsConfiguration configuration = emulatorConfiguration(emulator, CLIENT_ID, null);

        assertThatThrownBy(() -> GraphTokenProviders.of(camelContext, configuration.graphCredentials(), null))
                .hasMessageStartingWith("manageSubscription=true needs clientSecret or clientCertificate")
                .hasMessageContaining(CLIENT_ID);
    }

    @Test
    void secretAndCertificateTogetherAreAmbiguous() {
        GraphTeamsConfiguration configuration = emulatorConfiguration(emulator, CLIENT_ID, SECRET);
        configuration.setClientCertificate("file:/somewhere/client.p12");

        assertThatThrownBy(() -> GraphTokenProviders.of(camelContext, configuration.graphCredentials(), null))
                .hasMessageContaining("either clientSecret or clientCertificate")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void plainHttpAuthorityIsRefusedNamingAuthorityUrl() {
        GraphTeamsConfiguration configuration = emulatorConfiguration(emulator, CLIENT_ID, SECRET);
        configuration.setAuthorityUrl(emulator.graphBaseUrl());

        assertThatThrownBy(() -> GraphTokenProviders.of(camelContext, configuration.graphCredentials(), null))
                .hasMessageContaining("authorityUrl '" + emulator.graphBaseUrl() + "' must be an https URL");
    }
}
