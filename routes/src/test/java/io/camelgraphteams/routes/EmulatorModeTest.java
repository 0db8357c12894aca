package io.camelgraphteams.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as the README runs it, in emulator mode: Camel Main with the module's YAML routes and
 * application.properties, on a free port, writing to a temporary directory.
 */
class EmulatorModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;

    private static GraphTeamsRoutesApplication application;
    private static int port;

    @BeforeAll
    static void startApplication() throws Exception {
        port = freePort();
        application = new GraphTeamsRoutesApplication();
        application.main().addOverrideProperty("http.port", Integer.toString(port));
        application.main().addOverrideProperty("messages.dir", dataDir.toString());
        application.main().addOverrideProperty("demo.traffic.period", "250");
        application.main().start();
    }

    @AfterAll
    static void stopApplication() {
        if (application != null) {
            application.close();
        }
    }

    @Test
    void everyForwardedNotificationBecomesOneDecryptedChatMessageJsonFile() throws Exception {
        // the script edits on its 5th step and deletes on its 7th: wait until all three change types were written
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> changeTypes(jsonFiles()).containsAll(Set.of("created", "updated", "deleted")));

        List<Path> files = jsonFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path file : files) {
            JsonNode message = JSON.readTree(Files.readString(file));
            assertThat(message.path("id").asText()).as("id of %s", file).isNotEmpty();
            assertThat(file.getFileName().toString()).startsWith(message.path("id").asText() + "-");
            assertThat(message.has("body")).as("body of %s", file).isTrue();
            assertThat(message.has("encryptedContent")).as("%s is decrypted", file).isFalse();
            assertThat(message.path("from").path("user").path("displayName").asText()).isNotEmpty();
            if (file.getFileName().toString().contains("-deleted-")) {
                assertThat(message.path("deletedDateTime").isNull()).as("deletedDateTime of %s", file).isFalse();
            } else {
                assertThat(message.path("body").path("content").asText()).as("text of %s", file).isNotEmpty();
            }
        }
        assertThat(files).anySatisfy(file -> assertThat(JSON.readTree(file.toFile()).path("chatId").asText())
                .isNotEmpty());
        assertThat(files).anySatisfy(file -> assertThat(JSON.readTree(file.toFile()).path("channelIdentity")
                .path("channelId").asText()).isNotEmpty());
    }

    @Test
    void subscriptionsWereCreatedByTheReconcileLoopWithEncryptedResourceData() {
        List<Subscription> subscriptions = application.embeddedGraph().emulator().subscriptions().live();
        assertThat(subscriptions).extracting(Subscription::resource)
                .containsExactlyInAnyOrder("/chats/getAllMessages", "/teams/getAllMessages");
        assertThat(subscriptions).allSatisfy(subscription -> {
            assertThat(subscription.applicationId()).isEqualTo(DemoTenant.CLIENT_ID);
            assertThat(subscription.includeResourceData()).isTrue();
            assertThat(subscription.encryptionCertificateId()).isEqualTo(DemoTenant.CERTIFICATE_ID);
            assertThat(subscription.changeTypes()).hasSize(3);
            assertThat(subscription.lifecycleNotificationUrl()).startsWith("http://localhost:" + port + "/graph");
        });
    }

    @Test
    void notificationPathAnswersGraphsValidationHandshake() throws Exception {
        HttpResponse<String> response = handshake("/graph/notifications");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).isEqualTo("abc");
    }

    @Test
    void lifecyclePathAnswersGraphsValidationHandshake() throws Exception {
        HttpResponse<String> response = handshake("/graph/lifecycle");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("abc");
    }

    private static HttpResponse<String> handshake(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + path + "?validationToken=abc"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<Path> jsonFiles() {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The change type is the file name's second part: {messageId}-{changeType}-{exchangeId}.json */
    private static Set<String> changeTypes(List<Path> files) {
        return files.stream().map(file -> file.getFileName().toString().split("-")[1]).collect(Collectors.toSet());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
