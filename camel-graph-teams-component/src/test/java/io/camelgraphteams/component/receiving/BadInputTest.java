package io.camelgraphteams.component.receiving;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.LogCapture;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.OpenIdTestServer;
import io.camelgraphteams.component.testsupport.RawHttp.Request;
import io.camelgraphteams.component.testsupport.RawHttp;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6, "nothing forged": one bad request per case against a consumer that runs as deployed (managing its
 * subscription in the emulator through msal4j, resource data with a key store, clientState, allowedTenantIds, a
 * 256 KiB maxBodySize). Each case asserts the documented status (and answer text where graph-teams writes one), that no
 * exchange reached the route and no lifecycle event was acted on, that nothing was logged at ERROR or with a stack
 * trace at WARN, and that the server keeps serving: a valid batch posted right after is answered 202 and delivered.
 * docs/bad-input.md lists every case with the reason for its status.
 */
class BadInputTest {

    private static final String NOTIFICATIONS = "/graph/notifications";
    private static final String LIFECYCLE = "/graph/lifecycle";
    private static final String JSON = "application/json";
    private static final String SUBSCRIPTION = "5d1c0e0c-7bd8-4bd4-a2b2-2f3b5d6a1c11";
    private static final String CHAT = "19:8ea0e38b-efb3-4757-924a-5f94061cf8c2_97f62344@unq.gbl.spaces";
    private static final String OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
    private static final int MAX_BODY = 256 * 1024;
    private static final int TIMEOUT_MILLIS = 30_000;

    // BatchResponse texts: the fixed answers graph-teams writes
    private static final String MALFORMED = "malformed notification batch";
    private static final String TOKENS_MISSING = "validationTokens missing";
    private static final String TOKEN_INVALID = "invalid validation token";
    private static final String TOO_LARGE = "notification batch too large";
    private static final String NOT_JSON = "expected application/json";
    private static final String UNKNOWN_CERTIFICATE = "no decryption key for this certificate yet, retry later";
    private static final String DROPPED = "";

    private static final AtomicInteger MESSAGE_IDS = new AtomicInteger(1000);

    static EmulatedGraph graph;
    static TestTokenIssuer issuer;
    static OpenIdTestServer identityPlatform;
    static ManagedConsumer consumer;
    static LogCapture logs;

    @TempDir
    static Path dir;

    /** What one case expects beyond the common checks; {@code text} null: graph-teams does not write the answer. */
    record Case(Supplier<Request> request, int status, String text, Check check) {
    }

