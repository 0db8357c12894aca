package io.camelgraphteams.emulator.subscriptions;

import static io.camelgraphteams.emulator.support.EmulatorFixture.APP;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL_2;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.TEAM;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.GraphClient;
import io.camelgraphteams.emulator.support.GraphClient.Answer;
import io.camelgraphteams.emulator.support.NotificationReceiver.Handshake;

/** One test per subscription rule of graph-protocol.md: Graph's status and error code for each. */
class SubscriptionRulesTest {

    private static final String CHANNEL_RESOURCE = "/teams/" + TEAM + "/channels/" + CHANNEL + "/messages";
    private static EmulatorFixture f;
    private static SelfSignedCertificate encryptionCertificate;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(EmulatorFixture.fastTimings());
        encryptionCertificate = SelfSignedCertificate.generate("CN=encryption", 2048);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clean() {
        f.deleteAllSubscriptions();
        f.receiver.handshake(Handshake.ECHO);
        f.emulator.quotas(SubscriptionQuotas.graphDefaults());
    }

    private Answer create(ObjectNode body) {
        return f.graph.post("/subscriptions", Json.write(body));
    }

    private static void assertError(Answer answer, int status, String code) {
        assertThat(answer.status()).as("status of %s", answer.json()).isEqualTo(status);
        assertThat(answer.errorCode()).isEqualTo(code);
        assertThat(answer.json().path("error").path("innerError").has("request-id")).isTrue();
    }

    // ---- creation and handshake ----

