package io.camelgraphteams.component.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestKeys.CertifiedKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A decryption key is an RSA private key with its own certificate, and never prints its secret part. */
class DecryptionKeyTest {

    private final CertifiedKey certified = TestKeys.cached("key-1");

    @Test
    void thumbprintIsUppercaseSha1HexOfTheCertificate() {
        DecryptionKey key = certified.decryptionKey("cert");

        assertThat(key.getThumbprint())
                .isEqualTo(TestEncryption.thumbprint(certified.certificate()))
                .matches("[0-9A-F]{40}");
    }

    @Test
    void certificateBase64DecodesToTheCertificate() throws Exception {
        DecryptionKey key = certified.decryptionKey("cert");

        assertThat(Base64.getDecoder().decode(key.getCertificateBase64()))
                .isEqualTo(certified.certificate().getEncoded());
    }

    @Test
    void toStringShowsIdAndThumbprintOnly() {
        DecryptionKey key = certified.decryptionKey("cert");

        assertThat(key.toString())
                .isEqualTo("DecryptionKey[certificateId=cert, thumbprint=" + key.getThumbprint() + "]")
                .doesNotContain(Base64.getEncoder().encodeToString(certified.privateKey().getEncoded()).substring(0, 40));
    }

    @Test
    void privateKeyOfAnotherCertificateIsRejected() {
        CertifiedKey other = TestKeys.cached("key-2");

        assertThatThrownBy(() -> new DecryptionKey("cert", other.privateKey(), certified.certificate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cert'")
                .hasMessageContaining("does not belong to its certificate");
    }

    @Test
    void nonRsaKeyIsRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair ec = generator.generateKeyPair();

        assertThatThrownBy(() -> new DecryptionKey("cert", ec.getPrivate(), certified.certificate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EC")
                .hasMessageContaining("RSA");
    }

    @Test
    void blankCertificateIdIsRejected() {
        assertThatThrownBy(() -> new DecryptionKey(" ", certified.privateKey(), certified.certificate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certificateId");
    }

    @Test
    void missingKeyOrCertificateIsRejected() {
        assertThatThrownBy(() -> new DecryptionKey("cert", null, certified.certificate()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("privateKey");
        assertThatThrownBy(() -> new DecryptionKey("cert", certified.privateKey(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("certificate");
    }
}