    @FunctionalInterface
    interface Check {
        void verify(RawHttp.Response response, Request request) throws Exception;
    }

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestTokenIssuer();
        identityPlatform = OpenIdTestServer.start(issuer.jwkSetJson());
        graph = EmulatedGraph.start();
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = ManagedConsumer.options(graph, port, dir)
                .set("openIdConfigurationUrl", identityPlatform.openIdConfigurationUrl())
                .set("allowedTenantIds", TENANT_ID)
                .set("maxBodySize", MAX_BODY)
                .set("deleteOnStop", true);
        consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages", options);
        assertThat(consumer.subscriptionId()).as("the consumer manages a live subscription").isNotNull();
        logs = LogCapture.start();
    }

    @AfterAll
    static void stop() {
        if (logs != null) {
            logs.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (graph != null) {
            graph.close();
        }
        if (identityPlatform != null) {
            identityPlatform.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsRefusedAndTheServerKeepsServing(Case bad) throws Exception {
        consumer.received().clear();
        logs.clear();
        SubscriptionStatus before = consumer.status();
        int gapsBefore = consumer.gaps().size();

        Request request = bad.request().get();
        RawHttp.Response response = RawHttp.send(consumer.port(), request, TIMEOUT_MILLIS);

        assertThat(response.status()).as("status").isEqualTo(bad.status());
        if (bad.text() != null) {
            assertThat(response.bodyText()).as("answer text").isEqualTo(bad.text());
        }
        if (bad.check() != null) {
            bad.check().verify(response, request);
        }
        assertThat(consumer.received()).as("exchanges that reached the route").isEmpty();
        SubscriptionStatus after = consumer.status();
        assertThat(after.lifecycleEvents()).as("lifecycle events acted on").isEqualTo(before.lifecycleEvents());
        assertThat(after.subscriptionId()).isEqualTo(before.subscriptionId());
        assertThat(after.reauthorizations()).isEqualTo(before.reauthorizations());
        assertThat(after.recreations()).isEqualTo(before.recreations());
        assertThat(consumer.gaps()).hasSize(gapsBefore);

        // the server keeps serving: a genuine batch right after is accepted and delivered, and only it
        String messageId = String.valueOf(MESSAGE_IDS.incrementAndGet());
        String plaintext = plaintext(messageId);
        RawHttp.Response valid = RawHttp.send(consumer.port(),
                notifications(batch(List.of(encryptedItem(messageId, plaintext)), validToken())), TIMEOUT_MILLIS);
        assertThat(valid.status()).as("a valid batch after the bad request").isEqualTo(202);
        assertThat(consumer.bodies()).containsExactly(plaintext);

        assertThat(logs.events(e -> e.isAbove(Level.WARN))).as("events above WARN").isEmpty();
        assertThat(logs.events(e -> e.isAtLeast(Level.WARN) && e.hasThrown())).as("stack traces at WARN").isEmpty();
    }

    /** A control for the lifecycle assertions above: a genuine lifecycle event for the subscription IS acted on. */
    @Test
    void genuineLifecycleEventIsActedOn() throws Exception {
        long before = consumer.status().lifecycleEvents();
        int gapsBefore = consumer.gaps().size();
        RawHttp.Response response = RawHttp.send(consumer.port(),
                lifecycle(batch(List.of(GraphNotifications.lifecycleItem(consumer.subscriptionId(), TENANT_ID,
                        CLIENT_STATE, "missed")))), TIMEOUT_MILLIS);
        assertThat(response.status()).isEqualTo(202);
        assertThat(consumer.status().lifecycleEvents()).isEqualTo(before + 1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.gaps().size() == gapsBefore + 1);
    }

    // ------------------------------------------------------------------------------------------------- the cases

    static Stream<Named<Case>> badRequests() {
        List<Named<Case>> cases = new ArrayList<>();

        // --- body shape: 400 before any item is looked at
        cases.add(refused("malformed JSON", () -> notifications("{\"value\":[}")));
        cases.add(refused("truncated JSON (a valid batch cut in half)", () -> {
            byte[] whole = batch(List.of(encryptedItem("1")), validToken());
            return notifications(java.util.Arrays.copyOf(whole, whole.length / 2));
        }));
        cases.add(refused("empty body", () -> notifications(new byte[0])));
        cases.add(refused("whitespace only", () -> notifications(" \r\n\t ")));
        cases.add(refused("top level is an array", () -> notifications("[{\"value\":[]}]")));
        cases.add(refused("top level is null", () -> notifications("null")));
        cases.add(refused("top level is a string", () -> notifications("\"value\"")));
        cases.add(refused("missing value", () -> notifications("{\"validationTokens\":[\"" + validToken() + "\"]}")));
        cases.add(refused("value is an object, not an array", () -> notifications("{\"value\":{}}")));
        cases.add(refused("value is a string", () -> notifications("{\"value\":\"[]\"}")));
        cases.add(refused("value is null", () -> notifications("{\"value\":null}")));
        cases.add(refused("item is a string, not an object", () -> notifications("{\"value\":[\"item\"]}")));
        cases.add(refused("item is an array", () -> notifications("{\"value\":[[]]}")));
        cases.add(refused("item is a number", () -> notifications("{\"value\":[42]}")));
        cases.add(refused("number where a string goes (subscriptionId)",
                () -> notifications(batchWithItem(item -> item.put("subscriptionId", 5)))));
        cases.add(refused("number where a string goes (clientState)",
                () -> notifications(batchWithItem(item -> item.put("clientState", 12345)))));
        cases.add(refused("boolean where a string goes (changeType)",
                () -> notifications(batchWithItem(item -> item.put("changeType", true)))));
        cases.add(refused("object where a string goes (tenantId)",
                () -> notifications(batchWithItem(item -> item.putObject("tenantId").put("id", TENANT_ID)))));
        cases.add(refused("number where a string goes (encryptedContent.data)",
                () -> notifications(batchWithContent(content -> content.put("data", 1)))));
        cases.add(refused("validationTokens is a string, not an array",
                () -> notifications("{\"value\":[" + encryptedItem("1") + "],\"validationTokens\":\"" + validToken() + "\"}")));
        cases.add(refused("number in validationTokens",
                () -> notifications("{\"value\":[" + encryptedItem("1") + "],\"validationTokens\":[42]}")));
        cases.add(refused("huge integer (1,000 digits)",
                () -> notifications("{\"value\":[],\"count\":" + "9".repeat(1000) + "}")));
        cases.add(refused("huge exponent where a string goes",
                () -> notifications(replace(batch(List.of(encryptedItem("1")), validToken()),
                        "\"subscriptionId\":\"" + SUBSCRIPTION + "\"", "\"subscriptionId\":1e999999999"))));
        cases.add(refused("deep nesting (100 levels in resourceData)",
                () -> notifications(batchWithItemJson(item -> item.replace("\"resourceData\":{",
                        "\"resourceData\":{\"deep\":" + "[".repeat(100) + "]".repeat(100) + ",")))));
        cases.add(refused("deep nesting (100,000 levels)",
                () -> notifications("{\"value\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")));
        cases.add(refused("trailing content after the JSON document",
                () -> notifications(new String(batch(List.of(encryptedItem("1")), validToken()), StandardCharsets.UTF_8)
                                    + "{\"value\":[]}")));
        cases.add(refused("duplicate key at the top (value twice)",
                () -> notifications("{\"value\":[],\"value\":[" + encryptedItem("1") + "],\"validationTokens\":[\""
                                    + validToken() + "\"]}")));
        cases.add(refused("duplicate key in an item (clientState twice)",
                () -> notifications(batchWithItemJson(item -> item.replaceFirst("\\{",
                        "{\"clientState\":\"forged\",")))));
        cases.add(refused("duplicate key in encryptedContent (data twice)",
                () -> notifications(batchWithItemJson(item -> item.replace("\"encryptedContent\":{",
                        "\"encryptedContent\":{\"data\":\"AAAA\",")))));
        cases.add(refused("invalid UTF-8 in a string",
                () -> notifications(concat("{\"value\":[{\"subscriptionId\":\"", new byte[] { (byte) 0xC3, (byte) 0x28 },
                        "\",\"changeType\":\"created\",\"resource\":\"x\"}]}"))));
        cases.add(refused("NaN literal", () -> notifications("{\"value\":[],\"n\":NaN}")));
        cases.add(refused("comment in JSON", () -> notifications("{/* comment */\"value\":[]}")));
        cases.add(refused("single-quoted strings", () -> notifications("{'value':[]}")));
        cases.add(refused("raw control character inside a string",
                () -> notifications("{\"value\":[{\"subscriptionId\":\"a\nb\",\"changeType\":\"created\","
                                    + "\"resource\":\"x\"}]}")));
        cases.add(refused("both changeType and lifecycleEvent",
                () -> notifications(batchWithItem(item -> item.put("lifecycleEvent", "missed")))));
        cases.add(refused("neither changeType nor lifecycleEvent",
                () -> notifications(batchWithItem(item -> item.remove("changeType")))));
        cases.add(refused("item without subscriptionId",
                () -> notifications(batchWithItem(item -> item.remove("subscriptionId")))));
        cases.add(refused("change item without resource",
                () -> notifications(batchWithItem(item -> item.remove("resource")))));
        cases.add(refused("resourceData is a string",
                () -> notifications(batchWithItem(item -> item.put("resourceData", "chats('x')")))));
        cases.add(refused("encryptedContent is a string",
                () -> notifications(batchWithItem(item -> item.put("encryptedContent", "encrypted")))));
        cases.add(refused("encryptedContent without dataSignature",
                () -> notifications(batchWithContent(content -> content.remove("dataSignature")))));
        cases.add(refused("more than 10,000 items",
                () -> notifications("{\"value\":[" + "{},".repeat(10_000) + "{}]}")));
        cases.add(refused("more than 100 validationTokens", () -> {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                tokens.add("t" + i);
            }
            return notifications(GraphNotifications.batch(List.of(encryptedItem("1")), tokens));
        }));

        // --- size and media type
        cases.add(named("oversize body with Content-Length (413 before the body is read)",
                new Case(() -> notifications(oversizeBatch()), 413, TOO_LARGE, null)));
        cases.add(named("oversize body, chunked without Content-Length (413 from the body limit)",
                new Case(() -> notifications(oversizeBatch()).chunked(), 413, TOO_LARGE, null)));
        cases.add(named("Expect: 100-continue with an oversize Content-Length",
                new Case(() -> Request.post(NOTIFICATIONS, JSON, new byte[0])
                        .header("Content-Length", String.valueOf(MAX_BODY + 1)).header("Expect", "100-continue"),
                        413, TOO_LARGE, null)));
        cases.add(named("wrong content type text/plain", unsupported("text/plain")));
        cases.add(named("no content type", unsupported(null)));
        cases.add(named("wrong content type application/xml", unsupported("application/xml")));
        cases.add(named("wrong content type application/x-www-form-urlencoded",
                unsupported("application/x-www-form-urlencoded")));
        cases.add(named("wrong content type multipart/form-data",
                unsupported("multipart/form-data; boundary=xyz")));
        cases.add(named("content type that only starts like JSON (application/jsonp)", unsupported("application/jsonp")));

        // --- method and path: Vert.x answers, nothing of graph-teams runs
        cases.add(named("GET instead of POST", new Case(() -> Request.of("GET", NOTIFICATIONS), 405, null, null)));
        cases.add(named("GET handshake (validationToken on a GET is not echoed)",
                new Case(() -> Request.of("GET", NOTIFICATIONS + "?validationToken=abc"), 405, null,
                        (response, request) -> assertThat(response.bodyText()).doesNotContain("abc"))));
        cases.add(named("PUT instead of POST",
                new Case(() -> new Request("PUT", NOTIFICATIONS, java.util.Map.of("Content-Type", JSON),
                        batch(List.of(encryptedItem("1")), validToken()), false, true), 405, null, null)));
        cases.add(named("DELETE instead of POST", new Case(() -> Request.of("DELETE", NOTIFICATIONS), 405, null, null)));
        cases.add(named("POST to a path nobody serves",
                new Case(() -> notifications(batch(List.of(encryptedItem("1")), validToken()))
                        .withTarget("/graph/notifications-other"), 404, null, null)));

        // --- validation tokens: 401 for the whole batch
        cases.add(unauthorized("validationTokens missing with encrypted content", TOKENS_MISSING,
                () -> batch(List.of(encryptedItem("1")))));
        cases.add(unauthorized("validationTokens empty array", TOKENS_MISSING,
                () -> utf8("{\"value\":[" + encryptedItem("1") + "],\"validationTokens\":[]}")));
        cases.add(unauthorized("validationTokens null", TOKENS_MISSING,
                () -> utf8("{\"value\":[" + encryptedItem("1") + "],\"validationTokens\":null}")));
        cases.add(unauthorized("unencrypted change item without a token on a resource-data endpoint", TOKENS_MISSING,
                () -> batch(List.of(GraphNotifications.chatItem(SUBSCRIPTION, TENANT_ID, CLIENT_STATE, CHAT, "1")))));
        cases.add(invalidToken("forged token (signed by another key under the real kid)",
                () -> v1().signedWith(TestTokenIssuer.newSigningKey()).keyId(issuer.keyId()).sign()));
        cases.add(invalidToken("token signed by an unknown key (unknown kid)",
                () -> v1().signedWith(TestTokenIssuer.newSigningKey()).sign()));
        cases.add(invalidToken("token carrying its own key in the header (jwk)", () -> {
            com.nimbusds.jose.jwk.RSAKey attacker = TestTokenIssuer.newSigningKey();
            return v1().signedWith(attacker).embeddedJwk(attacker).sign();
        }));
        cases.add(invalidToken("token with its payload altered after signing", () -> {
            String[] genuine = validToken().split("\\.");
            String otherPayload = v1().claim("tid", OTHER_TENANT).sign().split("\\.")[1];
            return genuine[0] + "." + otherPayload + "." + genuine[2];
        }));
        cases.add(invalidToken("token with its signature removed", () -> {
            String[] genuine = validToken().split("\\.");
            return genuine[0] + "." + genuine[1] + ".";
        }));
        cases.add(invalidToken("expired token",
                () -> v1().validFrom(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign()));
        cases.add(invalidToken("not-yet-valid token", () -> v1().notBefore(Instant.now().plusSeconds(3600)).sign()));
        cases.add(invalidToken("wrong audience",
                () -> issuer.v1Token("00000000-0000-0000-0000-000000000001", TENANT_ID).sign()));
        cases.add(invalidToken("wrong caller (appid not Graph's)",
                () -> v1().claim("appid", "11111111-2222-3333-4444-555555555555").sign()));
        cases.add(invalidToken("wrong caller (v2 azp not Graph's)",
                () -> issuer.v2Token(EmulatedGraph.APP, TENANT_ID).claim("azp", "11111111-2222-3333-4444-555555555555")
                        .sign()));
        cases.add(invalidToken("v1 token without appid", () -> v1().without("appid").sign()));
        cases.add(invalidToken("wrong issuer",
                () -> v1().claim("iss", "https://sts.example.com/" + TENANT_ID + "/").sign()));
        cases.add(invalidToken("issuer of another tenant than tid",
                () -> v1().claim("iss", "https://sts.windows.net/" + OTHER_TENANT + "/").sign()));
        cases.add(named("tenant outside allowedTenantIds (token and item of another tenant)",
                new Case(() -> notifications(batch(List.of(encryptedItem("1", OTHER_TENANT, CLIENT_STATE)),
                        issuer.v1Token(EmulatedGraph.APP, OTHER_TENANT).sign())), 401, TOKEN_INVALID, null)));
        cases.add(named("item of a tenant no token vouches for",
                new Case(() -> notifications(batch(List.of(encryptedItem("1", OTHER_TENANT, CLIENT_STATE)), validToken())),
                        401, TOKEN_INVALID, null)));
        cases.add(invalidToken("alg none", () -> v1().unsigned()));
        cases.add(invalidToken("HS256 with a random secret",
                () -> v1().hs256("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII))));
        cases.add(invalidToken("HS256 keyed with the RSA public key (key confusion)",
                () -> v1().hs256(publicKeyBytes())));
        cases.add(invalidToken("RS384 (only RS256 is accepted)", () -> v1().algorithm(JWSAlgorithm.RS384).sign()));
        cases.add(invalidToken("PS256 (only RS256 is accepted)", () -> v1().algorithm(JWSAlgorithm.PS256).sign()));
        cases.add(invalidToken("encrypted token (JWE)", () -> v1().encrypted()));
        cases.add(invalidToken("token that is not a JWT", () -> "not.a.jwt"));
        cases.add(invalidToken("token longer than 16 KiB", () -> "e".repeat(17 * 1024)));
        cases.add(named("one forged token among valid ones",
                new Case(() -> notifications(batch(List.of(encryptedItem("1")), validToken(),
                        v1().signedWith(TestTokenIssuer.newSigningKey()).keyId(issuer.keyId()).sign())),
                        401, TOKEN_INVALID, null)));
        cases.add(named("lifecycle event with an invalid token",
                new Case(() -> lifecycle(batch(List.of(GraphNotifications.lifecycleItem(consumer.subscriptionId(),
                        TENANT_ID, CLIENT_STATE, "subscriptionRemoved")), v1().without("appid").sign())),
                        401, TOKEN_INVALID, null)));

        // --- per item: dropped inside an otherwise valid batch (202, nothing routed)
        cases.add(dropped("clientState wrong", batchWithItem(item -> item.put("clientState", "forged-client-state"))));
        cases.add(dropped("clientState missing", batchWithItem(item -> item.remove("clientState"))));
        cases.add(dropped("clientState null", batchWithItem(item -> item.putNull("clientState"))));
        cases.add(dropped("clientState empty", batchWithItem(item -> item.put("clientState", ""))));
        cases.add(dropped("clientState with a trailing space", batchWithItem(item -> item.put("clientState", CLIENT_STATE + " "))));
        cases.add(dropped("clientState in another case", batchWithItem(item -> item.put("clientState",
                CLIENT_STATE.toUpperCase(java.util.Locale.ROOT)))));
        cases.add(dropped("clientState 200 KB long", batchWithItem(item -> item.put("clientState", "x".repeat(200_000)))));
        cases.add(dropped("tampered data (one ciphertext byte flipped)", batchWithContent(content ->
                content.put("data", flipByte(content.get("data").asText(), 20)))));
        cases.add(dropped("tampered dataKey (one byte flipped)", batchWithContent(content ->
                content.put("dataKey", flipByte(content.get("dataKey").asText(), 7)))));
        cases.add(dropped("tampered dataSignature (one byte flipped)", batchWithContent(content ->
                content.put("dataSignature", flipByte(content.get("dataSignature").asText(), 0)))));
        cases.add(dropped("dataSignature of another item", batchWithContent(content ->
                content.put("dataSignature", encryptedItem("other").get("encryptedContent").get("dataSignature").asText()))));
        cases.add(dropped("data not base64", batchWithContent(content -> content.put("data", "%%% not base64 %%%"))));
        cases.add(dropped("dataKey not base64", batchWithContent(content -> content.put("dataKey", "not base64!"))));
        cases.add(dropped("dataSignature 16 bytes instead of 32", batchWithContent(content ->
                content.put("dataSignature", Base64.getEncoder().encodeToString(new byte[16])))));
        cases.add(dropped("data empty", batchWithContent(content -> content.put("data", ""))));
        cases.add(dropped("dataKey wrapped with OAEP SHA-256 instead of SHA-1", () -> batchOf(
                TestEncryption.forCertificate(TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID)
                        .oaepDigest("SHA-256").encrypt(plaintext("1")))));
        cases.add(dropped("content key of 16 bytes instead of 32", () -> batchOf(
                TestEncryption.forCertificate(TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID)
                        .contentKey(new byte[16]).encrypt(plaintext("1")))));
        cases.add(dropped("encrypted for another certificate but labelled with ours", () -> {
            EncryptedContent other = TestEncryption.encrypt(plaintext("1").getBytes(StandardCharsets.UTF_8),
                    TestKeys.cached("not-ours").certificate(), CERTIFICATE_ID);
            return batchOf(new EncryptedContent(other.data(), other.dataKey(), other.dataSignature(), CERTIFICATE_ID,
                    TestEncryption.thumbprint(TestKeys.cached(CERTIFICATE_ID).certificate())));
        }));
        cases.add(dropped("resource outside the endpoint's scope (a channel message on chats/getAllMessages)",
                batchWithItem(item -> item.put("resource", "teams('t1')/channels('19:c@thread.tacv2')/messages('1')"))));
        cases.add(dropped("resource of an unknown kind", batchWithItem(item -> item.put("resource", "users('u1')/messages('1')"))));
        cases.add(dropped("resource empty", batchWithItem(item -> item.put("resource", ""))));
        cases.add(dropped("resource over 2,048 characters",
                batchWithItem(item -> item.put("resource", "chats('" + "c".repeat(3000) + "')/messages('1')"))));

        // --- issue 11, content decides: an envelope (unsigned) that disagrees with its content is dropped
        cases.add(dropped("resource names another message than the content",
                batchWithItem(item -> item.put("resource", "chats('" + CHAT + "')/messages('2')"))));
        cases.add(dropped("resource names another chat than the content",
                batchWithItem(item -> item.put("resource", "chats('19:other-chat@thread.v2')/messages('1')"))));
        cases.add(dropped("changeType deleted for a message the content says is not deleted",
                batchWithItem(item -> item.put("changeType", "deleted"))));
        cases.add(dropped("changeType the subscription does not ask for",
                batchWithItem(item -> item.put("changeType", "edited"))));
        cases.add(dropped("resource data in plain text instead of encryptedContent (injected content)",
                batchWithItem(item -> {
                    item.remove("encryptedContent");
                    item.set("resourceData", GraphNotifications.JSON.createObjectNode()
                            .put("id", "1").put("body", "injected without the certificate"));
                })));

        // --- decryption key: 503 so Graph retries (the key may arrive with a rotation)
        cases.add(named("unknown encryptionCertificateId",
                new Case(() -> notifications(batchWithContentNow(content -> content.put("encryptionCertificateId",
                        "key-nobody-configured"))), 503, UNKNOWN_CERTIFICATE, null)));
        cases.add(named("wrong encryptionCertificateThumbprint",
                new Case(() -> notifications(batchWithContentNow(content -> content.put("encryptionCertificateThumbprint",
                        "0000000000000000000000000000000000000000"))), 503, UNKNOWN_CERTIFICATE, null)));
        cases.add(named("empty encryptionCertificateId",
                new Case(() -> notifications(batchWithContentNow(content -> content.put("encryptionCertificateId", ""))),
                        503, UNKNOWN_CERTIFICATE, null)));

        // --- lifecycle path
        cases.add(lifecycleDropped("lifecycle event with the wrong clientState",
                () -> GraphNotifications.lifecycleItem(consumer.subscriptionId(), TENANT_ID, "forged", "subscriptionRemoved")));
        cases.add(lifecycleDropped("lifecycle event without clientState",
                () -> GraphNotifications.lifecycleItem(consumer.subscriptionId(), TENANT_ID, null, "reauthorizationRequired")));
        cases.add(lifecycleDropped("lifecycle event for an unknown subscription",
                () -> GraphNotifications.lifecycleItem("00000000-dead-beef-0000-000000000000", TENANT_ID, CLIENT_STATE,
                        "subscriptionRemoved")));
        cases.add(lifecycleDropped("lifecycle event of a tenant outside allowedTenantIds",
                () -> GraphNotifications.lifecycleItem(consumer.subscriptionId(), OTHER_TENANT, CLIENT_STATE, "missed")));
        cases.add(lifecycleDropped("unknown lifecycle event name",
                () -> GraphNotifications.lifecycleItem(consumer.subscriptionId(), TENANT_ID, CLIENT_STATE, "pwned")));
        cases.add(named("lifecycle event with line breaks in its values (log injection)",
                new Case(() -> lifecycle(batch(List.of(GraphNotifications.lifecycleItem(
                        "x\r\n2026-01-01 ERROR FORGED LOG LINE", TENANT_ID, CLIENT_STATE, "missed\nFORGED")))),
                        202, DROPPED, (response, request) -> assertThat(logs.events(BadInputTest::carriesForgedLine))
                                .as("log events carrying a forged line").isEmpty())));

        // --- the validation handshake: the token comes back exactly, as text/plain, and is never interpreted
        cases.add(handshake("handshake token with CRLF", "line one\r\nSet-Cookie: injected=1\r\n\r\n<html>"));
        cases.add(handshake("handshake token with HTML and script", "<script>alert('x')</script><img src=x onerror=alert(1)>"));
        cases.add(handshake("handshake token of 3,000 characters", "v".repeat(3000)));
        cases.add(handshake("handshake token with unicode (emoji, RTL, combining)", "ünïcødé ✓ 😀 \u202Eevil\u202C e\u0301"));
        cases.add(handshake("handshake token with a NUL character", "before\u0000after"));
        cases.add(handshake("handshake on the lifecycle path with odd characters", "<b>\r\n%00</b>", LIFECYCLE));
        cases.add(named("handshake token with a batch in the body (the body is ignored)",
                new Case(() -> Request.post(NOTIFICATIONS + "?validationToken=only-echoed", JSON,
                        batch(List.of(encryptedItem("1")), validToken())), 200, "only-echoed", null)));
        cases.add(named("handshake token with an invalid percent escape",
                new Case(() -> Request.post(NOTIFICATIONS + "?validationToken=abc%zz", "text/plain", new byte[0]),
                        400, null, null)));
        cases.add(named("handshake token beyond the 4,096-byte request line",
                new Case(() -> Request.post(NOTIFICATIONS + "?validationToken=" + "v".repeat(5000), "text/plain",
                        new byte[0]), 414, null, null)));

        return cases.stream();
    }

    // ----------------------------------------------------------------------------------------- case builders

    private static Named<Case> named(String name, Case bad) {
        return Named.of(name, bad);
    }

    private static Named<Case> refused(String name, Supplier<Request> request) {
        return named(name, new Case(request, 400, MALFORMED, null));
    }

    private static Case unsupported(String contentType) {
        return new Case(() -> Request.post(NOTIFICATIONS, contentType, batch(List.of(encryptedItem("1")), validToken())),
                415, NOT_JSON, null);
    }

    private static Named<Case> unauthorized(String name, String text, Supplier<byte[]> body) {
        return named(name, new Case(() -> notifications(body.get()), 401, text, null));
    }

    private static Named<Case> invalidToken(String name, Supplier<String> token) {
        return unauthorized(name, TOKEN_INVALID, () -> batch(List.of(encryptedItem("1")), token.get()));
    }

    private static Named<Case> dropped(String name, Supplier<byte[]> body) {
        return named(name, new Case(() -> notifications(body.get()), 202, DROPPED, null));
    }

    private static Named<Case> lifecycleDropped(String name, Supplier<ObjectNode> item) {
        return named(name, new Case(() -> lifecycle(batch(List.of(item.get()))), 202, DROPPED, null));
    }

    private static Named<Case> handshake(String name, String token) {
        return handshake(name, token, NOTIFICATIONS);
    }

    private static Named<Case> handshake(String name, String token, String path) {
        return named(name, new Case(
                () -> Request.post(path + "?validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        .replace("+", "%20"), "text/plain", new byte[0]),
                200, token, (response, request) -> {
                    assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
                    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
                    // nothing of the token leaks into the response head
                    assertThat(response.headers()).doesNotContainKey("set-cookie");
                }));
    }

    /** A log event whose message or a parameter holds a line break followed by the injected text. */
    private static boolean carriesForgedLine(LogCapture.Event event) {
        String forged = "(?s).*[\r\n].*FORGED.*";
        return event.message().matches(forged) || event.parameters().stream().anyMatch(p -> p.matches(forged));
    }

    // ----------------------------------------------------------------------------------------- requests

    private static Request notifications(byte[] body) {
        return Request.post(NOTIFICATIONS, JSON, body);
    }

    private static Request notifications(String body) {
        return notifications(body.getBytes(StandardCharsets.UTF_8));
    }

    private static Request lifecycle(byte[] body) {
        return Request.post(LIFECYCLE, JSON, body);
    }

    private static TestTokenIssuer.Token v1() {
        return issuer.v1Token(EmulatedGraph.APP, TENANT_ID);
    }

    private static String validToken() {
        return v1().sign();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] publicKeyBytes() {
        try {
            return issuer.publicKey().toRSAPublicKey().getEncoded();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String plaintext(String messageId) {
        return GraphNotifications.chatMessage(CHAT, messageId, "bad-input suite message " + messageId);
    }

    private static ObjectNode encryptedItem(String messageId) {
        return encryptedItem(messageId, plaintext(messageId));
    }

    private static ObjectNode encryptedItem(String messageId, String plaintext) {
        return withContent(GraphNotifications.chatItem(SUBSCRIPTION, TENANT_ID, CLIENT_STATE, CHAT, messageId),
                TestEncryption.encrypt(plaintext.getBytes(StandardCharsets.UTF_8),
                        TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID));
    }

    private static ObjectNode encryptedItem(String messageId, String tenantId, String clientState) {
        return withContent(GraphNotifications.chatItem(SUBSCRIPTION, tenantId, clientState, CHAT, messageId),
                TestEncryption.encrypt(plaintext(messageId).getBytes(StandardCharsets.UTF_8),
                        TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID));
    }

    private static ObjectNode withContent(ObjectNode item, EncryptedContent content) {
        return GraphNotifications.withEncryptedContent(item, content);
    }

    private static byte[] batch(List<ObjectNode> items, String... tokens) {
        return GraphNotifications.batch(items, List.of(tokens));
    }

    private static byte[] batchOf(EncryptedContent content) {
        return batch(List.of(withContent(GraphNotifications.chatItem(SUBSCRIPTION, TENANT_ID, CLIENT_STATE, CHAT, "1"),
                content)), validToken());
    }

    /** A valid encrypted item, changed by {@code change}, in a batch with a valid token. */
    private static Supplier<byte[]> batchWithItem(Consumer<ObjectNode> change) {
        return () -> {
            ObjectNode item = encryptedItem("1");
            change.accept(item);
            return batch(List.of(item), validToken());
        };
    }

    private static Request notifications(Supplier<byte[]> body) {
        return notifications(body.get());
    }

    /** As {@link #batchWithItem}, with the change applied to the item's JSON text (for what a tree cannot hold). */
    private static byte[] batchWithItemJson(java.util.function.UnaryOperator<String> change) {
        String item = change.apply(encryptedItem("1").toString());
        return ("{\"value\":[" + item + "],\"validationTokens\":[\"" + validToken() + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Supplier<byte[]> batchWithContent(Consumer<ObjectNode> change) {
        return batchWithItem(item -> change.accept((ObjectNode) item.get("encryptedContent")));
    }

    private static byte[] batchWithContentNow(Consumer<ObjectNode> change) {
        return batchWithContent(change).get();
    }

    /** A syntactically valid batch just over maxBodySize. */
    private static byte[] oversizeBatch() {
        List<ObjectNode> items = new ArrayList<>();
        int size = 0;
        while (size <= MAX_BODY) {
            ObjectNode item = encryptedItem(String.valueOf(items.size()));
            items.add(item);
            size += item.toString().length();
        }
        return batch(items, validToken());
    }

    private static String flipByte(String base64, int index) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[index % bytes.length] ^= 0x01;
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] replace(byte[] body, String target, String replacement) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (!text.contains(target)) {
            throw new IllegalStateException("test set-up: '" + target + "' not in the batch");
        }
        return text.replace(target, replacement).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] a = head.getBytes(StandardCharsets.UTF_8);
        byte[] c = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }
}
