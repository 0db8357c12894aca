package io.camelgraphteams.emulator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.crypto.Cipher;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.support.GraphClient;
import io.camelgraphteams.emulator.teams.Chat;
import io.camelgraphteams.emulator.teams.User;

/** The demo tenant is what its ids say, its app signs in, and the key and trust stores it writes work. */
class DemoTenantTest {

    @TempDir
    Path dir;

    @Test
    void theIdsNameTheUsersTeamChannelsAndChats() {
        try (DemoTenant tenant = DemoTenant.start()) {
            assertThat(tenant.teams().users()).extracting(User::displayName)
                    .containsExactlyInAnyOrder("Adele Vance", "Megan Bowen", "Alex Wilber", "Diego Siciliani");
            assertThat(tenant.teams().users()).extracting(User::id)
                    .containsExactlyInAnyOrder(DemoTenant.ADELE, DemoTenant.MEGAN, DemoTenant.ALEX, DemoTenant.DIEGO);
            assertThat(tenant.teams().channel(DemoTenant.TEAM, DemoTenant.GENERAL_CHANNEL).displayName())
                    .isEqualTo("General");
            assertThat(tenant.teams().channel(DemoTenant.TEAM, DemoTenant.LAUNCH_CHANNEL).displayName())
                    .isEqualTo("Launch");
            Chat group = tenant.teams().findChat(DemoTenant.GROUP_CHAT).orElseThrow();
            assertThat(group.chatType()).isEqualTo("group");
            assertThat(group.memberIds()).containsExactlyInAnyOrder(DemoTenant.ADELE, DemoTenant.MEGAN, DemoTenant.ALEX);
            Chat oneOnOne = tenant.teams().findChat(DemoTenant.ONE_ON_ONE_CHAT).orElseThrow();
            assertThat(oneOnOne.chatType()).isEqualTo("oneOnOne");
            assertThat(oneOnOne.memberIds()).containsExactlyInAnyOrder(DemoTenant.MEGAN, DemoTenant.DIEGO);
        }
    }

    @Test
    void theDemoAppGetsATokenWithItsSecretOverTheTrustStore() throws Exception {
        String secret = DemoTenant.randomSecret();
        try (DemoTenant tenant = DemoTenant.start(secret, builder -> builder.chaosSeed(7))) {
            assertThat(tenant.clientSecret()).isEqualTo(secret).hasSize(48);
            Path trustStoreFile = tenant.writeTrustStore(dir.resolve("trust.p12"), "changeit");
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(trustStoreFile)) {
                trustStore.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);

            HttpResponse<String> token = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
                    .build().send(HttpRequest.newBuilder(URI.create(tenant.identityBaseUrl() + "/" + tenant.tenantId()
                                    + "/oauth2/v2.0/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                                    + DemoTenant.CLIENT_ID + "&client_secret=" + secret
                                    + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);

            String accessToken = Json.parseOrNull(token.body()).get("access_token").asText();
            GraphClient.Answer chats = new GraphClient(tenant.graphBaseUrl() + "/v1.0", accessToken)
                    .get("/chats/" + DemoTenant.GROUP_CHAT + "/messages");
            assertThat(chats.status()).isEqualTo(200);
            assertThat(new GraphClient(tenant.graphBaseUrl(), null).get("/common/.well-known/openid-configuration")
                    .status()).isEqualTo(200);
            assertThat(tenant.openIdConfigurationUrl()).startsWith(tenant.graphBaseUrl());
        }
    }

    @Test
    void theDecryptionKeyStoreHoldsAKeyThatOpensWhatItsCertificateLocks() throws Exception {
        DecryptionKeyStore written = DemoTenant.writeDecryptionKey(dir.resolve("keys"));
        assertThat(written.file()).isEqualTo(dir.resolve("keys").resolve(DemoTenant.CERTIFICATE_ID + ".p12"));
        assertThat(written.alias()).isEqualTo(DemoTenant.CERTIFICATE_ID);
        assertThat(written.toString()).doesNotContain(written.password());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(written.file())) {
            store.load(in, written.password().toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(written.alias(), written.password().toCharArray());
        X509Certificate certificate = (X509Certificate) store.getCertificate(written.alias());
        assertThat(certificate).isEqualTo(written.certificate());

        // Graph wraps each notification's content key this way
        Cipher wrap = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        wrap.init(Cipher.ENCRYPT_MODE, certificate.getPublicKey());
        byte[] wrapped = wrap.doFinal(new byte[32]);
        Cipher unwrap = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        unwrap.init(Cipher.DECRYPT_MODE, key);
        assertThat(unwrap.doFinal(wrapped)).hasSize(32);
    }
}
