package io.camelgraphteams.karaf;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The component at home in Apache Karaf 4.4.10: camel-karaf 4.14.5's features, our features file installed as a user
 * installs it, and a bundle whose route (no Blueprint) takes its settings from Config Admin and writes what it receives
 * to files. The emulator runs here, outside the container, and delivers an encrypted chatMessage notification to the
 * server graph-teams starts inside it (component option serverPort, from etc/io.camelgraphteams.receiver.cfg).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafContainerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RECEIVER_PID = "io.camelgraphteams.receiver";
    private static final String CLIENT_STATE = DemoTenant.randomSecret();
    /** First boot downloads camel-karaf's bundles into the local repository; later ones take about 20 s. */
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(150);

    static DemoTenant tenant;
    static GraphEmulator emulator;
    static KarafContainer karaf;
    static int port;
    static Path runDirectory;
    static Path receivedDir;
    static Map<String, String> configuration;

    @BeforeAll
    static void bootKarafWithTheReceiverRoute() throws Exception {
        runDirectory = Path.of(property("karaf.run.directory"));
        KarafContainer.deleteTree(runDirectory);
        karaf = KarafContainer.copyOf(Path.of(property("karaf.distribution")), runDirectory.resolve("karaf"));
        tenant = DemoTenant.start(builder -> builder.timings(
                GraphTimings.graphDefaults().withBatchWindow(Duration.ofMillis(20))));
        emulator = tenant.emulator();

        Path secrets = Files.createDirectories(runDirectory.resolve("secrets"));
        DecryptionKeyStore keyStore = DemoTenant.writeDecryptionKey(secrets);
        receivedDir = Files.createDirectories(runDirectory.resolve("received"));
        port = freePort();

        karaf.addToSystemRepository(Path.of(property("karaf.system.additions")));
        karaf.resolveMavenThrough(property("karaf.local.repository"), property("karaf.remote.repositories"));
        karaf.processFeaturesWith(Path.of(KarafContainerIT.class.getResource("/karaf/org.apache.karaf.features.xml").toURI()));
        Path testFeatures = writeReceiverFeature(runDirectory, Path.of(property("karaf.receiver.bundle")));
        karaf.bootFeatures(List.of(testFeatures.toUri().toString()), List.of("graph-teams-receiver"));

        configuration = new LinkedHashMap<>();
        configuration.put("camel.component.graph-teams.serverPort", String.valueOf(port));
        configuration.put("graph.resource", "chats/getAllMessages");
        configuration.put("graph.clientId", DemoTenant.CLIENT_ID);
        configuration.put("graph.allowedTenantIds", emulator.tenantId());
        configuration.put("graph.clientState", CLIENT_STATE);
        configuration.put("graph.keyStore", "file:" + keyStore.file());
        configuration.put("graph.keyStorePassword", keyStore.password());
        configuration.put("graph.certificateId", keyStore.alias());
        // the emulator's plain-http copy of Microsoft's key discovery: no certificate to trust inside the container
        configuration.put("graph.openIdConfigurationUrl", emulator.graphBaseUrl() + "/common/.well-known/openid-configuration");
        configuration.put("received.dir", receivedDir.toString());
        karaf.configuration(RECEIVER_PID, configuration);

        karaf.start();
        awaitHandshakeAnswered(BOOT_TIMEOUT);

        subscribe(keyStore);
    }

    @AfterAll
    static void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
        if (tenant != null) {
            tenant.close();
        }
    }

    @Test
    @Order(1)
    void aChatMessagePostedInTheEmulatorReachesTheKarafRouteDecryptedWithItsHeaders() throws Exception {
        ChatMessage posted = emulator.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                NewMessage.text(DemoTenant.ADELE, "Karaf says hello"));

        Properties record = awaitRecord(receivedDir, posted.id() + "-created.properties", Duration.ofSeconds(30));

        JsonNode body = JSON.readTree(record.getProperty("body"));
        assertThat(body.path("id").asText()).as("the decrypted chatMessage's id").isEqualTo(posted.id());
        assertThat(body.path("chatId").asText()).isEqualTo(DemoTenant.GROUP_CHAT);
        assertThat(body.path("body").path("content").asText()).contains("Karaf says hello");
        assertThat(body.path("from").path("user").path("id").asText()).isEqualTo(DemoTenant.ADELE);

        assertThat(record.getProperty(GraphTeamsConstants.SUBSCRIPTION_ID))
                .isEqualTo(emulator.subscriptions().live().get(0).id());
        assertThat(record.getProperty(GraphTeamsConstants.CHANGE_TYPE)).isEqualTo("created");
        assertThat(record.getProperty(GraphTeamsConstants.TENANT_ID)).isEqualTo(emulator.tenantId());
        assertThat(record.getProperty(GraphTeamsConstants.MESSAGE_ID)).isEqualTo(posted.id());
        assertThat(record.getProperty(GraphTeamsConstants.CHAT_ID)).isEqualTo(DemoTenant.GROUP_CHAT);
        assertThat(record.getProperty(GraphTeamsConstants.RESOURCE))
                .contains(DemoTenant.GROUP_CHAT).contains(posted.id());
        assertThat(record.getProperty(GraphTeamsConstants.RESOURCE_DATA_INCLUDED)).isEqualTo("true");
        assertThat(record.getProperty(GraphTeamsConstants.SOURCE)).isEqualTo(GraphTeamsConstants.SOURCE_NOTIFICATION);
        assertThat(record.getProperty(GraphTeamsConstants.SUBSCRIPTION_EXPIRATION)).isNotBlank();
        assertThat(record.getProperty(GraphTeamsConstants.TEAM_ID)).as("no team on a chat message").isNull();
    }

    @Test
    @Order(2)
    void aBatchWithAForgedValidationTokenIsRefusedInsideTheContainer() throws Exception {
        // Graph's shape, but no token Graph signed vouches for it: the verifier in the container refuses it
        ObjectNode item = JSON.createObjectNode();
        item.put("subscriptionId", emulator.subscriptions().live().get(0).id());
        item.put("changeType", "created");
        item.put("clientState", CLIENT_STATE);
        item.put("tenantId", emulator.tenantId());
        item.put("subscriptionExpirationDateTime", emulator.clock().instant().plus(Duration.ofMinutes(50)).toString());
        String resource = "chats('" + DemoTenant.GROUP_CHAT + "')/messages('1700000000000')";
        item.put("resource", resource);
        ObjectNode resourceData = item.putObject("resourceData");
        resourceData.put("id", "1700000000000");
        resourceData.put("@odata.type", "#Microsoft.Graph.chatMessage");
        resourceData.put("@odata.id", resource);
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("value").add(item);
        batch.putArray("validationTokens").add("not.a.token");

        HttpResponse<String> response = post("/graph/notifications", "application/json", batch.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        try (Stream<Path> files = Files.list(receivedDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("1700000000000"));
        }
    }

    @Test
    @Order(3)
    void aChangedConfigurationFileRestartsTheRouteWithTheNewSettings() throws Exception {
        // last: the route is down for a moment while Config Admin hands the new settings over
        Path newDir = Files.createDirectories(runDirectory.resolve("received-after-change"));
        configuration.put("received.dir", newDir.toString());
        long startsBefore = receiverStarts();
        karaf.configuration(RECEIVER_PID, configuration);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (receiverStarts() == startsBefore) {
            if (Instant.now().isAfter(deadline)) {
                fail("Karaf did not restart the receiver after etc/" + RECEIVER_PID + ".cfg changed\n" + karaf.logTail(40));
            }
            Thread.sleep(200);
        }
        awaitHandshakeAnswered(Duration.ofSeconds(30));
        ChatMessage posted = emulator.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                NewMessage.text(DemoTenant.MEGAN, "written where the new configuration says"));

        Properties record = awaitRecord(newDir, posted.id() + "-created.properties", Duration.ofSeconds(30));

        assertThat(record.getProperty("body")).contains("written where the new configuration says");
        assertThat(receivedDir.resolve(posted.id() + "-created.properties")).doesNotExist();
    }

    private static long receiverStarts() {
        return karaf.logLines().stream().filter(line -> line.contains("graph-teams receiver started from configuration"))
                .count();
    }

    /** What an app managing its subscription elsewhere does: POST /subscriptions, resource data for our key. */
    private static void subscribe(DecryptionKeyStore keyStore) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("changeType", "created,updated,deleted");
        request.put("notificationUrl", "http://localhost:" + port + "/graph/notifications");
        request.put("resource", "/chats/getAllMessages");
        request.put("expirationDateTime", emulator.clock().instant().plus(Duration.ofMinutes(50)).toString());
        request.put("clientState", CLIENT_STATE);
        request.put("includeResourceData", true);
        request.put("encryptionCertificate", Base64.getEncoder().encodeToString(keyStore.certificate().getEncoded()));
        request.put("encryptionCertificateId", keyStore.alias());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.graphV1Url() + "/subscriptions"))
                .header("Authorization", "Bearer " + emulator.accessToken(DemoTenant.CLIENT_ID))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(), HttpResponse.BodyHandlers.ofString());
        // 201: the emulator's validation handshake reached the route in the container and got its token back
        assertThat(response.statusCode()).as(response.body() + "\n" + karaf.logTail(40)).isEqualTo(201);
    }

    /** Until the route in the container answers Graph's validation request, or the container says why it cannot. */
    private static void awaitHandshakeAnswered(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String token = "karaf-boot-" + System.nanoTime();
        while (Instant.now().isBefore(deadline)) {
            karaf.provisioningError().ifPresent(error -> fail("Karaf did not provision the receiver: " + error + "\n"
                                                              + karaf.logTail(60)));
            if (!karaf.isRunning()) {
                fail("Karaf ended during its boot\n" + karaf.logTail(60));
            }
            try {
                HttpResponse<String> response = post("/graph/notifications?validationToken="
                                                      + URLEncoder.encode(token, StandardCharsets.UTF_8), "text/plain", "");
                if (response.statusCode() == 200 && token.equals(response.body())) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the route has not started its server yet
            }
            Thread.sleep(500);
        }
        fail("The graph-teams route in Karaf did not answer a validation request on port " + port + " within "
             + timeout.toSeconds() + " s\n" + karaf.logTail(60));
    }

    private static Properties awaitRecord(Path directory, String fileName, Duration timeout) throws Exception {
        Path file = directory.resolve(fileName);
        Instant deadline = Instant.now().plus(timeout);
        while (!Files.exists(file)) {
            if (Instant.now().isAfter(deadline)) {
                fail("The route in Karaf wrote no " + file + " within " + timeout.toSeconds() + " s; deliveries: "
                     + emulator.deliveryLog().records() + "\n" + karaf.logTail(40));
            }
            Thread.sleep(200);
        }
        Properties record = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            record.load(reader);
        }
        return record;
    }

    private static HttpResponse<String> post(String pathAndQuery, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A features repository with one feature: ours (from the component's features file) and the receiver bundle. */
    private static Path writeReceiverFeature(Path directory, Path receiverBundle) throws IOException {
        String version = property("karaf.component.version");
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <features name="graph-teams-karaf-test" xmlns="http://karaf.apache.org/xmlns/features/v1.6.0">
                    <repository>mvn:io.camelgraphteams/camel-graph-teams/%s/xml/features</repository>
                    <feature name="graph-teams-receiver" version="1.0.0">
                        <feature>camel-graph-teams</feature>
                        <!-- after camel-graph-teams (start level 50): its component is registered when the route starts -->
                        <bundle start-level="80">%s</bundle>
                    </feature>
                </features>
                """.formatted(version, receiverBundle.toUri());
        return Files.writeString(directory.resolve("graph-teams-karaf-test-features.xml"), xml);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run the test through Maven "
                                            + "(mvn verify), whose failsafe configuration sets it");
        }
        return value;
    }
}
