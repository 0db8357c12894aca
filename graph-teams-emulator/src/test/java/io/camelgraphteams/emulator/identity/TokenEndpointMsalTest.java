package io.camelgraphteams.emulator.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.nimbusds.jwt.SignedJWT;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.http.Json;

/** Real msal4j 1.26.1, unmodified, against the emulator's identity platform. */
class TokenEndpointMsalTest {

    private static final Set<String> GRAPH_SCOPE = Set.of("https://graph.microsoft.com/.default");
    private static final String SECRET_APP = "aaaaaaaa-0000-0000-0000-000000000001";
    private static final String CERT_APP = "aaaaaaaa-0000-0000-0000-000000000002";
    private static final String EXPIRED_APP = "aaaaaaaa-0000-0000-0000-000000000003";

    private static SelfSignedCertificate clientCertificate;
    private static GraphEmulator emulator;

    @BeforeAll
    static void start() {
        clientCertificate = SelfSignedCertificate.generate("CN=test-client", 2048);
        emulator = GraphEmulator.builder()
                .registerApp(RegisteredApp.withSecret(SECRET_APP, "s3cret~value"))
                .registerApp(RegisteredApp.withCertificate(CERT_APP, clientCertificate.certificate()))
                .registerApp(RegisteredApp.builder(EXPIRED_APP).secret("old", Instant.now().minusSeconds(60)).build())
                .start();
    }

    @AfterAll
    static void stop() {
        emulator.stop();
    }

    private static ConfidentialClientApplication client(String clientId, IClientCredential credential, boolean oidc)
            throws Exception {
        ConfidentialClientApplication.Builder builder = ConfidentialClientApplication.builder(clientId, credential)
                .sslSocketFactory(emulator.sslSocketFactory());
        if (oidc) {
            builder.oidcAuthority(emulator.oidcAuthority());
        } else {
            builder.authority(emulator.authority()).instanceDiscovery(false);
        }
        return builder.build();
    }

    private static IAuthenticationResult acquire(ConfidentialClientApplication app) throws Exception {
        return app.acquireToken(ClientCredentialParameters.builder(GRAPH_SCOPE).build()).get();
    }

