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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The routes app in real mode, against the emulator as its Graph (over HTTPS on the app's own server, as real mode
 * requires an https public URL), stopped and started again on the same data directory: the default file storage
 * keeps the dedup keys and watermarks, so every message posted before, during and after the stop is written once,
 * also when Graph delivers again a batch the first run had routed. Run with {@code -DargLine=-DrestartTest.storage=memory}
 * to see it fail with the in-memory storage (the batch delivered again is routed again).
 */
class RealModeRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GraphTeamsRoutesApplication application(DemoTenant tenant, DecryptionKeyStore key, int port,
                                                    Path certificate, Path privateKey) {
        GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication();
        Map<String, String> settings = new HashMap<>();
        settings.put("graph.mode", "real");
        settings.putAll(EmbeddedGraph.settingsFor(tenant, key, "restart-test-client-state", "https://localhost:" + port));
        settings.put("graph.ssl-context-parameters", "#emulatorTls");
        settings.put("graph.channels.enabled", "false");
        settings.put("http.port", Integer.toString(port));
        settings.put("http.tls-certificate", certificate.toString());
        settings.put("http.tls-private-key", privateKey.toString());
        settings.put("graph.data-dir", dir.resolve("state").toString());
        settings.put("graph.storage", System.getProperty("restartTest.storage", "file"));
        settings.put("messages.dir", dir.resolve("messages").toString());
        settings.forEach(application.main()::addOverrideProperty);
        application.main().bind("emulatorTls", EmbeddedGraph.trusting(tenant.trustStore()));
        return application;
    }

    @Test
    void everyMessageIsWrittenOnceAcrossAStop() throws Exception {
        SelfSignedCertificate server = SelfSignedCertificate.forLocalhost();
        Path certificate = Files.writeString(dir.resolve("server.pem"), server.certificatePem());
        Path privateKey = Files.writeString(dir.resolve("server.key"), server.privateKeyPem());
        DecryptionKeyStore key = DemoTenant.writeDecryptionKey(dir);
        int port = freePort();
        List<ChatMessage> posted = new ArrayList<>();
        try (DemoTenant tenant = DemoTenant.start()) {
            try (GraphTeamsRoutesApplication first = application(tenant, key, port, certificate, privateKey)) {
                first.main().start();
                for (int i = 0; i < 5; i++) {
                    posted.add(tenant.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                            NewMessage.text(DemoTenant.ADELE, "before the stop " + i)));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> written().size() >= 5);
            }
            // while the app is down: Graph's deliveries fail, and the restart's backfill finds these
            for (int i = 0; i < 5; i++) {
                posted.add(tenant.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                        NewMessage.text(DemoTenant.MEGAN, "while it is down " + i)));
            }
            String firstDelivery = tenant.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION).stream()
                    .filter(DeliveryRecord::delivered).findFirst().orElseThrow().body();
            try (GraphTeamsRoutesApplication second = application(tenant, key, port, certificate, privateKey)) {
                second.main().start();
                assertThat(tenant.emulator().subscriptions().live()).as("the subscription was adopted")
                        .hasSize(1);
                // Graph delivering again a batch the first run had routed (its 202 lost as the process died): the
                // dedup keys on file make it a duplicate
                HttpResponse<String> again = HttpClient.newBuilder().sslContext(server.trustingSslContext()).build()
                        .send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/graph/notifications"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(firstDelivery)).build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(again.statusCode()).isEqualTo(202);
                for (int i = 0; i < 5; i++) {
                    posted.add(tenant.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                            NewMessage.text(DemoTenant.ADELE, "after the restart " + i)));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> written().containsAll(ids(posted)));
                // a little longer: a copy delivered twice would show up now
                Thread.sleep(1500);
            }
        }
        List<String> written = written();
        assertThat(written).as("each message once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids(posted));
        assertThat(Files.readString(dir.resolve("state").resolve("state.dat"))).as("watermarks on file")
                .contains("watermark");
    }

    private static List<String> ids(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    /** The message id of every file the file sink wrote. */
    private List<String> written() throws IOException {
        Path messages = dir.resolve("messages");
        if (!Files.isDirectory(messages)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(messages)) {
            List<String> ids = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode message = JSON.readTree(file.toFile());
                ids.add(message.path("id").asText());
            }
            return ids;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
