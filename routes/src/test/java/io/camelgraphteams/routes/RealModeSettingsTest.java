package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.camelgraphteams.component.GraphTeamsConfiguration;
import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** graph.mode=real: a missing or wrong setting stops start-up with its name, before anything talks to Graph. */
class RealModeSettingsTest {

    private static final Map<String, String> COMPLETE = Map.of(
            "graph.tenant-id", "2bcd9dfb-6a66-4236-98f9-e8fe4a675323",
            "graph.client-id", "8e460676-ae3f-4b1e-8790-ee0fb5d6148f",
            "graph.client-secret", "secret",
            "graph.key-store", "file:/etc/graph-teams/notifications.p12",
            "graph.key-store-password", "changeit",
            "graph.certificate-id", "notifications-2026",
            "graph.client-state", "state",
            "graph.public-url", "https://teams-hooks.example.com");

    @Test
    void applicationWithAMissingSettingFailsAtStartNamingIt() {
        GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication();
        application.main().addOverrideProperty("graph.mode", "real");
        COMPLETE.forEach((name, value) -> {
            if (!name.equals("graph.client-state")) {
                application.main().addOverrideProperty(name, value);
            }
        });
        try (application) {
            assertThatThrownBy(() -> application.main().start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("graph.mode=real cannot start: missing graph.client-state (env GRAPH_CLIENT_STATE)")
                    .hasMessageNotContaining("graph.tenant-id");
            assertThat(application.embeddedGraph()).as("no emulator in real mode").isNull();
        }
    }

    @Test
    void completeSettingsReachTheYamlRoutesEndpointsUnchanged(@TempDir Path keyDir) throws Exception {
        DecryptionKeyStore key = DemoTenant.writeDecryptionKey(keyDir);
        GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication();
        COMPLETE.forEach(application.main()::addOverrideProperty);
        application.main().addOverrideProperty("graph.mode", "real");
        application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
        // secrets from a portal may hold characters that mean something in a URI
        application.main().addOverrideProperty("graph.client-secret", "a&b+c%d e=f?g~h");
        application.main().addOverrideProperty("graph.key-store", "file:" + key.file());
        application.main().addOverrideProperty("graph.key-store-password", key.password());
        application.main().addOverrideProperty("graph.certificate-id", key.alias());
        application.main().addOverrideProperty("graph.data-dir", keyDir.resolve("data").toString());
        // nothing may call Microsoft Graph from a test: the routes are built, not started
        application.main().addOverrideProperty("graph.chats.enabled", "false");
        application.main().addOverrideProperty("graph.channels.enabled", "false");
        try (application) {
            application.main().start();

            assertThat(application.embeddedGraph()).as("no emulator in real mode").isNull();
            GraphTeamsConfiguration chats = endpoint(application, "chats/getAllMessages").getConfiguration();
            assertThat(chats.getTenantId()).isEqualTo(COMPLETE.get("graph.tenant-id"));
            assertThat(chats.getClientId()).isEqualTo(COMPLETE.get("graph.client-id"));
            assertThat(chats.getClientSecret()).isEqualTo("a&b+c%d e=f?g~h");
            assertThat(chats.getClientCertificate()).isNull();
            assertThat(chats.getClientState()).isEqualTo("state");
            assertThat(chats.getGraphBaseUrl()).isEqualTo("https://graph.microsoft.com");
            assertThat(chats.getAuthorityUrl()).isEqualTo("https://login.microsoftonline.com");
            assertThat(chats.getSslContextParameters()).isNull();
            assertThat(chats.getNotificationPath()).isEqualTo("/graph/notifications");
            assertThat(chats.getNotificationUrl()).isEqualTo("https://teams-hooks.example.com/graph/notifications");
            assertThat(chats.getLifecycleNotificationUrl()).isEqualTo("https://teams-hooks.example.com/graph/lifecycle");
            // a sweep by default, below the 5-minute backfillOverlap
            assertThat(chats.getBackfillInterval()).isEqualTo(240_000);
            assertThat(chats.getBackfillOverlap()).isGreaterThan(chats.getBackfillInterval());
            GraphTeamsConfiguration channels = endpoint(application, "teams/getAllMessages").getConfiguration();
            assertThat(channels.getNotificationUrl())
                    .isEqualTo("https://teams-hooks.example.com/graph/channels/notifications");
            assertThat(channels.getLifecycleNotificationPath()).isEqualTo("/graph/channels/lifecycle");
        }
    }

    private static GraphTeamsEndpoint endpoint(GraphTeamsRoutesApplication application, String resource) {
        return application.main().getCamelContext().getEndpoints().stream()
                .filter(GraphTeamsEndpoint.class::isInstance).map(GraphTeamsEndpoint.class::cast)
                .filter(endpoint -> endpoint.getConfiguration().getResource().equals(resource))
                .findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void everyMissingSettingIsNamedWithItsEnvironmentVariable() {
        assertThat(GraphSettings.missingForRealMode(name -> Optional.empty())).containsExactly(
                "graph.tenant-id (env GRAPH_TENANT_ID)",
                "graph.client-id (env GRAPH_CLIENT_ID)",
                "graph.key-store (env GRAPH_KEY_STORE)",
                "graph.key-store-password (env GRAPH_KEY_STORE_PASSWORD)",
                "graph.certificate-id (env GRAPH_CERTIFICATE_ID)",
                "graph.client-state (env GRAPH_CLIENT_STATE)",
                "graph.public-url (env GRAPH_PUBLIC_URL)",
                "graph.client-secret (env GRAPH_CLIENT_SECRET) or graph.client-certificate (env GRAPH_CLIENT_CERTIFICATE)");
    }

    @Test
    void aClientCertificateReplacesTheSecret() {
        Map<String, String> settings = new java.util.HashMap<>(COMPLETE);
        settings.remove("graph.client-secret");
        settings.put("graph.client-certificate", "file:/etc/graph-teams/app.p12");

        assertThat(GraphSettings.missingForRealMode(name -> Optional.ofNullable(settings.get(name)))).isEmpty();
    }

    @Test
    void aBlankSettingCountsAsMissing() {
        Map<String, String> settings = new java.util.HashMap<>(COMPLETE);
        settings.put("graph.client-id", " ");

        assertThat(GraphSettings.missingForRealMode(name -> Optional.ofNullable(settings.get(name))))
                .containsExactly("graph.client-id (env GRAPH_CLIENT_ID)");
    }

    @Test
    void thePublicUrlMustBeHttps() {
        Map<String, String> settings = new java.util.HashMap<>(COMPLETE);
        settings.put("graph.public-url", "http://teams-hooks.example.com");

        assertThat(GraphSettings.invalidForRealMode(name -> Optional.ofNullable(settings.get(name))))
                .singleElement().asString().startsWith("graph.public-url (env GRAPH_PUBLIC_URL) must be the public https://");
    }

    @Test
    void anUnknownModeIsRefusedNamingTheSetting() {
        GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication();
        application.main().addOverrideProperty("graph.mode", "production");
        try (application) {
            assertThatThrownBy(() -> application.main().start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("graph.mode (env GRAPH_MODE) is 'production': use emulator or real");
        }
    }
}