    @Test
    void clientSecretGetsAGraphTokenThroughAuthority() throws Exception {
        IAuthenticationResult result = acquire(client(SECRET_APP, ClientCredentialFactory.createFromSecret("s3cret~value"), false));

        SignedJWT jwt = SignedJWT.parse(result.accessToken());
        assertThat(jwt.getJWTClaimsSet().getStringClaim("appid")).isEqualTo(SECRET_APP);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("tid")).isEqualTo(emulator.tenantId());
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://graph.microsoft.com");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("appidacr")).isEqualTo("1");
        assertThat(result.expiresOnDate()).isAfter(new java.util.Date());
    }

    @Test
    void msalTokenIsAcceptedByGraph() throws Exception {
        IAuthenticationResult result = acquire(client(SECRET_APP, ClientCredentialFactory.createFromSecret("s3cret~value"), true));

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(emulator.graphV1Url() + "/subscriptions")).header("Authorization", "Bearer " + result.accessToken())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.parseOrNull(answer.body()).get("value").isArray()).isTrue();
    }

    @Test
    void discoveryDocumentsAreAlsoServedOverPlainHttpOnTheGraphPort() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(emulator.graphBaseUrl() + "/common/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.parseOrNull(answer.body()).get("jwks_uri").asText())
                .isEqualTo(emulator.graphBaseUrl() + "/common/discovery/keys");
    }

    @Test
    void clientSecretGetsATokenThroughOidcAuthority() throws Exception {
        IAuthenticationResult result = acquire(client(SECRET_APP, ClientCredentialFactory.createFromSecret("s3cret~value"), true));

        assertThat(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("appid")).isEqualTo(SECRET_APP);
    }

    @Test
    void certificateAssertionGetsAToken() throws Exception {
        IClientCredential credential = ClientCredentialFactory.createFromCertificate(clientCertificate.privateKey(),
                clientCertificate.certificate());
        IAuthenticationResult viaAuthority = acquire(client(CERT_APP, credential, false));
        IAuthenticationResult viaOidc = acquire(client(CERT_APP, credential, true));

        assertThat(SignedJWT.parse(viaAuthority.accessToken()).getJWTClaimsSet().getStringClaim("appidacr")).isEqualTo("2");
        assertThat(SignedJWT.parse(viaOidc.accessToken()).getJWTClaimsSet().getStringClaim("appid")).isEqualTo(CERT_APP);
    }

    @Test
    void certificateNotRegisteredForTheAppIsInvalidClient() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.generate("CN=intruder", 2048);
        IClientCredential credential = ClientCredentialFactory.createFromCertificate(other.privateKey(), other.certificate());

        MsalServiceException e = msalFailure(client(CERT_APP, credential, false));
        assertThat(e.errorCode()).isEqualTo("invalid_client");
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.getMessage()).contains("AADSTS700027");
    }

    @Test
    void wrongSecretIsInvalidClient7000215() throws Exception {
        MsalServiceException e = msalFailure(client(SECRET_APP, ClientCredentialFactory.createFromSecret("wrong"), false));

        assertThat(e.errorCode()).isEqualTo("invalid_client");
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.getMessage()).contains("AADSTS7000215");
    }

    @Test
    void expiredSecretIsInvalidClient7000222() throws Exception {
        MsalServiceException e = msalFailure(client(EXPIRED_APP, ClientCredentialFactory.createFromSecret("old"), false));

        assertThat(e.errorCode()).isEqualTo("invalid_client");
        assertThat(e.getMessage()).contains("AADSTS7000222");
    }

    @Test
    void unknownClientIsUnauthorizedClient700016() throws Exception {
        MsalServiceException e = msalFailure(client("bbbbbbbb-0000-0000-0000-000000000009",
                ClientCredentialFactory.createFromSecret("x"), false));

        assertThat(e.errorCode()).isEqualTo("unauthorized_client");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.getMessage()).contains("AADSTS700016");
    }

    private static MsalServiceException msalFailure(ConfidentialClientApplication app) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> acquire(app));
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(MsalServiceException.class);
        return (MsalServiceException) thrown.getCause();
    }

    @Test
    void errorBodyHasTheIdentityPlatformShape() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(emulator.tokenEndpointUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + SECRET_APP
                        + "&client_secret=nope&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = Json.parseOrNull(response.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_client");
        assertThat(body.get("error_description").asText()).startsWith("AADSTS7000215: Invalid client secret provided.");
        assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(7000215);
        assertThat(body.has("timestamp") && body.has("trace_id") && body.has("correlation_id")).isTrue();
    }

    @Test
    void scopeWithoutDotDefaultIsInvalidScope() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(emulator.tokenEndpointUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + SECRET_APP
                        + "&client_secret=s3cret~value&scope=User.Read"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.parseOrNull(response.body()).get("error_codes").get(0).asInt()).isEqualTo(1002012);
    }

    @Test
    void unknownTenantIs90002() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(emulator.identityBaseUrl() + "/no-such-tenant/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + SECRET_APP))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.parseOrNull(response.body()).get("error_codes").get(0).asInt()).isEqualTo(90002);
    }

    @Test
    void openIdConfigurationIssuerEqualsTheOidcAuthorityAndJwksServesTheSigningKey() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        JsonNode config = Json.parseOrNull(http.send(HttpRequest.newBuilder(URI.create(emulator.openIdConfigurationUrl()))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(config.get("issuer").asText()).isEqualTo(emulator.oidcAuthority());
        assertThat(config.get("token_endpoint").asText()).isEqualTo(emulator.tokenEndpointUrl());

        JsonNode common = Json.parseOrNull(http.send(HttpRequest.newBuilder(
                URI.create(emulator.commonOpenIdConfigurationUrl())).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(common.get("jwks_uri").asText()).isEqualTo(emulator.jwksUrl());
        JsonNode jwks = Json.parseOrNull(http.send(HttpRequest.newBuilder(URI.create(emulator.jwksUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        com.nimbusds.jose.jwk.RSAKey key = com.nimbusds.jose.jwk.RSAKey.parse(Json.write(jwks.get("keys").get(0)));
        assertThat(key.toRSAPublicKey()).isEqualTo(emulator.signingCertificate().getPublicKey());
    }

    @Test
    void httpsCertificateNamesLocalhostAndLoopbackAddress() throws Exception {
        assertThat(emulator.tlsCertificate().getSubjectAlternativeNames())
                .extracting(l -> (Object) l.get(1))
                .contains((Object) "localhost", (Object) "127.0.0.1");
        HttpClient http = HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
        String viaName = emulator.identityBaseUrl().replace("127.0.0.1", "localhost") + "/common/discovery/keys";
        assertThat(http.send(HttpRequest.newBuilder(URI.create(viaName)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emulator.jwksUrl()))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
}
