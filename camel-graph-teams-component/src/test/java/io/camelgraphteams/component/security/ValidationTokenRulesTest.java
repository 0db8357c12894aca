package io.camelgraphteams.component.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.security.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per rule of graph-protocol.md "validationTokens", on tokens from {@link TestTokenIssuer}. */
class ValidationTokenRulesTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String CLIENT_ID = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
    private static final String TENANT = "2bcd9dfb-6a66-4236-98f9-e8fe4a675323";
    private static final String OTHER_APP = "11111111-2222-3333-4444-555555555555";
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static TestTokenIssuer issuer;
    private static RSAKey strangerKey;
    private static ValidationTokenVerifier verifier;

    @BeforeAll
    static void issuerAndVerifier() {
        issuer = new TestTokenIssuer(Clock.fixed(NOW, ZoneOffset.UTC));
        strangerKey = TestTokenIssuer.newSigningKey();
        verifier = verifierWith(List.of(CLIENT_ID), Set.of());
    }

    private static ValidationTokenVerifier verifierWith(List<String> audiences, Set<String> allowedTenants) {
        return new ValidationTokenVerifier(new ImmutableJWKSet<>(new JWKSet(issuer.publicKey())), audiences, allowedTenants,
                ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES, Clock.fixed(NOW, ZoneOffset.UTC), SKEW);
    }

    private static TestTokenIssuer.Token v1() {
        return issuer.v1Token(CLIENT_ID, TENANT);
    }

    private static TestTokenIssuer.Token v2() {
        return issuer.v2Token(CLIENT_ID, TENANT);
    }

    // ---- rule 4: the caller is the Graph change-tracking app (appid on v1, azp on v2)

    @Test
    void v1TokenWithAppidOfGraphVerifies() throws Exception {
        VerifiedValidationToken verified = verifier.verify(v1().sign());

        assertThat(verified).isEqualTo(new VerifiedValidationToken(TENANT, CLIENT_ID,
                ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID, "1.0", NOW.plus(TestTokenIssuer.DEFAULT_LIFETIME)));
    }

    @Test
    void v2TokenWithAzpOfGraphVerifies() throws Exception {
        VerifiedValidationToken verified = verifier.verify(v2().sign());

        assertThat(verified.tokenVersion()).isEqualTo("2.0");
        assertThat(verified.callerAppId()).isEqualTo(ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID);
        assertThat(verified.tenantId()).isEqualTo(TENANT);
    }

    @Test
    void v2TokenIgnoresAppid() throws Exception {
        assertThat(verifier.verify(v2().claim("appid", OTHER_APP).sign()).callerAppId())
                .isEqualTo(ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID);
    }

    @Test
    void v1TokenWithoutAppidIsRefused() {
        assertThat(assertRefused(verifier, v1().without("appid").sign()))
                .hasMessage("v1.0 validation token has no appid claim naming the calling app");
    }

    @Test
    void v1TokenNamingGraphOnlyInAzpIsRefused() {
        String token = v1().without("appid").claim("azp", ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID).sign();

        assertThat(assertRefused(verifier, token)).hasMessageContaining("no appid claim");
    }

    @Test
    void v2TokenWithoutAzpIsRefused() {
        assertThat(assertRefused(verifier, v2().without("azp").sign()))
                .hasMessage("v2.0 validation token has no azp claim naming the calling app");
    }

    @Test
    void v2TokenNamingGraphOnlyInAppidIsRefused() {
        String token = v2().without("azp").claim("appid", ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID).sign();

        assertThat(assertRefused(verifier, token)).hasMessageContaining("no azp claim");
    }

    @Test
    void v1TokenFromAnotherAppIsRefused() {
        assertThat(assertRefused(verifier, v1().claim("appid", OTHER_APP).sign()))
                .hasMessage("caller (appid) '" + OTHER_APP + "' is not the Microsoft Graph change-tracking app "
                        + ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID);
    }

    @Test
    void v2TokenFromAnotherAppIsRefusedEvenWithGraphAppid() {
        String token = v2().claim("azp", OTHER_APP).claim("appid", ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID).sign();

        assertThat(assertRefused(verifier, token)).hasMessageContaining("caller (azp) '" + OTHER_APP + "'");
    }

    @Test
    void tokenWithoutVerIsTreatedAsV1() throws Exception {
        assertThat(verifier.verify(v1().without("ver").sign()).tokenVersion()).isEqualTo("1.0");

        String azpOnly = v1().without("ver").without("appid").claim("azp", ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID).sign();
        assertThat(assertRefused(verifier, azpOnly)).hasMessageContaining("no appid claim");
    }

    @Test
    void unknownTokenVersionIsRefused() {
        assertThat(assertRefused(verifier, v2().claim("ver", "3.0").sign()))
                .hasMessage("validation token version (ver) '3.0' is neither 1.0 nor 2.0");
    }

    // ---- rule 5: the issuer is Microsoft for the token's own tenant

    @Test
    void issuerOfAnotherFormIsRefused() {
        String token = v1().claim("iss", "https://login.example.com/" + TENANT + "/").sign();

        assertThat(assertRefused(verifier, token)).hasMessageStartingWith(
                "issuer (iss) 'https://login.example.com/" + TENANT + "/' is not one of [https://sts.windows.net/" + TENANT + "/");
    }

    @Test
    void issuerOfAnotherTenantThanTidIsRefused() {
        String token = v1().claim("iss", "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/").sign();

        assertThat(assertRefused(verifier, token)).hasMessageContaining("for tid '" + TENANT + "'");
    }

    @Test
    void v2IssuerWithoutTheVersionSuffixIsRefused() {
        String token = v2().claim("iss", "https://login.microsoftonline.com/" + TENANT + "/").sign();

        assertThat(assertRefused(verifier, token)).hasMessageContaining("issuer (iss)");
    }

    @Test
    void tokenWithoutIssuerIsRefused() {
        assertThat(assertRefused(verifier, v1().without("iss").sign())).hasMessage("validation token has no iss claim");
    }

    @Test
    void tokenWithoutTidIsRefused() {
        assertThat(assertRefused(verifier, v1().without("tid").sign())).hasMessage("validation token has no tid claim");
    }

    @Test
    void customIssuerTemplatesReplaceMicrosoftOnes() throws Exception {
        ValidationTokenVerifier emulatorIssuer = new ValidationTokenVerifier(
                new ImmutableJWKSet<>(new JWKSet(issuer.publicKey())), List.of(CLIENT_ID), Set.of(),
                List.of("https://127.0.0.1:8443/{tenantid}/v2.0"), Clock.fixed(NOW, ZoneOffset.UTC), SKEW);

        assertThat(emulatorIssuer.verify(v2().claim("iss", "https://127.0.0.1:8443/" + TENANT + "/v2.0").sign()).tenantId())
                .isEqualTo(TENANT);
        assertRefused(emulatorIssuer, v2().sign());
    }

    // ---- rule 3: aud is our app (client) id

    @Test
    void tokenForAnotherAppIsRefused() {
        assertThat(assertRefused(verifier, issuer.v1Token(OTHER_APP, TENANT).sign()))
                .hasMessage("audience '" + OTHER_APP + "' is not the clientId (expected one of [" + CLIENT_ID + "])");
    }

    @Test
    void anyOfSeveralClientIdsIsAccepted() throws Exception {
        ValidationTokenVerifier twoApps = verifierWith(List.of(OTHER_APP, CLIENT_ID), Set.of());

        assertThat(twoApps.verify(v1().sign()).audience()).isEqualTo(CLIENT_ID);
    }

    @Test
    void tokenWithSeveralAudiencesIsRefused() {
        assertThat(assertRefused(verifier, v1().claim("aud", List.of(CLIENT_ID, OTHER_APP)).sign()))
                .hasMessageContaining("expected exactly one");
    }

    @Test
    void tokenWithoutAudienceIsRefused() {
        assertThat(assertRefused(verifier, v1().without("aud").sign())).hasMessage("validation token has no aud claim");
    }

    // ---- rule 5: tid is in the allowed list

    @Test
    void tenantOutsideAllowedTenantIdsIsRefused() {
        ValidationTokenVerifier onlyOther = verifierWith(List.of(CLIENT_ID), Set.of("72f988bf-86f1-41af-91ab-2d7cd011db47"));

        assertThat(assertRefused(onlyOther, v2().sign())).hasMessageContaining("'" + TENANT + "' is not in allowedTenantIds");
    }

    @Test
    void emptyAllowedTenantIdsAcceptsAnyTenant() throws Exception {
        String someTenant = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

        assertThat(verifier.verify(issuer.v2Token(CLIENT_ID, someTenant).sign()).tenantId()).isEqualTo(someTenant);
    }

    // ---- rule 1: not expired (small skew), on the injected Clock

    @Test
    void expiredTokenIsRefusedAfterTheSkew() {
        Instant exp = NOW.minus(SKEW).minusSeconds(1);

        assertThat(assertRefused(verifier, v1().expiresAt(exp).sign())).hasMessage("validation token expired at " + exp);
    }

    @Test
    void tokenExpiredWithinTheSkewIsAccepted() throws Exception {
        Instant exp = NOW.minus(SKEW).plusSeconds(1);

        assertThat(verifier.verify(v1().expiresAt(exp).sign()).expiresAt()).isEqualTo(exp);
    }

    @Test
    void tokenWithoutExpIsRefused() {
        assertThat(assertRefused(verifier, v1().without("exp").sign())).hasMessage("validation token has no exp claim");
    }

    @Test
    void notYetValidTokenIsRefused() {
        Instant nbf = NOW.plus(SKEW).plusSeconds(1);

        assertThat(assertRefused(verifier, v1().notBefore(nbf).sign()))
                .hasMessage("validation token is not valid before " + nbf);
    }

    @Test
    void notBeforeWithinTheSkewIsAccepted() throws Exception {
        assertThat(verifier.verify(v1().notBefore(NOW.plus(SKEW).minusSeconds(1)).sign()).tenantId()).isEqualTo(TENANT);
    }

    @Test
    void tokenWithoutNbfIsAccepted() throws Exception {
        assertThat(verifier.verify(v1().without("nbf").sign()).tenantId()).isEqualTo(TENANT);
    }

    @Test
    void theInjectedClockGovernsNotTheSystemClock() throws Exception {
        // issued and expired in 2001: only valid if the verifier asks its Clock, not the system time
        Instant then = Instant.parse("2001-01-01T00:00:00Z");
        String token = v1().validFrom(then).sign();
        ValidationTokenVerifier in2001 = new ValidationTokenVerifier(new ImmutableJWKSet<>(new JWKSet(issuer.publicKey())),
                List.of(CLIENT_ID), Set.of(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.fixed(then.plusSeconds(60), ZoneOffset.UTC), Duration.ZERO);

        assertThat(in2001.verify(token).expiresAt()).isEqualTo(then.plus(TestTokenIssuer.DEFAULT_LIFETIME));
        assertRefused(verifier, token);
    }

    // ---- rule 2: an RS256 signature by a key of the identity platform

    @Test
    void unsignedTokenIsRefused() {
        assertThat(assertRefused(verifier, v1().unsigned()))
                .hasMessage("validation token is unsigned (alg none); only RS256 is accepted");
    }

    @Test
    void hs256TokenIsRefused() {
        assertThat(assertRefused(verifier, v1().hs256("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII))))
                .hasMessage("validation token algorithm HS256 is not accepted; only RS256 is");
    }

    @Test
    void hs256KeyedWithTheRsaPublicKeyIsRefused() throws Exception {
        byte[] spkiDer = issuer.publicKey().toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(spkiDer) + "\n-----END PUBLIC KEY-----\n";

        assertThat(assertRefused(verifier, v1().hs256(spkiDer))).hasMessageContaining("HS256 is not accepted");
        assertThat(assertRefused(verifier, v1().hs256(pem.getBytes(StandardCharsets.US_ASCII))))
                .hasMessageContaining("HS256 is not accepted");
    }

    @Test
    void rs384TokenByTheRightKeyIsRefused() {
        assertThat(assertRefused(verifier, v1().algorithm(JWSAlgorithm.RS384).sign()))
                .hasMessage("validation token algorithm RS384 is not accepted; only RS256 is");
    }

    @Test
    void ps256TokenByTheRightKeyIsRefused() {
        assertThat(assertRefused(verifier, v1().algorithm(JWSAlgorithm.PS256).sign()))
                .hasMessageContaining("PS256 is not accepted");
    }

    @Test
    void encryptedTokenIsRefused() {
        assertThat(assertRefused(verifier, v1().encrypted())).hasMessageContaining("encrypted (JWE)");
    }

    @Test
    void tokenSignedByAnotherKeyUnderOurKidIsRefused() {
        String forged = v1().signedWith(strangerKey).keyId(issuer.keyId()).x5t(issuer.keyId()).sign();

        assertThat(assertRefused(verifier, forged))
                .hasMessage("validation token signature does not verify with the signing key kid '" + issuer.keyId() + "'");
    }

    @Test
    void keyEmbeddedInTheHeaderIsNotTrusted() {
        String forged = v1().signedWith(strangerKey).embeddedJwk(strangerKey).sign();

        assertThat(assertRefused(verifier, forged)).hasMessageContaining("no signing key of the identity platform matches kid '"
                + strangerKey.getKeyID() + "'");
    }

    @Test
    void tokenNamingNoKeyIsRefused() {
        assertThat(assertRefused(verifier, v1().withoutKeyId().x5t(null).sign()))
                .hasMessage("validation token header names no signing key (neither kid nor x5t)");
    }

    // ---- rule 2: the key is the one the header names, by kid or x5t

    /** Serves the stranger's key first, so that picking "any RSA key" would not be enough. */
    private static ValidationTokenVerifier twoKeys() {
        return new ValidationTokenVerifier(
                new ImmutableJWKSet<SecurityContext>(new JWKSet(List.of(strangerKey.toPublicJWK(), issuer.publicKey()))),
                List.of(CLIENT_ID), Set.of(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.fixed(NOW, ZoneOffset.UTC), SKEW);
    }

    @Test
    void tokenWithOnlyX5tVerifiesWithTheKeyOfThatThumbprint() throws Exception {
        assertThat(twoKeys().verify(v1().withoutKeyId().sign()).tenantId()).isEqualTo(TENANT);
    }

    @Test
    void x5tIsMatchedAgainstTheCertificateWhenTheKeyHasNoX5tMember() throws Exception {
        RSAKey withoutX5t = new RSAKey.Builder(issuer.publicKey().toRSAPublicKey()).keyID("no-x5t-member")
                .x509CertChain(issuer.publicKey().getX509CertChain()).build();
        ValidationTokenVerifier certOnly = new ValidationTokenVerifier(new ImmutableJWKSet<>(new JWKSet(withoutX5t)),
                List.of(CLIENT_ID), Set.of(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.fixed(NOW, ZoneOffset.UTC), SKEW);

        assertThat(certOnly.verify(v1().withoutKeyId().sign()).tenantId()).isEqualTo(TENANT);
    }

    @Test
    void tokenWithOnlyAnUnknownX5tIsRefused() {
        String token = v1().withoutKeyId().x5t("AAAAAAAAAAAAAAAAAAAAAAAAAAA").sign();

        assertThat(assertRefused(twoKeys(), token)).hasMessageContaining("matches x5t 'AAAAAAAAAAAAAAAAAAAAAAAAAAA'");
    }

    @Test
    void tokenWithOnlyX5tOfAnotherKeyDoesNotVerify() {
        // names the stranger's certificate but is signed by the issuer: the thumbprint must pick the key
        String token = v1().withoutKeyId().x5t(strangerKey.getKeyID()).sign();

        assertThat(assertRefused(twoKeys(), token)).hasMessageContaining("signature does not verify");
    }

    // ---- malformed input

    @Test
    void missingTokenIsRefused() {
        assertThat(assertRefused(verifier, null)).hasMessage("validation token is missing");
        assertThat(assertRefused(verifier, " ")).hasMessage("validation token is missing");
    }

    @Test
    void textThatIsNoJwtIsRefusedWithoutQuotingIt() {
        String garbage = "secret-looking-text-that-is-no-jwt.at-all-but-has-dots.really";

        assertThat(assertRefused(verifier, garbage)).hasMessage("validation token is not a compact-serialized JWT");
    }

    @Test
    void claimsThatAreNoJsonAreRefused() {
        String[] parts = v1().sign().split("\\.");
        String token = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode("not json at all") + "." + parts[2];

        assertRefused(verifier, token);
    }

    @Test
    void oversizedTokenIsRefusedBeforeParsing() {
        String huge = "a".repeat(ValidationTokenVerifier.MAX_TOKEN_LENGTH + 1);

        assertThat(assertRefused(verifier, huge)).hasMessageContaining("characters long");
    }

    // ---- configuration mistakes

    @Test
    void audiencesAreRequired() {
        assertThatThrownBy(() -> verifierWith(List.of(), Set.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audiences");
    }

    @Test
    void negativeSkewIsRejected() {
        assertThatThrownBy(() -> new ValidationTokenVerifier(new ImmutableJWKSet<>(new JWKSet(issuer.publicKey())),
                List.of(CLIENT_ID), Set.of(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
    }

    @Test
    void issuerTemplatesAreRequired() {
        assertThatThrownBy(() -> new ValidationTokenVerifier(new ImmutableJWKSet<>(new JWKSet(issuer.publicKey())),
                List.of(CLIENT_ID), Set.of(), List.of(), Clock.fixed(NOW, ZoneOffset.UTC), SKEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuerTemplates");
    }
}
