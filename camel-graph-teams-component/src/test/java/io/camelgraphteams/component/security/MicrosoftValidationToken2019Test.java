package io.camelgraphteams.component.security;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.camelgraphteams.component.testsupport.OpenIdTestServer;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.security.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real validation token Microsoft Graph sent on 2019-08-05 (vectors/graph-validation-token-2019, see SOURCE.txt),
 * checked against the Azure AD key that signed it, served over real HTTP through the OpenID discovery path.
 */
class MicrosoftValidationToken2019Test {

    private static final String VECTOR = "/vectors/graph-validation-token-2019/";
    private static final String AUDIENCE = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
    private static final String TENANT = "2bcd9dfb-6a66-4236-98f9-e8fe4a675323";
    private static final String AZURE_AD_KID = "u4OfNFPHwEBosHjtrauObV84LnY";
    private static final Instant NOT_BEFORE = Instant.ofEpochSecond(1_565_045_130L); // 2019-08-05T22:45:30Z
    private static final Instant EXPIRES = Instant.ofEpochSecond(1_565_074_230L);    // 2019-08-06T06:50:30Z
    /** Inside the token's lifetime. */
    private static final Instant DURING_LIFETIME = Instant.parse("2019-08-06T00:00:00Z");

    private static final String TOKEN = resourceText("validationToken.jwt").trim();

    private OpenIdTestServer azureAd;
    private OpenIdSigningKeys keys;

    @BeforeEach
    void serveAzureAdKey() throws Exception {
        JWK azureAdKey = JWK.parse(resourceText("aad-signing-key-u4OfNFPHwEBosHjtrauObV84LnY.jwk.json"));
        azureAd = OpenIdTestServer.start(TestTokenIssuer.jwkSetJson(azureAdKey));
        keys = new OpenIdSigningKeys(azureAd.openIdConfigurationUrl(), HttpClient.newHttpClient(), Duration.ofHours(12),
                Duration.ofSeconds(60));
    }

    @AfterEach
    void stopAzureAd() {
        azureAd.close();
    }

    private ValidationTokenVerifier verifier(Instant now, Duration skew, Set<String> allowedTenants) {
        return new ValidationTokenVerifier(keys, List.of(AUDIENCE), allowedTenants,
                ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES, Clock.fixed(now, ZoneOffset.UTC), skew);
    }

    @Test
    void realGraphTokenVerifiesWithAzureAdKeyFetchedViaOpenIdConfiguration() throws Exception {
        VerifiedValidationToken verified = verifier(DURING_LIFETIME, Duration.ofMinutes(5), Set.of(TENANT)).verify(TOKEN);

        assertThat(verified.tenantId()).isEqualTo(TENANT);
        assertThat(verified.audience()).isEqualTo(AUDIENCE);
        assertThat(verified.tokenVersion()).isEqualTo("1.0");
        assertThat(verified.callerAppId()).isEqualTo(ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID);
        assertThat(verified.expiresAt()).isEqualTo(Instant.parse("2019-08-06T06:50:30Z"));
        assertThat(azureAd.configurationRequests()).isEqualTo(1);
        assertThat(azureAd.keysRequests()).isEqualTo(1);
    }

    @Test
    void v1TokenIsAcceptedOnItsAppidClaimAlthoughItHasNoAzp() throws Exception {
        String payload = new String(Base64URL.from(TOKEN.split("\\.")[1]).decode(), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"appid\":").doesNotContain("\"azp\":");

        assertThat(verifier(DURING_LIFETIME, Duration.ZERO, Set.of()).verify(TOKEN).callerAppId())
                .isEqualTo("0bf30f3b-4a52-48df-9a82-234910c4a086");
    }

    @Test
    void expiredTokenIsRefusedOneSecondAfterExp() throws Exception {
        assertThat(verifier(EXPIRES.minusSeconds(1), Duration.ZERO, Set.of()).verify(TOKEN).tenantId()).isEqualTo(TENANT);

        assertThat(assertRefused(verifier(EXPIRES.plusSeconds(1), Duration.ZERO, Set.of()), TOKEN))
                .hasMessage("validation token expired at 2019-08-06T06:50:30Z");
    }

