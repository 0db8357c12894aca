package io.camelgraphteams.emulator.delivery;

import static io.camelgraphteams.emulator.support.EmulatorFixture.APP;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL;
import static io.camelgraphteams.emulator.support.EmulatorFixture.TEAM;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.NotificationReceiver.Received;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;

/**
 * Rich notifications, checked from the subscriber's side with code written here from Microsoft's documented algorithm
 * (plain JDK crypto, proven first on Microsoft's own test vector) and Nimbus against the emulator's published keys.
 */
class RichNotificationTest {

    private static final String SECOND_APP = "c0c0c0c0-0000-4000-8000-000000000002";
    private static EmulatorFixture f;
    private static SelfSignedCertificate firstKey;
    private static SelfSignedCertificate secondKey;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(EmulatorFixture.fastTimings());
        f.emulator.registerApp(RegisteredApp.withSecret(SECOND_APP, "second"));
        firstKey = SelfSignedCertificate.generate("CN=first subscriber", 2048);
        secondKey = SelfSignedCertificate.generate("CN=second subscriber", 4096);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clean() {
        f.deleteAllSubscriptions();
        f.emulator.validationTokenVersion(ValidationTokenVersion.V1);
    }

    // ---- the subscriber's decryption, from the docs: OAEP-SHA1 unwrap, HMAC-SHA256 check, AES-256-CBC with IV = key[0..16]

