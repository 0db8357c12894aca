package io.camelgraphteams.component.auth;

import java.nio.file.Files;
import java.nio.file.Path;

import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading clientCertificate / clientCertificatePassword / clientPrivateKey, and what a user is told when it fails. */
class ClientCertificateTest {

    private static final String PASSWORD = "Pkcs12~Password.seen-nowhere";

    private static SelfSignedCertificate certificate;
    private static CamelContext camelContext;
    private static Path p12;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        certificate = SelfSignedCertificate.generate("CN=client certificate test", 2048);
        camelContext = new DefaultCamelContext();
        p12 = dir.resolve("client.pfx");
        try (var out = Files.newOutputStream(p12)) {
            certificate.keyStore(PASSWORD.toCharArray()).store(out, PASSWORD.toCharArray());
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        camelContext.close();
    }

    @Test
    void pkcs12WithItsPasswordGivesKeyAndCertificate() {
        ClientCertificate loaded = ClientCertificate.load(camelContext, "file:" + p12, PASSWORD, null);

        assertThat(loaded.certificate()).isEqualTo(certificate.certificate());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(certificate.privateKey().getEncoded());
    }

    @Test
    void wrongPkcs12PasswordNamesClientCertificatePasswordWithoutEchoingIt() {
        String wrong = "not-the~password-0815";

        assertThatThrownBy(() -> ClientCertificate.load(camelContext, "file:" + p12, wrong, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientCertificatePassword does not open clientCertificate 'file:" + p12 + "'")
                .hasMessageNotContaining(wrong)
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void pemCertificateAndKeyInOneInlineValueNeedNoClientPrivateKey() {
        ClientCertificate loaded = ClientCertificate.load(camelContext,
                certificate.certificatePem() + certificate.privateKeyPem(), null, null);

        assertThat(loaded.certificate()).isEqualTo(certificate.certificate());
    }

    @Test
    void pemCertificateWithoutKeyAsksForClientPrivateKey() {
        assertThatThrownBy(() -> ClientCertificate.load(camelContext, certificate.certificatePem(), null, null))
                .hasMessageContaining("clientCertificate (inline PEM) is a PEM certificate without its private key")
                .hasMessageContaining("set clientPrivateKey");
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        SelfSignedCertificate other = SelfSignedCertificate.generate("CN=other", 2048);

        assertThatThrownBy(() -> ClientCertificate.load(camelContext, certificate.certificatePem(), null,
                other.privateKeyPem()))
                .hasMessageContaining("clientPrivateKey does not belong to clientCertificate");
    }

    @Test
    void missingFileNamesTheOptionAndLocation() {
        assertThatThrownBy(() -> ClientCertificate.load(camelContext, "file:" + dir.resolve("absent.p12"), "x", null))
                .hasMessageContaining("clientCertificate 'file:" + dir.resolve("absent.p12") + "' was not found");
    }

    @Test
    void pastedKeyWithoutArmourIsNeverEchoed() {
        String pasted = certificate.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replace("\n", "");

        assertThatThrownBy(() -> ClientCertificate.load(camelContext, certificate.certificatePem(), null, pasted))
                .hasMessageContaining("clientPrivateKey (value not shown")
                .hasMessageNotContaining(pasted.substring(0, 40));
    }

    @Test
    void privateKeyWithPkcs12IsRefused() {
        assertThatThrownBy(() -> ClientCertificate.load(camelContext, "file:" + p12, PASSWORD,
                certificate.privateKeyPem()))
                .hasMessageContaining("a PKCS#12 file carries its own key, so leave clientPrivateKey unset");
    }
}