    @Test
    void expiryAllowsTheClockSkewAndNoMore() throws Exception {
        Duration skew = Duration.ofMinutes(5);
        assertThat(verifier(EXPIRES.plus(skew).minusSeconds(1), skew, Set.of()).verify(TOKEN).tenantId()).isEqualTo(TENANT);

        assertThat(assertRefused(verifier(EXPIRES.plus(skew).plusSeconds(1), skew, Set.of()), TOKEN))
                .hasMessageContaining("expired at 2019-08-06T06:50:30Z");
    }

    @Test
    void tokenIsRefusedBeforeItsNotBeforeTime() {
        // e.g. noon on the day it was issued: the token only became valid at 22:45:30Z
        assertThat(assertRefused(verifier(Instant.parse("2019-08-05T12:00:00Z"), Duration.ofMinutes(5), Set.of()), TOKEN))
                .hasMessage("validation token is not valid before " + NOT_BEFORE);
    }

    @Test
    void audienceOtherThanTheClientIdIsRefused() {
        ValidationTokenVerifier otherApp = new ValidationTokenVerifier(keys, List.of("11111111-2222-3333-4444-555555555555"),
                Set.of(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.fixed(DURING_LIFETIME, ZoneOffset.UTC), Duration.ofMinutes(5));

        assertThat(assertRefused(otherApp, TOKEN)).hasMessageContaining("audience '" + AUDIENCE + "' is not the clientId");
    }

    @Test
    void oneChangedByteInThePayloadBreaksTheSignature() {
        String[] parts = TOKEN.split("\\.");
        byte[] payload = Base64URL.from(parts[1]).decode();
        String json = new String(payload, StandardCharsets.UTF_8);
        // the last character of the uti claim's value: still valid JSON and claims, only the signature can notice
        int index = json.indexOf("\"uti\":\"jiROxiKU7EeqbvFpS0hpAA\"") + "\"uti\":\"jiROxiKU7EeqbvFpS0hpAA".length() - 1;
        assertThat(payload[index]).isEqualTo((byte) 'A');
        payload[index] = 'B';
        String tampered = parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];

        assertThat(assertRefused(verifier(DURING_LIFETIME, Duration.ofMinutes(5), Set.of()), tampered))
                .hasMessage("validation token signature does not verify with the signing key kid '" + AZURE_AD_KID + "'");
    }

    @Test
    void oneChangedByteInTheSignatureIsRefused() {
        String[] parts = TOKEN.split("\\.");
        byte[] signature = Base64URL.from(parts[2]).decode();
        signature[100] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature);

        assertThat(assertRefused(verifier(DURING_LIFETIME, Duration.ofMinutes(5), Set.of()), tampered))
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void tenantOutsideAllowedTenantIdsIsRefused() {
        assertThat(assertRefused(verifier(DURING_LIFETIME, Duration.ofMinutes(5),
                Set.of("72f988bf-86f1-41af-91ab-2d7cd011db47")), TOKEN))
                .hasMessage("tenant (tid) '" + TENANT + "' is not in allowedTenantIds");
    }

    @Test
    void allowedTenantIdsAreComparedCaseInsensitively() throws Exception {
        assertThat(verifier(DURING_LIFETIME, Duration.ofMinutes(5), Set.of(TENANT.toUpperCase())).verify(TOKEN).tenantId())
                .isEqualTo(TENANT);
    }

    @Test
    void vectorKeyIsTheCertificateWhoseThumbprintTheTokenNames() throws Exception {
        byte[] der = resourceBytes("aad-signing-cert-u4OfNFPHwEBosHjtrauObV84LnY.der");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
        RSAKey jwk = RSAKey.parse(resourceText("aad-signing-key-u4OfNFPHwEBosHjtrauObV84LnY.jwk.json"));

        assertThat(Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(der)).toString()).isEqualTo(AZURE_AD_KID)
                .isEqualTo(jwk.getKeyID());
        assertThat(jwk.getModulus().decodeToBigInteger())
                .isEqualTo(((RSAPublicKey) certificate.getPublicKey()).getModulus());
        assertThat(jwk.getPublicExponent().decodeToBigInteger()).isEqualTo(BigInteger.valueOf(65537));
    }

    private static String resourceText(String name) {
        return new String(resourceBytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] resourceBytes(String name) {
        try (InputStream in = MicrosoftValidationToken2019Test.class.getResourceAsStream(VECTOR + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + VECTOR + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("could not read test resource " + VECTOR + name, e);
        }
    }
}
