package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14: the kubelet's probes over HTTP on the management port. Readiness is "able to receive" — the paths served,
 * the keys loaded, the stores answering — and never the subscription, which a pod can only get after it received
 * Graph's validation request; the subscription has its own check in the full listing.
 */
class KubernetesProbesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void afterStartReadinessAndLivenessAreUpOnTheManagementPortAndNotOnGraphsPort() throws Exception {
        int port = freePort();
        int managementPort = freePort();
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            application.main().addOverrideProperty("http.port", Integer.toString(port));
            application.main().addOverrideProperty("management.port", Integer.toString(managementPort));
            application.main().addOverrideProperty("messages.dir", dir.toString());
            application.main().addOverrideProperty("demo.traffic.enabled", "false");
            application.main().start();

            Probe ready = probe(managementPort, ManagementHttpServer.READY_PATH);
            assertThat(ready.status()).as(ready.body().toString()).isEqualTo(200);
            assertThat(ready.body().path("status").asText()).isEqualTo("UP");
            // both graph-teams consumers are among the readiness checks, each UP
            assertThat(ready.checks()).containsEntry("consumer:chat-messages", "UP")
                    .containsEntry("consumer:channel-messages", "UP")
                    .doesNotContainKey("subscription:graph-teams-chat-messages");

            Probe live = probe(managementPort, ManagementHttpServer.LIVE_PATH);
            assertThat(live.status()).as(live.body().toString()).isEqualTo(200);
            assertThat(live.body().path("status").asText()).isEqualTo("UP");
            assertThat(live.checks()).isNotEmpty().doesNotContainKey("consumer:chat-messages");

            // the full listing has the subscriptions' checks, with their details
            Probe all = probe(managementPort, ManagementHttpServer.HEALTH_PATH);
            assertThat(all.checks()).containsEntry("subscription:graph-teams-chat-messages", "UP")
                    .containsEntry("subscription:graph-teams-channel-messages", "UP");
            assertThat(all.status()).isEqualTo(200);

