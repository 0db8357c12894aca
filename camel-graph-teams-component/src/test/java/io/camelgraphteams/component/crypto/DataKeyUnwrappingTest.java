package io.camelgraphteams.component.crypto;

import java.util.Base64;
import java.util.List;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dataKey is RSA-OAEP with SHA-1 (and MGF1-SHA-1) and must yield exactly a 32-byte key. */
class DataKeyUnwrappingTest {

    private static final String PLAINTEXT = "{\"id\":\"1\",\"body\":{\"content\":\"unwrap\"}}";

    private final DecryptionKey key = TestKeys.cached("data-key").decryptionKey("data-key-cert");
    private final NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));

    @Test
    void dataKeyWrappedWithOaepSha1Decrypts() throws Exception {
        EncryptedContent content = TestEncryption.forCertificate(key.getCertificate(), key.getCertificateId())
                .oaepDigest("SHA-1")
                .encrypt(PLAINTEXT);

        assertThat(decryptor.decrypt(content)).asString().isEqualTo(PLAINTEXT);
    }

    @Test
    void dataKeyWrappedWithOaepSha256IsMalformed() {
        EncryptedContent content = TestEncryption.forCertificate(key.getCertificate(), key.getCertificateId())
                .oaepDigest("SHA-256")
                .encrypt(PLAINTEXT);

        assertThatThrownBy(() -> decryptor.decrypt(content))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("dataKey")
                .hasNoCause();
    }

    @Test
    void dataKeyForAnotherCertificateIsMalformed() {
        DecryptionKey other = TestKeys.cached("data-key-other").decryptionKey(key.getCertificateId());
        EncryptedContent content = TestEncryption.encrypt(PLAINTEXT, other);

        assertThatThrownBy(() -> decryptor.decrypt(content, key))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("dataKey");
    }

    @Test
    void dataKeyHoldingA16ByteKeyIsMalformed() {
        EncryptedContent content = TestEncryption.forCertificate(key.getCertificate(), key.getCertificateId())
                .contentKey(new byte[16])
                .encrypt(PLAINTEXT);

        assertThatThrownBy(() -> decryptor.decrypt(content))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("32-byte");
    }

    @Test
    void dataKeyHoldingA33ByteKeyIsMalformed() {
        EncryptedContent content = TestEncryption.forCertificate(key.getCertificate(), key.getCertificateId())
                .contentKey(new byte[33])
                .encrypt(PLAINTEXT);

        assertThatThrownBy(() -> decryptor.decrypt(content))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("32-byte");
    }

    @Test
    void tamperedDataKeyIsMalformed() {
        EncryptedContent intact = TestEncryption.encrypt(PLAINTEXT, key);
        EncryptedContent tampered = Tampering.withDataKey(intact, Tampering.flipLastByte(intact.dataKey()));

        assertThatThrownBy(() -> decryptor.decrypt(tampered))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("dataKey");
    }

    @Test
    void dataKeyLongerThanTheModulusIsMalformed() {
        EncryptedContent intact = TestEncryption.encrypt(PLAINTEXT, key);
        EncryptedContent tooLong = Tampering.withDataKey(intact, Base64.getEncoder().encodeToString(new byte[512]));

        assertThatThrownBy(() -> decryptor.decrypt(tooLong))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("dataKey");
    }
}
