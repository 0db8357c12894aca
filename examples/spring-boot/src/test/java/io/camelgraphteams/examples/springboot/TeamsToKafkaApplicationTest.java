package io.camelgraphteams.examples.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.camelgraphteams.emulator.demo.DemoTenant.ADELE;
import static io.camelgraphteams.emulator.demo.DemoTenant.GROUP_CHAT;
import static io.camelgraphteams.emulator.demo.DemoTenant.MEGAN;
import static io.camelgraphteams.emulator.demo.DemoTenant.ONE_ON_ONE_CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Spring Boot example as it ships (its route and application.yaml), on a random port, pointed at the Graph
 * emulator and at a real Kafka broker: the starter serves the webhook on Tomcat's own port through platform-http (no
 * second server), the subscription is created through the reconcile loop, each message reaches the topic once, the
 * handshake and the 413/415 refusals are Tomcat's answers, and Actuator's health follows the subscription: UP, then
 * DOWN once Graph removed it and refuses a new one.
 */
@SpringBootTest(classes = TeamsToKafkaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TeamsToKafkaApplicationTest.TrustTheEmulator.class)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamsToKafkaApplicationTest {

    private static final String CLIENT_STATE = "spring-boot-example-client-state";
    private static final long MAX_BODY_SIZE = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static DemoTenant graph;
    static DecryptionKeyStore keyStore;
    static KafkaBroker kafka;

    @Autowired
    Environment environment;
    @Autowired
    CamelContext camelContext;
    @Autowired
    WebServerApplicationContext webServer;

    @DynamicPropertySource
    static void pointAtTheEmulatorAndKafka(DynamicPropertyRegistry properties) throws Exception {
        graph = DemoTenant.start(builder -> builder.timings(io.camelgraphteams.emulator.time.GraphTimings.graphDefaults()
                .withBatchWindow(Duration.ofMillis(20))));
        keyStore = DemoTenant.writeDecryptionKey(Files.createTempDirectory("spring-boot-example"));
        kafka = KafkaBroker.start();
        kafka.createTopic("teams-messages", 3);
        // what application.yaml leaves to the user
        properties.add("graph.tenant-id", graph::tenantId);
        properties.add("graph.client-id", () -> DemoTenant.CLIENT_ID);
        properties.add("graph.client-secret", graph::clientSecret);
        properties.add("graph.client-state", () -> CLIENT_STATE);
        properties.add("graph.key-store", () -> "file:" + keyStore.file().toAbsolutePath());
        properties.add("graph.key-store-password", keyStore::password);
        properties.add("graph.certificate-id", keyStore::alias);
        properties.add("graph.public-url", () -> "http://localhost:${local.server.port}");
        properties.add("camel.component.kafka.brokers", kafka::bootstrapServers);
        // where Graph, the identity platform and the token keys are (their defaults are Microsoft's cloud)
        properties.add("camel.component.graph-teams.authority-url", graph::identityBaseUrl);
        properties.add("camel.component.graph-teams.graph-base-url", graph::graphBaseUrl);
        properties.add("camel.component.graph-teams.open-id-configuration-url", graph::openIdConfigurationUrl);
        properties.add("camel.component.graph-teams.max-body-size", () -> Long.toString(MAX_BODY_SIZE));
    }

    /** The TLS settings that trust the emulator's identity platform: a bean the component picks up by its type. */
    @TestConfiguration
    static class TrustTheEmulator {

        @Bean
        SSLContextParameters emulatorTrust() {
            KeyStoreParameters trustStore = new KeyStoreParameters();
            trustStore.setKeyStore(graph.trustStore());
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(trustStore);
            SSLContextParameters tls = new SSLContextParameters();
            tls.setTrustManagers(trust);
            return tls;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (graph != null) {
            graph.close();
        }
    }

    private String baseUrl() {
        return "http://localhost:" + environment.getProperty("local.server.port");
    }

    @Test
    @Order(1)
    void theSubscriptionIsCreatedThroughTheReconcileLoopForTomcatsPort() {
        await().atMost(Duration.ofSeconds(30)).until(() -> graph.emulator().subscriptions().live().size() == 1);
        Subscription subscription = graph.emulator().subscriptions().live().get(0);
        assertThat(subscription.resource()).isEqualTo("/chats/getAllMessages");
        assertThat(subscription.includeResourceData()).isTrue();
        assertThat(subscription.notificationUrl()).isEqualTo(baseUrl() + "/graph/notifications");
        // Graph's handshake reached both URLs on the application's own web server, and no other server was started
        assertThat(webServer.getWebServer()).isInstanceOf(TomcatWebServer.class);
        assertThat(webServer.getWebServer().getPort())
                .isEqualTo(Integer.parseInt(environment.getProperty("local.server.port")));
        assertThat(consumer().getCounters().asMap()).containsEntry("handshakes", 2L);
    }

    @Test
    @Order(2)
    void everyMessageArrivesOnTheTopicOnceKeyedByItsChat() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> graph.emulator().subscriptions().live().size() == 1);
        List<ChatMessage> posted = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            posted.add(graph.teams().postChatMessage(GROUP_CHAT, NewMessage.text(ADELE, "launch round " + round)));
            posted.add(graph.teams().postChatMessage(ONE_ON_ONE_CHAT, NewMessage.text(MEGAN, "1:1 round " + round)));
        }
        Map<String, ChatMessage> byId = posted.stream().collect(Collectors.toMap(ChatMessage::id, Function.identity()));

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.records("teams-messages").size() >= posted.size());
        // every batch acknowledged at the first attempt: nothing more is coming
        assertThat(graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION))
                .isNotEmpty()
                .allMatch(d -> d.attempt() == 1 && d.outcome() == DeliveryRecord.Outcome.DELIVERED);
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, String> record : kafka.records("teams-messages")) {
            JsonNode message = JSON.readTree(record.value());
            ChatMessage original = byId.get(message.path("id").asText());
            assertThat(original).as("record %s is a posted message", record.value()).isNotNull();
            assertThat(record.key()).isEqualTo(original.chatId());
            assertThat(message.path("body").path("content").asText()).isEqualTo(original.content());
            ids.add(original.id());
        }
        assertThat(ids).as("every message exactly once").containsExactlyInAnyOrderElementsOf(byId.keySet());
    }

    @Test
    @Order(3)
    void tomcatsPortAnswersTheHandshakeAndTheRefusals() throws Exception {
        HttpResponse<String> handshake = post("/graph/notifications?validationToken=Validation%3A%20Testing+client",
                "text/plain", HttpRequest.BodyPublishers.noBody());
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).isEqualTo("Validation: Testing client");
        assertThat(handshake.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));

        long refusedBefore = (Long) consumer().getCounters().asMap().get("batchesRefused");
        HttpResponse<String> notJson = post("/graph/notifications", "text/plain",
                HttpRequest.BodyPublishers.ofString("{\"value\":[]}"));
        assertThat(notJson.statusCode()).isEqualTo(415);

        // declared too large: refused from the Content-Length, before Spring MVC reads a byte of it
        HttpResponse<String> declared = post("/graph/notifications", "application/json",
                HttpRequest.BodyPublishers.ofByteArray(new byte[(int) MAX_BODY_SIZE + 1]));
        assertThat(declared.statusCode()).isEqualTo(413);
        // chunked (no Content-Length): cut at the limit
        HttpResponse<String> chunked = post("/graph/notifications", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        new byte[(int) MAX_BODY_SIZE * 2])));
        assertThat(chunked.statusCode()).isEqualTo(413);

        HttpResponse<String> malformed = post("/graph/notifications", "application/json",
                HttpRequest.BodyPublishers.ofString("{\"value\":[{\"subscriptionId\""));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat((Long) consumer().getCounters().asMap().get("batchesRefused")).isEqualTo(refusedBefore + 4);
    }

    @Test
    @Order(4)
    void actuatorHealthIsUpThenDownOnceTheSubscriptionLapses() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> graph.emulator().subscriptions().live().size() == 1);
        HttpResponse<String> up = get("/actuator/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(up.body()).path("status").asText()).isEqualTo("UP");
        // Camel's default exposure names the checks that are DOWN only: ask Camel for the full list
        assertThat(HealthCheckHelper.invoke(camelContext, "full"))
                .anySatisfy(result -> {
                    assertThat(result.getCheck().getId()).isEqualTo("consumer:teams-to-kafka");
                    assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
                    assertThat(result.getDetails()).containsEntry("resource", "chats/getAllMessages");
                });

        // Graph removes the subscription and refuses every call from now on: the consumer cannot subscribe again
        graph.emulator().chaos().failGraphCalls(1.0);
        try {
            String subscriptionId = graph.emulator().subscriptions().live().get(0).id();
            graph.emulator().sendLifecycleEvent(subscriptionId, LifecycleEvent.SUBSCRIPTION_REMOVED);
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health").statusCode() == 503);
            HttpResponse<String> down = get("/actuator/health");
            assertThat(JSON.readTree(down.body()).path("status").asText()).isEqualTo("DOWN");
            // the subscription's own check; readiness (able to receive) stays UP
            assertThat(down.body()).contains("\"subscription:graph-teams-teams-to-kafka\":\"DOWN\"");
            assertThat(HealthCheckHelper.invokeReadiness(camelContext)).allSatisfy(result ->
                    assertThat(result.getState()).as(result.getCheck().getId()).isEqualTo(HealthCheck.State.UP));
        } finally {
            graph.emulator().chaos().reset();
        }
    }

    private GraphTeamsConsumer consumer() {
        return (GraphTeamsConsumer) camelContext.getRoute("teams-to-kafka").getConsumer();
    }

    private HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
