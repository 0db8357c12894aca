package io.camelgraphteams.emulator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.support.GraphClient;

/** The standalone entry point: options, config file with apps and seed data, the certificate written out. */
class GraphEmulatorMainTest {

    @TempDir
    Path dir;

    @Test
    void configFileRegistersAppsAndSeedsData() throws Exception {
        Path config = dir.resolve("emulator.json");
        Files.writeString(config, """
                {
                  "tenantId": "22222222-0000-4000-8000-000000000000",
                  "timeScale": 10,
                  "apps": [ {"clientId": "d0d0d0d0-0000-4000-8000-000000000001", "clientSecret": "from-config",
                             "permissions": ["Chat.Read.All"]} ],
                  "seed": {
                    "users": [ {"id": "user-1", "displayName": "Alex Wilber"} ],
                    "teams": [ {"id": "team-1", "displayName": "Sales", "channels": [ {"id": "19:sales@thread.tacv2", "displayName": "General"} ]} ],
                    "chats": [ {"id": "19:c@thread.v2", "topic": "t", "members": ["user-1"]} ],
                    "messages": [ {"chatId": "19:c@thread.v2", "from": "user-1", "content": "seeded"} ]
                  }
                }
                """);
        Path certificate = dir.resolve("emulator.pem");
        GraphEmulator emulator = GraphEmulatorMain.launch(new String[] { "--graph-port", "0", "--identity-port", "0",
                "--config", config.toString(), "--certificate-out", certificate.toString() });
        try {
            assertThat(emulator.tenantId()).isEqualTo("22222222-0000-4000-8000-000000000000");
            assertThat(emulator.timings().handshakeTimeout()).isEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(Files.readString(certificate)).isEqualTo(emulator.tlsCertificatePem());

            HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(emulator.tokenEndpointUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
                            + "&client_id=d0d0d0d0-0000-4000-8000-000000000001&client_secret=from-config"
                            + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            String accessToken = Json.parseOrNull(token.body()).get("access_token").asText();

            JsonNode messages = new GraphClient(emulator.graphV1Url(), accessToken).get("/chats/19:c@thread.v2/messages").json();
            assertThat(messages.get("value").get(0).get("body").get("content").asText()).isEqualTo("seeded");
            assertThat(emulator.teams().channel("team-1", "19:sales@thread.tacv2").displayName()).isEqualTo("General");
        } finally {
            emulator.stop();
        }
    }

    @Test
    void withoutConfigTheDemoAppAndDemoDataAreThere() throws Exception {
        GraphEmulator emulator = GraphEmulatorMain.launch(new String[] { "--graph-port", "0", "--identity-port", "0" });
        try {
            assertThat(emulator.apps().find(DemoTenant.CLIENT_ID)).isNotNull();
            assertThat(emulator.teams().findChat(DemoTenant.GROUP_CHAT)).isPresent();
            assertThat(emulator.teams().findChannel(DemoTenant.TEAM, DemoTenant.GENERAL_CHANNEL)).isPresent();
        } finally {
            emulator.stop();
        }
    }

    @Test
    void unknownOptionIsRefusedWithAHint() {
        assertThatThrownBy(() -> GraphEmulatorMain.launch(new String[] { "--port", "1" }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--help");
    }
}
