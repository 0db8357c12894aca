package io.camelgraphteams.springboot;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.OpenIdTestServer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import io.camelgraphteams.component.webhook.UploadBudget;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook on Spring MVC (camel-platform-http-starter on Tomcat), with batches built the way Graph builds them:
 * the same answers as on Vert.x (202 once delivered, 401 without a valid validation token, 400 malformed, the
 * handshake echoed as text), and never late: the servlet thread waits for the route at most until the answer
 * deadline, then answers 503, and Graph's retry routes nothing twice.
 */
@SpringBootTest(classes = ServletWebhookTest.Application.class,
                webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = "camel.component.graph-teams.answer-deadline=" + ServletWebhookTest.DEADLINE_MILLIS)
@DirtiesContext
class ServletWebhookTest {

    static final long DEADLINE_MILLIS = 1500;
    // Graph counts an answer after 2.9 s as slow
    private static final long SLOW_MILLIS = 2900;
    private static final String SUBSCRIPTION_ID = "4a0e3a86-58bb-4d7b-a2a5-93cbd3f1b7a1";
    private static final String CHAT_ID = "19:servlet-webhook-chat@thread.v2";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ExecutorService CONCURRENT_CLIENTS = Executors.newFixedThreadPool(16);

    static final TestTokenIssuer ISSUER = new TestTokenIssuer();
    static final List<Exchange> RECEIVED = new CopyOnWriteArrayList<>();
    static OpenIdTestServer identityPlatform;
    static Path keyStore;

