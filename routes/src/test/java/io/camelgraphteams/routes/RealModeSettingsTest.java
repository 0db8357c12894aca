package io.camelgraphteams.routes;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

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