            // the port Graph posts to (and the ingress exposes) serves no health
            assertThat(get(port, ManagementHttpServer.READY_PATH).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void readinessIsUpWhileNoSubscriptionExistsAndTheSubscriptionsOwnCheckIsDown() throws Exception {
        SelfSignedCertificate server = SelfSignedCertificate.forLocalhost();
        Path certificate = Files.writeString(dir.resolve("server.pem"), server.certificatePem());
        Path privateKey = Files.writeString(dir.resolve("server.key"), server.privateKeyPem());
        DecryptionKeyStore key = DemoTenant.writeDecryptionKey(dir);
        int port = freePort();
        int managementPort = freePort();
        try (DemoTenant tenant = DemoTenant.start()) {
            // Graph throttles every call for longer than a call may wait: the first reconcile fails at once, is
            // retried later, and the app starts without a subscription (a failure retrying may fix is no reason to stop)
            tenant.emulator().chaos().throttleGraphCalls(1.0, Duration.ofMinutes(10));
            try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
                Map<String, String> settings = new HashMap<>();
                settings.put("graph.mode", "real");
                settings.putAll(EmbeddedGraph.settingsFor(tenant, key, "probes-test-client-state",
                        "https://localhost:" + port));
                settings.put("graph.ssl-context-parameters", "#emulatorTls");
                settings.put("graph.channels.enabled", "false");
                settings.put("graph.storage", "memory");
                settings.put("http.port", Integer.toString(port));
                settings.put("http.tls-certificate", certificate.toString());
                settings.put("http.tls-private-key", privateKey.toString());
                settings.put("management.port", Integer.toString(managementPort));
                settings.put("messages.dir", dir.resolve("messages").toString());
                settings.forEach(application.main()::addOverrideProperty);
                application.main().bind("emulatorTls", EmbeddedGraph.trusting(tenant.trustStore()));
                application.main().start();

                assertThat(tenant.emulator().subscriptions().live()).as("no subscription yet").isEmpty();
                Probe ready = probe(managementPort, ManagementHttpServer.READY_PATH);
                assertThat(ready.status()).as(ready.body().toString()).isEqualTo(200);
                assertThat(ready.checks()).containsEntry("consumer:chat-messages", "UP");

                Probe all = probe(managementPort, ManagementHttpServer.HEALTH_PATH);
                assertThat(all.checks()).containsEntry("subscription:graph-teams-chat-messages", "DOWN");
                assertThat(all.check("subscription:graph-teams-chat-messages").path("message").asText())
                        .startsWith("no active subscription");
                assertThat(all.status()).as("the full listing reports the subscription DOWN").isEqualTo(503);

                // ready means able to receive: Graph's validation request, the one that makes a subscription, is answered
                HttpResponse<String> handshake = HttpClient.newBuilder().sslContext(server.trustingSslContext())
                        .build().send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                                                                        + "/graph/notifications?validationToken=probe"))
                                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(handshake.statusCode()).isEqualTo(200);
                assertThat(handshake.body()).isEqualTo("probe");
            }
        }
    }

    @Test
    void readinessIsDownWhilePostgresIsStoppedAndUpAgainOnceItIsBack() throws Exception {
        Path data = dir.resolve("pgdata");
        int postgresPort = freePort();
        EmbeddedPostgres postgres = startPostgres(data, postgresPort);
        int managementPort = freePort();
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
            application.main().addOverrideProperty("management.port", Integer.toString(managementPort));
            application.main().addOverrideProperty("messages.dir", dir.resolve("messages").toString());
            application.main().addOverrideProperty("demo.traffic.enabled", "false");
            application.main().addOverrideProperty("graph.storage", "postgres");
            application.main().addOverrideProperty("graph.postgres.url", postgres.getJdbcUrl("postgres", "postgres"));
            application.main().addOverrideProperty("graph.cluster.lease", "3000");
            application.main().start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> probe(managementPort, ManagementHttpServer.READY_PATH).status() == 200);

            postgres.close();
            Probe down = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> probe(managementPort, ManagementHttpServer.READY_PATH), probe -> probe.status() == 503);
            assertThat(down.body().path("status").asText()).isEqualTo("DOWN");
            // why, in the body: the refused connection to the stopped database (today as the consumer check's own
            // failure: its backfill details read the state store, and the exception stops Camel's listing)
            assertThat(down.body().toString()).contains("Connection refused");
            // not a reason to restart the pod: liveness stays UP
            assertThat(probe(managementPort, ManagementHttpServer.LIVE_PATH).status()).isEqualTo(200);

            postgres = startPostgres(data, postgresPort);
            Probe up = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> probe(managementPort, ManagementHttpServer.READY_PATH), probe -> probe.status() == 200);
            assertThat(up.checks()).containsEntry("consumer:chat-messages", "UP")
                    .containsEntry("consumer:channel-messages", "UP");
        } finally {
            postgres.close();
        }
    }

    /** The same data directory and port, so the app's pool finds the database where it was. */
    private static EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static Probe probe(int port, String path) throws Exception {
        HttpResponse<String> response = get(port, path);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new Probe(response.statusCode(), JSON.readTree(response.body()));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One probe's answer: its status code and its JSON body. */
    private record Probe(int status, JsonNode body) {

        /** Each listed check's state, by the check's id. */
        Map<String, String> checks() {
            Map<String, String> states = new HashMap<>();
            body.path("checks").forEach(check -> states.put(check.path("name").asText(),
                    check.path("status").asText()));
            return states;
        }

        JsonNode check(String name) {
            for (JsonNode check : body.path("checks")) {
                if (check.path("name").asText().equals(name)) {
                    return check;
                }
            }
            throw new AssertionError("no check " + name + " in " + body);
        }
    }
}