    static byte[] decrypt(String data, String dataKey, String dataSignature, PrivateKey privateKey) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, privateKey);
        byte[] key = rsa.doFinal(Base64.getDecoder().decode(dataKey));
        assertThat(key).hasSize(32);
        byte[] encrypted = Base64.getDecoder().decode(data);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        if (!MessageDigest.isEqual(hmac.doFinal(encrypted), Base64.getDecoder().decode(dataSignature))) {
            throw new SecurityException("dataSignature does not match: not decrypting");
        }
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
        return aes.doFinal(encrypted);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RichNotificationTest.class.getResourceAsStream("/vectors/graph-core-richnotif/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    @Test
    void theTestsDecryptorOpensMicrosoftsOwnVector() throws Exception {
        String pem = resource("private-key.pkcs8.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));

        String json = new String(decrypt(resource("data.b64"), resource("dataKey.b64"), resource("dataSignature.b64"), key),
                StandardCharsets.UTF_8);

        assertThat(json).contains("\"etag\":\"1625126194597\"").contains("\"content\":\"Hello World\"")
                .contains("\"contentType\":\"text\"");
    }

    private ObjectNode richSubscription(String path, SelfSignedCertificate certificate, String certificateId) {
        ObjectNode body = f.subscription("/teams/" + TEAM + "/channels/" + CHANNEL + "/messages", "created,updated");
        body.put("notificationUrl", f.receiver.url(path));
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", certificate.base64Der());
        body.put("encryptionCertificateId", certificateId);
        return body;
    }

    private Received awaitPost(String path) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> !f.receiver.notifications(path).isEmpty());
        return f.receiver.notifications(path).get(0);
    }

    @Test
    void encryptedContentDecryptsToTheMessageAsGraphServesIt() throws Exception {
        f.create(richSubscription("/rich", firstKey, "first-key"));
        ChatMessage m = f.emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "Hello World"));

        JsonNode item = awaitPost("/rich").json().get("value").get(0);
        JsonNode content = item.get("encryptedContent");
        assertThat(content.get("encryptionCertificateId").asText()).isEqualTo("first-key");
        assertThat(content.get("encryptionCertificateThumbprint").asText()).isEqualTo(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(firstKey.certificate().getEncoded())));
        assertThat(item.get("resourceData").get("id").asText()).isEqualTo(m.id());

        byte[] plaintext = decrypt(content.get("data").asText(), content.get("dataKey").asText(),
                content.get("dataSignature").asText(), firstKey.privateKey());
        ObjectNode decrypted = (ObjectNode) Json.MAPPER.readTree(plaintext);
        assertThat(decrypted.remove("@odata.context").asText()).endsWith("/v1.0/$metadata#teams('" + TEAM + "')/channels('"
                + CHANNEL + "')/messages/$entity");
        ObjectNode served = (ObjectNode) f.graph.get("/teams/" + TEAM + "/channels/" + CHANNEL + "/messages/" + m.id()).json();
        served.remove("@odata.context");
        assertThat(decrypted).isEqualTo(served);
    }

    @Test
    void everyItemHasItsOwnKey() throws Exception {
        f.create(richSubscription("/keys", firstKey, "first-key"));
        f.emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "one"));
        f.emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "two"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> f.receiver.notifications("/keys").stream()
                .mapToInt(r -> r.json().get("value").size()).sum() == 2);

        Set<String> keys = new HashSet<>();
        for (Received r : f.receiver.notifications("/keys")) {
            for (JsonNode item : r.json().get("value")) {
                Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
                rsa.init(Cipher.DECRYPT_MODE, firstKey.privateKey());
                keys.add(HexFormat.of().formatHex(rsa.doFinal(Base64.getDecoder()
                        .decode(item.get("encryptedContent").get("dataKey").asText()))));
            }
        }
        assertThat(keys).hasSize(2);
    }

    @Test
    void oneValidationTokenPerAppAndTenantVerifiesAgainstThePublishedKeys() throws Exception {
        f.create(richSubscription("/tokens", firstKey, "first-key"));
        f.graph.token(f.emulator.accessToken(SECOND_APP));
        try {
            f.create(richSubscription("/tokens", secondKey, "second-key"));
        } finally {
            f.graph.token(f.emulator.accessToken(APP));
        }
        f.emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "for both apps"));

        JsonNode body = awaitPost("/tokens").json();
        assertThat(body.get("value")).hasSize(2);
        assertThat(body.get("validationTokens")).hasSize(2);
        Set<String> audiences = new HashSet<>();
        for (JsonNode token : body.get("validationTokens")) {
            JWTClaimsSet claims = verifier(Set.of(APP, SECOND_APP)).process(token.asText(), null);
            audiences.add(claims.getAudience().get(0));
            assertThat(claims.getStringClaim("ver")).isEqualTo("1.0");
            assertThat(claims.getIssuer()).isEqualTo("https://sts.windows.net/" + f.emulator.tenantId() + "/");
            assertThat(claims.getStringClaim("appid")).isEqualTo(ValidationTokenIssuer.GRAPH_CHANGE_TRACKING_APP_ID);
            assertThat(claims.getStringClaim("tid")).isEqualTo(f.emulator.tenantId());
        }
        assertThat(audiences).containsExactlyInAnyOrder(APP, SECOND_APP);

        // the second item decrypts with the second app's key only
        for (JsonNode item : body.get("value")) {
            JsonNode c = item.get("encryptedContent");
            PrivateKey key = c.get("encryptionCertificateId").asText().equals("first-key") ? firstKey.privateKey()
                    : secondKey.privateKey();
            assertThat(new String(decrypt(c.get("data").asText(), c.get("dataKey").asText(), c.get("dataSignature").asText(),
                    key), StandardCharsets.UTF_8)).contains("for both apps");
        }
    }

    @Test
    void v2TokensCarryAzpAndTheV2Issuer() throws Exception {
        f.emulator.validationTokenVersion(ValidationTokenVersion.V2);
        f.create(richSubscription("/v2", firstKey, "first-key"));
        f.emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "v2"));

        JsonNode body = awaitPost("/v2").json();
        JWTClaimsSet claims = verifier(Set.of(APP)).process(body.get("validationTokens").get(0).asText(), null);
        assertThat(claims.getStringClaim("ver")).isEqualTo("2.0");
        assertThat(claims.getIssuer()).isEqualTo("https://login.microsoftonline.com/" + f.emulator.tenantId() + "/v2.0");
        assertThat(claims.getStringClaim("azp")).isEqualTo(ValidationTokenIssuer.GRAPH_CHANGE_TRACKING_APP_ID);
        assertThat(claims.getClaim("appid")).isNull();
    }

    @Test
    void theDecryptorRefusesATamperedItem() throws Exception {
        f.create(richSubscription("/tamper", firstKey, "first-key"));
        f.emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "x"));
        JsonNode c = awaitPost("/tamper").json().get("value").get(0).get("encryptedContent");
        byte[] data = Base64.getDecoder().decode(c.get("data").asText());
        data[0] ^= 1;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decrypt(Base64.getEncoder().encodeToString(data),
                c.get("dataKey").asText(), c.get("dataSignature").asText(), firstKey.privateKey()))
                .isInstanceOf(SecurityException.class);
    }

    /** Nimbus, with the keys found the way a subscriber finds Microsoft's: openid-configuration, then jwks_uri. */
    private DefaultJWTProcessor<SecurityContext> verifier(Set<String> audiences) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(f.emulator.sslContext()).build();
        JsonNode config = Json.parseOrNull(http.send(HttpRequest.newBuilder(URI.create(
                f.emulator.commonOpenIdConfigurationUrl())).build(), HttpResponse.BodyHandlers.ofString()).body());
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(2000, 2000, 512 * 1024, true,
                f.emulator.sslSocketFactory());
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(new URL(config.get("jwks_uri").asText()), retriever)
                .build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audiences, new JWTClaimsSet.Builder().build(),
                Set.of("iss", "tid", "exp", "nbf", "iat"), null));
        return processor;
    }
}