    @Autowired
    Environment environment;
    @Autowired
    CamelContext camelContext;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        /** Messages whose text says "slow" keep the route busy past the answer deadline. */
        @Bean
        RouteBuilder receivingRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(ReceivingContext.chatsUri(keyStore, identityPlatform.openIdConfigurationUrl(), ""))
                            .routeId("servlet-webhook")
                            .process(exchange -> {
                                if (exchange.getMessage().getBody(String.class).contains("slow")) {
                                    Thread.sleep(DEADLINE_MILLIS + 1000);
                                }
                                RECEIVED.add(exchange.copy());
                            });
                }
            };
        }
    }

    @DynamicPropertySource
    static void startTheIdentityPlatform(DynamicPropertyRegistry properties) throws Exception {
        identityPlatform = OpenIdTestServer.start(ISSUER.jwkSetJson());
        keyStore = ReceivingContext.keyStore(Files.createTempDirectory("servlet-webhook"));
    }

    @AfterAll
    static void stopTheIdentityPlatform() {
        identityPlatform.close();
    }

    @BeforeEach
    void forgetReceived() {
        RECEIVED.clear();
    }

    @Test
    void aGraphBatchIsDecryptedRoutedAndAnswered202() throws Exception {
        HttpResponse<String> answer = post(batch(List.of(encryptedItem("6001", "hello from Tomcat")), validToken()));

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(RECEIVED).singleElement().satisfies(exchange -> {
            assertThat(exchange.getMessage().getBody(String.class)).contains("hello from Tomcat");
            assertThat(exchange.getMessage().getHeaders())
                    .containsEntry(GraphTeamsConstants.MESSAGE_ID, "6001")
                    .containsEntry(GraphTeamsConstants.CHAT_ID, CHAT_ID)
                    .containsEntry(GraphTeamsConstants.SUBSCRIPTION_ID, SUBSCRIPTION_ID);
        });
    }

    @Test
    void aSlowRouteIsAnswered503AtTheDeadlineAndTheRetryRoutesNothingTwice() throws Exception {
        byte[] batch = batch(List.of(encryptedItem("6002", "a slow one")), validToken());

        long started = System.nanoTime();
        HttpResponse<String> first = post(batch);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(millis).as("answered at the deadline, before Graph counts it slow")
                .isGreaterThanOrEqualTo(DEADLINE_MILLIS - 100).isLessThan(SLOW_MILLIS);
        // Graph's retry while the first copy is still in the route waits for that copy's outcome
        HttpResponse<String> retry = post(batch);
        assertThat(retry.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.size() == 1);
        assertThat(post(batch).statusCode()).as("delivered already").isEqualTo(202);
        assertThat(RECEIVED).as("the message routed once").hasSize(1);
    }

    @Test
    void manySlowBatchesAtOnceAreAllAnsweredBeforeGraphCountsThemSlow() throws Exception {
        // more batches than Spring's task executor has threads (8): those queued behind the others still get their
        // answer by the deadline, counted from their arrival
        int count = 16;
        List<byte[]> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batches.add(batch(List.of(encryptedItem("70" + i, "slow batch " + i)), validToken()));
        }
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (byte[] batch : batches) {
            answers.add(CompletableFuture.supplyAsync(() -> timedPost(batch), CONCURRENT_CLIENTS));
        }
        List<byte[]> notDelivered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Answer answer = answers.get(i).get(30, TimeUnit.SECONDS);
            assertThat(answer.millis()).as("milliseconds to answer batch %d", i).isLessThan(SLOW_MILLIS);
            assertThat(answer.status()).isIn(202, 503);
            if (answer.status() == 503) {
                notDelivered.add(batches.get(i));
            }
        }
        // what Graph does with a 503: deliver again, until accepted; each message is routed once
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            notDelivered.removeIf(batch -> timedPost(batch).status() == 202);
            return notDelivered.isEmpty();
        });
        assertThat(RECEIVED).hasSize(count);
        assertThat(RECEIVED.stream().map(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID)).distinct())
                .hasSize(count);
    }

    private record Answer(int status, long millis) {
    }

    private Answer timedPost(byte[] batch) {
        long started = System.nanoTime();
        try {
            int status = post(batch).statusCode();
            return new Answer(status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void batchesWithoutAValidTokenOrMalformedNeverReachTheRoute() throws Exception {
        TestTokenIssuer stranger = new TestTokenIssuer();
        assertThat(post(batch(List.of(encryptedItem("6003", "no token")))).statusCode()).isEqualTo(401);
        assertThat(post(batch(List.of(encryptedItem("6004", "forged")), stranger.v1Token(APP_ID, TENANT_ID).sign()))
                .statusCode()).isEqualTo(401);
        assertThat(post("{\"value\":[{\"subscriptionId\"".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(400);
        assertThat(RECEIVED).isEmpty();
    }

    @Test
    void theHandshakeIsEchoedAsText() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl()
                        + "/graph/lifecycle?validationToken=Validation%3A+Testing%26more"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("Validation: Testing&more");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void anOversizedBodyIsRefusedUnreadWhateverFormThePathTakes() throws Exception {
        // Spring MVC decodes the path and drops ;parameters before it picks the handler: so must the limit
        for (String path : List.of("/graph/notifications", "/graph/notifications;x=1", "/graph/notification%73")) {
            try (Socket socket = new Socket("127.0.0.1", port())) {
                socket.setSoTimeout(5_000);
                // announced, never sent: only an answer before the body proves the body was not waited for
                socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                                                + "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                assertThat(statusLine(socket)).as(path).startsWith("HTTP/1.1 413");
            }
        }
        assertThat(RECEIVED).isEmpty();
    }

    @Test
    void anUploadHoldsItsShareOfTheByteBudgetBeforeItsBodyIsRead() throws Exception {
        UploadBudget budget = camelContext.getComponent("graph-teams", GraphTeamsComponent.class).uploadBudget();
        long before = budget.bytesInFlight();
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.getOutputStream().write(("POST /graph/notifications HTTP/1.1\r\nHost: localhost\r\n"
                                            + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"va")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> budget.bytesInFlight() >= before + 1_000_000);
        }
        // the client went away mid-upload: its share is given back
        await().atMost(Duration.ofSeconds(10)).until(() -> budget.bytesInFlight() == before);
    }

    @Test
    void aStoppedRoutesPathsAnswer503UntilItStartsAgain() throws Exception {
        camelContext.getRouteController().stopRoute("servlet-webhook");
        try {
            // Spring unmaps the path (404); an engine that keeps it mapped reaches the stopped intake (503)
            assertThat(handshake("/graph/notifications").statusCode()).isIn(404, 503);
            // judged by the filter before its body is read: the consumer is not running
            assertThat(post(batch(List.of(encryptedItem("6005", "while stopped")), validToken())).statusCode())
                    .isEqualTo(503);
        } finally {
            camelContext.getRouteController().startRoute("servlet-webhook");
        }
        assertThat(handshake("/graph/notifications").statusCode()).isEqualTo(200);
        assertThat(post(batch(List.of(encryptedItem("6006", "started again")), validToken())).statusCode())
                .isEqualTo(202);
        assertThat(RECEIVED).singleElement().satisfies(exchange ->
                assertThat(exchange.getMessage().getBody(String.class)).contains("started again"));
    }

    private int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }

    private HttpResponse<String> handshake(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path + "?validationToken=hello"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String statusLine(Socket socket) throws Exception {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        try {
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            return "no answer within 5 s (the server waited for the body)";
        }
        return line.toString().trim();
    }

    private String baseUrl() {
        return "http://localhost:" + environment.getProperty("local.server.port");
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/graph/notifications"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String validToken() {
        return ISSUER.v1Token(APP_ID, TENANT_ID).sign();
    }

    private static ObjectNode encryptedItem(String messageId, String text) {
        EncryptedContent content = TestEncryption.encrypt(
                GraphNotifications.chatMessage(CHAT_ID, messageId, text).getBytes(StandardCharsets.UTF_8),
                TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID);
        return GraphNotifications.withEncryptedContent(
                GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, messageId), content);
    }

    private static byte[] batch(List<ObjectNode> items, String... tokens) {
        return GraphNotifications.batch(items, List.of(tokens));
    }
}
