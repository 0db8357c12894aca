package io.camelgraphteams.component.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Real msal4j against the emulator's identity platform. Token requests are counted on the wire by a recording front
 * (the emulator keeps no request log for its token endpoint); certificate tests talk to the emulator directly because
 * the signed assertion's audience is the token endpoint's own URL.
 */
class MsalTokenProviderTest {

    private static final String SECRET_APP = "c1c1c1c1-0000-4000-8000-000000000001";
    private static final String SECRET = "Xy7~s3cret.Value_for-MsalTokenProviderTest";
    private static final String CERTIFICATE_APP = "c1c1c1c1-0000-4000-8000-000000000002";
    private static final String EXPIRED_APP = "c1c1c1c1-0000-4000-8000-000000000003";
    private static final String EXPIRED_SECRET = "expired~Secret.Value_0003";
    private static final String DOMAIN_TENANT = "contoso.example";
    private static final String DOMAIN_TENANT_APP = "c1c1c1c1-0000-4000-8000-000000000004";
    private static final String TOKEN_PATH = "/oauth2/v2.0/token";

    private static SelfSignedCertificate clientCertificate;
    private static GraphEmulator emulator;
    private static RecordingFront identityFront;
    private static CamelContext camelContext;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        clientCertificate = SelfSignedCertificate.generate("CN=camel-graph-teams test client", 2048);
        emulator = GraphEmulator.builder()
                .registerApp(RegisteredApp.withSecret(SECRET_APP, SECRET))
                .registerApp(RegisteredApp.withCertificate(CERTIFICATE_APP, clientCertificate.certificate()))
                .registerApp(RegisteredApp.builder(EXPIRED_APP).secret(EXPIRED_SECRET, Instant.now().minusSeconds(60))
                        .build())
                .addTenant(DOMAIN_TENANT)
                .registerApp(RegisteredApp.builder(DOMAIN_TENANT_APP).tenantId(DOMAIN_TENANT).secret(SECRET).build())
                .start();
        identityFront = RecordingFront.https(emulator.identityBaseUrl(), emulator.sslContext());
        camelContext = new DefaultCamelContext();
    }

    @AfterAll
    static void stop() throws Exception {
        identityFront.close();
        emulator.stop();
        camelContext.close();
    }

    @BeforeEach
    void clearRecording() {
        identityFront.clear();
        identityFront.rewriteLinks(true);
    }

    private static MsalTokenProvider.Builder throughFront(String clientId) {
        return MsalTokenProvider.builder()
                .authorityUrl(identityFront.baseUrl())
                .tenantId(emulator.tenantId())
                .clientId(clientId)
                .sslSocketFactory(identityFront.clientTrust().getSocketFactory());
    }

    private static MsalTokenProvider.Builder direct(String clientId) {
        return MsalTokenProvider.builder()
                .authorityUrl(emulator.identityBaseUrl())
                .tenantId(emulator.tenantId())
                .clientId(clientId)
                .sslSocketFactory(emulator.sslSocketFactory());
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    private static int tokenRequests() {
        return identityFront.requests("POST", TOKEN_PATH).size();
    }

    @Test
    void clientSecretGetsAGraphTokenThroughTheOidcAuthority() throws Exception {
        MsalTokenProvider provider = throughFront(SECRET_APP).clientSecret(SECRET).build();

        JWTClaimsSet claims = claims(provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(claims.getStringClaim("appid")).isEqualTo(SECRET_APP);
        assertThat(claims.getStringClaim("appidacr")).as("1 = authenticated with a secret").isEqualTo("1");
        assertThat(claims.getStringClaim("tid")).isEqualTo(emulator.tenantId());
        assertThat(claims.getAudience()).containsExactly("https://graph.microsoft.com");
        assertThat(provider.authorityInUse()).isEqualTo(identityFront.baseUrl() + "/" + emulator.tenantId() + "/v2.0");
        assertThat(identityFront.requests("GET", "/v2.0/.well-known/openid-configuration")).hasSize(1);
        assertThat(tokenRequests()).isEqualTo(1);
    }

    @Test
    void secondCallIsAnsweredFromMsalCacheWithoutATokenRequest() throws Exception {
        MsalTokenProvider provider = throughFront(SECRET_APP).clientSecret(SECRET).build();

        String first = provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE);
        String second = provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE);

        assertThat(second).isEqualTo(first);
        assertThat(tokenRequests()).as("token endpoint requests on the wire").isEqualTo(1);
        assertThat(provider.tokensFromIdentityPlatform()).isEqualTo(1);
        assertThat(provider.tokensFromCache()).isEqualTo(1);
    }

    @Test
    void anotherScopeIsAnotherTokenRequest() throws Exception {
        MsalTokenProvider provider = throughFront(SECRET_APP).clientSecret(SECRET).build();

        provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE);
        String forEmulatorGraph = provider.accessToken(emulator.graphBaseUrl() + "/.default");

        assertThat(claims(forEmulatorGraph).getAudience()).containsExactly(emulator.graphBaseUrl());
        assertThat(tokenRequests()).isEqualTo(2);
    }

    @Test
    void wrongSecretFailsClearlyAfterExactlyOneTokenRequest() throws Exception {
        String wrongSecret = "Wrong~Secret.Value_seen-nowhere-4711";
        MsalTokenProvider provider = throughFront(SECRET_APP).clientSecret(wrongSecret).build();

        GraphAuthenticationException e = catchThrowableOfType(GraphAuthenticationException.class,
                () -> provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(e.getMessage())
                .startsWith("Microsoft identity platform refused the client credentials for clientId " + SECRET_APP
                            + ": AADSTS7000215")
                .contains("check clientSecret")
                .doesNotContain(wrongSecret);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.error()).contains("invalid_client");
        assertThat(e.aadstsCode()).contains(7000215);
        assertThat(tokenRequests()).as("no retry storm: one request per call").isEqualTo(1);

        catchThrowableOfType(GraphAuthenticationException.class,
                () -> provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));
        assertThat(tokenRequests()).isEqualTo(2);
        assertThat(provider.failures()).isEqualTo(2);
        Path log = Path.of("target", "camel-graph-teams-test.log");
        if (Files.exists(log)) {
            assertThat(Files.readString(log)).doesNotContain(wrongSecret);
        }
    }

    @Test
    void expiredSecretAsksForANewSecret() {
        MsalTokenProvider provider = throughFront(EXPIRED_APP).clientSecret(EXPIRED_SECRET).build();

        GraphAuthenticationException e = catchThrowableOfType(GraphAuthenticationException.class,
                () -> provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(e.getMessage()).contains("AADSTS7000222").contains("create a new client secret")
                .doesNotContain(EXPIRED_SECRET);
        assertThat(tokenRequests()).isEqualTo(1);
    }

    @Test
    void unknownTenantNamesTenantId() {
        MsalTokenProvider provider = throughFront(SECRET_APP).tenantId("99999999-9999-4999-8999-999999999999")
                .clientSecret(SECRET).build();

        GraphAuthenticationException e = catchThrowableOfType(GraphAuthenticationException.class,
                () -> provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(e.getMessage()).contains("AADSTS90002").contains("check tenantId");
        assertThat(e.isTransient()).isFalse();
        assertThat(tokenRequests()).isZero();
    }

    @Test
    void untrustedIdentityCertificateNamesSslContextParameters() {
        MsalTokenProvider provider = MsalTokenProvider.builder().authorityUrl(emulator.identityBaseUrl())
                .tenantId(emulator.tenantId()).clientId(SECRET_APP).clientSecret(SECRET).build();

        GraphAuthenticationException e = catchThrowableOfType(GraphAuthenticationException.class,
                () -> provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(e.getMessage()).contains("TLS").contains("set sslContextParameters").doesNotContain(SECRET);
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void pkcs12ClientCertificateGetsAToken() throws Exception {
        Path p12 = dir.resolve("client.p12");
        try (var out = Files.newOutputStream(p12)) {
            clientCertificate.keyStore("p12-pass".toCharArray()).store(out, "p12-pass".toCharArray());
        }
        ClientCertificate certificate = ClientCertificate.load(camelContext, "file:" + p12, "p12-pass", null);
        MsalTokenProvider provider = direct(CERTIFICATE_APP).clientCertificate(certificate).build();

        JWTClaimsSet claims = claims(provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(claims.getStringClaim("appid")).isEqualTo(CERTIFICATE_APP);
        assertThat(claims.getStringClaim("appidacr")).as("2 = authenticated with a certificate").isEqualTo("2");
        assertThat(provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE)).as("cached").isNotNull();
        assertThat(provider.tokensFromIdentityPlatform()).isEqualTo(1);
    }

    @Test
    void pemCertificateAndKeyGetAToken() throws Exception {
        Path key = dir.resolve("client-key.pem");
        Files.writeString(key, clientCertificate.privateKeyPem());
        ClientCertificate certificate = ClientCertificate.load(camelContext, clientCertificate.certificatePem(), null,
                "file:" + key);
        MsalTokenProvider provider = direct(CERTIFICATE_APP).clientCertificate(certificate).build();

        JWTClaimsSet claims = claims(provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(claims.getStringClaim("appid")).isEqualTo(CERTIFICATE_APP);
        assertThat(claims.getStringClaim("appidacr")).isEqualTo("2");
    }

    @Test
    void certificateNotUploadedToTheAppIsRefusedNamingClientCertificate() {
        SelfSignedCertificate other = SelfSignedCertificate.generate("CN=not uploaded", 2048);
        ClientCertificate certificate = ClientCertificate.load(camelContext,
                other.certificatePem() + other.privateKeyPem(), null, null);
        MsalTokenProvider provider = direct(CERTIFICATE_APP).clientCertificate(certificate).build();

        GraphAuthenticationException e = catchThrowableOfType(GraphAuthenticationException.class,
                () -> provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE));

        assertThat(e.getMessage()).contains("refused the client credentials for clientId " + CERTIFICATE_APP)
                .contains("AADSTS700027").contains("check clientCertificate");
    }

    @Test
    void issuerOtherThanTheAuthorityFallsBackToTheAadAuthorityForm() throws Exception {
        // the front leaves the emulator's own URLs in the OpenID configuration: its issuer is not the front's authority
        identityFront.rewriteLinks(false);
        MsalTokenProvider provider = throughFront(SECRET_APP).clientSecret(SECRET).build();

        String token = provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE);

        assertThat(claims(token).getStringClaim("appid")).isEqualTo(SECRET_APP);
        assertThat(provider.authorityInUse()).isEqualTo(identityFront.baseUrl() + "/" + emulator.tenantId() + "/");
        assertThat(tokenRequests()).as("the token request went to the configured authority").isEqualTo(1);
    }

    @Test
    void tenantGivenByDomainNameUsesTheAadAuthorityForm() throws Exception {
        MsalTokenProvider provider = throughFront(DOMAIN_TENANT_APP).tenantId(DOMAIN_TENANT).clientSecret(SECRET).build();

        String token = provider.accessToken(GraphTokenProvider.DEFAULT_SCOPE);

        assertThat(claims(token).getStringClaim("tid")).isEqualTo(DOMAIN_TENANT);
        assertThat(provider.authorityInUse()).isEqualTo(identityFront.baseUrl() + "/" + DOMAIN_TENANT + "/");
        assertThat(identityFront.requests("GET", "/.well-known/openid-configuration")).as("no OIDC discovery").isEmpty();
        assertThat(tokenRequests()).isEqualTo(1);
    }
}