    @Test
    void createAnswers201AfterTheHandshakeEchoesTheDecodedToken() {
        Answer answer = create(f.subscription(CHANNEL_RESOURCE, "created,updated"));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("resource").asText()).isEqualTo(CHANNEL_RESOURCE);
        assertThat(answer.json().get("applicationId").asText()).isEqualTo(APP);
        assertThat(answer.json().get("changeType").asText()).isEqualTo("created,updated");
        assertThat(answer.json().get("@odata.context").asText()).endsWith("/v1.0/$metadata#subscriptions/$entity");
        assertThat(f.receiver.handshakes()).hasSize(1);
        assertThat(f.receiver.handshakes().get(0).contentType()).startsWith("text/plain");
        assertThat(f.receiver.handshakes().get(0).validationToken()).startsWith("Validation: Testing client application");
    }

    @Test
    void handshakeAnsweredWithTheWrongBodyIsValidationError() {
        f.receiver.handshake(Handshake.WRONG_ECHO);
        Answer answer = create(f.subscription(CHANNEL_RESOURCE, "created"));

        assertError(answer, 400, "ValidationError");
        assertThat(answer.errorMessage()).isEqualTo("Subscription validation request failed. Notification endpoint must "
                + "respond with 200 OK to validation request.");
        assertThat(f.emulator.subscriptions().live()).isEmpty();
    }

    @Test
    void handshakeAnsweredWithNon200IsValidationError() {
        f.receiver.handshake(Handshake.STATUS_500);
        assertError(create(f.subscription(CHANNEL_RESOURCE, "created")), 400, "ValidationError");
    }

    @Test
    void handshakeAnsweredWithoutTextPlainIsValidationError() {
        f.receiver.handshake(Handshake.JSON_CONTENT_TYPE);
        assertError(create(f.subscription(CHANNEL_RESOURCE, "created")), 400, "ValidationError");
    }

    @Test
    void handshakeNotAnsweredWithinTheLimitTimesOut() {
        f.receiver.slowHandshakeBy(Duration.ofMillis(2500));
        long started = System.nanoTime();
        Answer answer = create(f.subscription(CHANNEL_RESOURCE, "created"));

        assertError(answer, 400, "InvalidRequest");
        assertThat(answer.errorMessage()).isEqualTo("Subscription validation request timed out.");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2400));
    }

    @Test
    void unreachableNotificationUrlIsValidationError() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("notificationUrl", "http://localhost:1/nobody-listens");
        assertError(create(body), 400, "ValidationError");
    }

    @Test
    void lifecycleUrlIsValidatedTooAndTwiceWhenEqual() {
        int before = f.receiver.handshakes().size();
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("lifecycleNotificationUrl", f.receiver.url("/notify"));
        assertThat(create(body).status()).isEqualTo(201);
        assertThat(f.receiver.handshakes().size() - before).isEqualTo(2);
    }

    // ---- bearer token ----

    @Test
    void missingBearerTokenIs401InvalidAuthenticationToken() {
        GraphClient anonymous = new GraphClient(f.emulator.graphV1Url(), null);
        Answer answer = anonymous.get("/subscriptions");
        assertError(answer, 401, "InvalidAuthenticationToken");
        assertThat(answer.errorMessage()).isEqualTo("Access token is empty.");
    }

    @Test
    void tokenSignedByAnotherKeyIs401() {
        String token = f.emulator.accessToken(APP);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + "AAAA" + parts[2].substring(14);
        assertError(new GraphClient(f.emulator.graphV1Url(), forged).get("/subscriptions"), 401,
                "InvalidAuthenticationToken");
    }

    @Test
    void expiredTokenIs401() {
        String token = f.emulator.accessToken(APP);
        f.emulator.clock().advance(Duration.ofHours(2));
        try {
            Answer answer = new GraphClient(f.emulator.graphV1Url(), token).get("/subscriptions");
            assertError(answer, 401, "InvalidAuthenticationToken");
            assertThat(answer.errorMessage()).contains("expired");
        } finally {
            f.emulator.clock().advance(Duration.ofHours(-2));
        }
    }

    // ---- payload ----

    @Test
    void unparsablePayloadIsInvalidRequestWithGraphsMessage() {
        Answer answer = f.graph.post("/subscriptions", "{not json");
        assertError(answer, 400, "InvalidRequest");
        assertThat(answer.errorMessage()).isEqualTo("Could not process subscription creation payload. Are all property "
                + "names spelled and camelCased properly?");
    }

    @Test
    void misspelledPropertyIsInvalidRequest() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("notificationURL", "https://example.com");
        assertError(create(body), 400, "InvalidRequest");
    }

    @Test
    void missingRequiredPropertyIsInvalidRequest() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.remove("expirationDateTime");
        Answer answer = create(body);
        assertError(answer, 400, "InvalidRequest");
        assertThat(answer.errorMessage()).contains("expirationDateTime");
    }

    @Test
    void unknownChangeTypeIsInvalidRequest() {
        assertError(create(f.subscription(CHANNEL_RESOURCE, "created,edited")), 400, "InvalidRequest");
    }

    @Test
    void resourceThatIsNoneOfTheSixKindsIsInvalidRequest() {
        assertError(create(f.subscription("/me/messages", "created")), 400, "InvalidRequest");
    }

    @Test
    void unsupportedQueryOptionIsInvalidRequest() {
        assertError(create(f.subscription(CHANNEL_RESOURCE + "?$top=5", "created")), 400, "InvalidRequest");
    }

    @Test
    void channelThatDoesNotExistIsNotFound() {
        assertError(create(f.subscription("/teams/" + TEAM + "/channels/19:nope@thread.tacv2/messages", "created")), 404,
                "NotFound");
    }

    @Test
    void httpNotificationUrlOffLocalhostIsInvalidRequest() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("notificationUrl", "http://example.com/notify");
        assertError(create(body), 400, "InvalidRequest");
    }

    // ---- lifetime ----

    @Test
    void expirationBeyondTheMaximumIsBadRequestWithGraphsMessage() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("lifecycleNotificationUrl", f.receiver.url("/lifecycle"));
        body.put("expirationDateTime", f.now().plus(Duration.ofMinutes(4320)).plusSeconds(3).toString());
        Answer answer = create(body);
        assertError(answer, 400, "BadRequest");
        assertThat(answer.errorMessage()).matches("Expiration time '.*' \\('-3\\.00:00:0\\d(\\.\\d{7})?' from now\\) is "
                + "beyond allowed max '3\\.00:00:00'\\.");
    }

    @Test
    void expirationJustBelowTheMaximumWithLifecycleUrlIsAccepted() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("lifecycleNotificationUrl", f.receiver.url("/lifecycle"));
        body.put("expirationDateTime", f.now().plus(Duration.ofMinutes(4320)).minusSeconds(60).toString());
        assertThat(create(body).status()).isEqualTo(201);
    }

    @Test
    void expirationOverOneHourWithoutLifecycleUrlFailsWithGraphsExactMessage() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("expirationDateTime", f.now().plus(Duration.ofMinutes(61)).toString());
        Answer answer = create(body);
        assertError(answer, 400, "InvalidRequest");
        assertThat(answer.errorMessage()).isEqualTo("lifecycleNotificationUrl is a required property for subscription "
                + "creation on this resource when the expirationDateTime value is set to greater than 1 hour.");
    }

    @Test
    void expirationInThePastIsInvalidRequest() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("expirationDateTime", f.now().minusSeconds(5).toString());
        assertError(create(body), 400, "InvalidRequest");
    }

    // ---- clientState, encryption ----

    @Test
    void clientStateOf128CharactersIsAcceptedAnd129IsNot() {
        ObjectNode ok = f.subscription(CHANNEL_RESOURCE, "created");
        ok.put("clientState", "x".repeat(128));
        assertThat(create(ok).status()).isEqualTo(201);
        f.deleteAllSubscriptions();
        ObjectNode tooLong = f.subscription(CHANNEL_RESOURCE, "created");
        tooLong.put("clientState", "x".repeat(129));
        assertError(create(tooLong), 400, "InvalidRequest");
    }

    @Test
    void includeResourceDataWithoutCertificateIsInvalidRequest() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("includeResourceData", true);
        body.put("encryptionCertificateId", "key-1");
        Answer answer = create(body);
        assertError(answer, 400, "InvalidRequest");
        assertThat(answer.errorMessage()).contains("encryptionCertificate");
    }

    @Test
    void includeResourceDataWithoutCertificateIdIsInvalidRequest() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", encryptionCertificate.base64Der());
        Answer answer = create(body);
        assertError(answer, 400, "InvalidRequest");
        assertThat(answer.errorMessage()).contains("encryptionCertificateId");
    }

    @Test
    void encryptionCertificateWithA1024BitKeyIsInvalidRequest() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", SelfSignedCertificate.generate("CN=weak", 1024).base64Der());
        body.put("encryptionCertificateId", "key-1");
        assertError(create(body), 400, "InvalidRequest");
    }

    @Test
    void includeResourceDataWithCertificateIsAccepted() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", encryptionCertificate.base64Der());
        body.put("encryptionCertificateId", "key-1");
        Answer answer = create(body);
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("includeResourceData").asBoolean()).isTrue();
        assertThat(answer.json().get("encryptionCertificateId").asText()).isEqualTo("key-1");
    }

    // ---- duplicates, quotas, permissions ----

    @Test
    void sameResourceAndChangeTypeAgainIs409Conflict() {
        f.create(f.subscription(CHANNEL_RESOURCE, "created,updated"));
        assertError(create(f.subscription(CHANNEL_RESOURCE, "updated,created")), 409, "Conflict");
    }

    @Test
    void secondSubscriptionOfOneAppOnOneChannelIsOverQuota() {
        f.create(f.subscription(CHANNEL_RESOURCE, "created"));
        assertError(create(f.subscription(CHANNEL_RESOURCE, "deleted")), 403, "Forbidden");
        assertThat(create(f.subscription("/teams/" + TEAM + "/channels/" + CHANNEL_2 + "/messages", "created")).status())
                .isEqualTo(201);
    }

    @Test
    void tenantWideGetAllMessagesIsOnePerApp() {
        f.create(f.subscription("/chats/getAllMessages", "created"));
        assertError(create(f.subscription("/chats/getAllMessages?model=B", "updated")), 403, "Forbidden");
    }

    @Test
    void userLevelQuotaCountsPerUser() {
        f.emulator.quotas(new SubscriptionQuotas(1, 2, 10_000));
        f.create(f.subscription("/users/" + USER_A + "/chats/getAllMessages", "created"));
        f.create(f.subscription("/users/" + USER_A + "/chats/getAllMessages?$search=hello", "created"));
        assertError(create(f.subscription("/users/" + USER_A + "/chats/getAllMessages?$search=bye", "created")), 403,
                "Forbidden");
    }

    @Test
    void organisationQuotaIs403() {
        f.emulator.quotas(new SubscriptionQuotas(1, 10, 2));
        f.create(f.subscription(CHANNEL_RESOURCE, "created"));
        f.create(f.subscription("/chats/" + CHAT + "/messages", "created"));
        assertError(create(f.subscription("/teams/getAllMessages", "created")), 403, "Forbidden");
    }

    @Test
    void appWithoutThePermissionIs403() {
        String limited = "c0c0c0c0-0000-4000-8000-0000000000ff";
        f.emulator.registerApp(RegisteredApp.builder(limited).secret("s").permissions(Set.of("Chat.Read.All")).build());
        GraphClient client = new GraphClient(f.emulator.graphV1Url(), f.emulator.accessToken(limited));
        assertError(client.post("/subscriptions", Json.write(f.subscription("/teams/getAllMessages", "created"))), 403,
                "Forbidden");
        assertThat(client.post("/subscriptions", Json.write(f.subscription("/chats/getAllMessages", "created"))).status())
                .isEqualTo(201);
    }

    // ---- read, renew, delete, reauthorize ----

    @Test
    void getListPatchReauthorizeDelete() {
        String id = f.create(f.subscription(CHANNEL_RESOURCE, "created"));

        assertThat(f.graph.get("/subscriptions/" + id).json().get("id").asText()).isEqualTo(id);
        assertThat(f.graph.get("/subscriptions").json().get("value")).hasSize(1);

        String renewed = f.now().plus(Duration.ofMinutes(55)).toString();
        Answer patch = f.graph.patch("/subscriptions/" + id, "{\"expirationDateTime\":\"" + renewed + "\"}");
        assertThat(patch.status()).isEqualTo(200);
        assertThat(java.time.Instant.parse(patch.json().get("expirationDateTime").asText()))
                .isEqualTo(java.time.Instant.parse(renewed).minusNanos(java.time.Instant.parse(renewed).getNano() % 100));

        assertThat(f.graph.post("/subscriptions/" + id + "/reauthorize", null).status()).isEqualTo(204);
        assertThat(f.graph.delete("/subscriptions/" + id).status()).isEqualTo(204);
        assertError(f.graph.get("/subscriptions/" + id), 404, "ResourceNotFound");
        assertError(f.graph.patch("/subscriptions/" + id, "{\"expirationDateTime\":\"" + renewed + "\"}"), 404,
                "ResourceNotFound");
        assertError(f.graph.delete("/subscriptions/" + id), 404, "ResourceNotFound");
    }

    @Test
    void patchToANewNotificationUrlRunsTheHandshakeAgain() {
        String id = f.create(f.subscription(CHANNEL_RESOURCE, "created"));
        int before = f.receiver.handshakes().size();
        Answer moved = f.graph.patch("/subscriptions/" + id, "{\"notificationUrl\":\"" + f.receiver.url("/moved") + "\"}");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(f.receiver.handshakes()).hasSize(before + 1);
        assertThat(f.receiver.handshakes().get(before).path()).isEqualTo("/moved");

        f.receiver.handshake(Handshake.WRONG_ECHO);
        assertError(f.graph.patch("/subscriptions/" + id, "{\"notificationUrl\":\"" + f.receiver.url("/again") + "\"}"),
                400, "ValidationError");
        assertThat(f.emulator.subscriptions().find(id).orElseThrow().notificationUrl()).endsWith("/moved");
    }

    @Test
    void patchRotatesTheEncryptionCertificate() {
        ObjectNode body = f.subscription(CHANNEL_RESOURCE, "created");
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", encryptionCertificate.base64Der());
        body.put("encryptionCertificateId", "key-1");
        String id = f.create(body);
        SelfSignedCertificate next = SelfSignedCertificate.generate("CN=next", 2048);

        Answer rotated = f.graph.patch("/subscriptions/" + id, "{\"encryptionCertificate\":\"" + next.base64Der()
                + "\",\"encryptionCertificateId\":\"key-2\"}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("encryptionCertificateId").asText()).isEqualTo("key-2");
        assertThat(f.emulator.subscriptions().find(id).orElseThrow().parsedEncryptionCertificate())
                .isEqualTo(next.certificate());
    }

    @Test
    void patchCannotAddALifecycleUrl() {
        String id = f.create(f.subscription(CHANNEL_RESOURCE, "created"));
        assertError(f.graph.patch("/subscriptions/" + id, "{\"lifecycleNotificationUrl\":\"" + f.receiver.url("/lc")
                + "\"}"), 400, "InvalidRequest");
    }

    @Test
    void patchBeyondOneHourWithoutLifecycleUrlIsRefused() {
        String id = f.create(f.subscription(CHANNEL_RESOURCE, "created"));
        assertError(f.graph.patch("/subscriptions/" + id, "{\"expirationDateTime\":\""
                + f.now().plus(Duration.ofHours(2)) + "\"}"), 400, "InvalidRequest");
    }

    @Test
    void anotherAppCannotSeeTheSubscription() {
        String id = f.create(f.subscription(CHANNEL_RESOURCE, "created"));
        String other = "c0c0c0c0-0000-4000-8000-0000000000ee";
        f.emulator.registerApp(RegisteredApp.withSecret(other, "s"));
        GraphClient client = new GraphClient(f.emulator.graphV1Url(), f.emulator.accessToken(other));
        assertError(client.get("/subscriptions/" + id), 404, "ResourceNotFound");
        assertThat(client.get("/subscriptions").json().get("value")).isEmpty();
    }

    @Test
    void expiredSubscriptionDisappears() {
        String id = f.create(f.subscription(CHANNEL_RESOURCE, "created"));
        f.emulator.clock().advance(Duration.ofMinutes(51));
        try {
            assertThat(f.emulator.subscriptions().find(id)).isEmpty();
            assertThat(f.emulator.subscriptions().sweepExpired()).extracting(Subscription::id).containsExactly(id);
        } finally {
            f.emulator.clock().advance(Duration.ofMinutes(-51));
        }
        assertError(f.graph.get("/subscriptions/" + id), 404, "ResourceNotFound");
    }

    @Test
    void betaServesTheSameApi() {
        GraphClient beta = new GraphClient(f.emulator.graphBetaUrl(), f.emulator.accessToken(APP));
        Answer answer = beta.post("/subscriptions", Json.write(f.subscription("/users/" + USER_A
                + "/chats/getAllMessages?model=B", "created")));
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("@odata.context").asText()).contains("/beta/$metadata");
    }
}
