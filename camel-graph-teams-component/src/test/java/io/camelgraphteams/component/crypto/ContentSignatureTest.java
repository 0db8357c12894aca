package io.camelgraphteams.component.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dataSignature is HMAC-SHA256 over the decoded data bytes, verified before any decryption of data. */
class ContentSignatureTest {

    private static final String PLAINTEXT = "{\"id\":\"42\",\"body\":{\"content\":\"signed secret text\"}}";

    private final DecryptionKey key = TestKeys.cached("signature").decryptionKey("signature-cert");
    private final NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));

    @Test
    void tamperedDataIsRejectedBySignature() {
        EncryptedContent intact = TestEncryption.encrypt(PLAINTEXT, key);
        EncryptedContent tampered = Tampering.withData(intact, Tampering.flipFirstByte(intact.data()));

        assertThatThrownBy(() -> decryptor.decrypt(tampered)).isInstanceOf(ContentSignatureException.class);
    }

    @Test
    void tamperedSignatureOnIntactDataIsRejected() {
        EncryptedContent intact = TestEncryption.encrypt(PLAINTEXT, key);
        EncryptedContent tampered = Tampering.withDataSignature(intact,
                Tampering.flipLastByte(intact.dataSignature()));

        assertThatThrownBy(() -> decryptor.decrypt(tampered)).isInstanceOf(ContentSignatureException.class);
    }

    @Test
    void dataKeySwappedForAnotherValidKeyIsRejectedBySignature() {
        EncryptedContent intact = TestEncryption.encrypt(PLAINTEXT, key);
        EncryptedContent other = TestEncryption.encrypt(PLAINTEXT, key);
        EncryptedContent swapped = Tampering.withDataKey(intact, other.dataKey());

        assertThatThrownBy(() -> decryptor.decrypt(swapped)).isInstanceOf(ContentSignatureException.class);
    }

    @Test
    void signatureIsVerifiedBeforeDataIsDecrypted() {
        byte[] contentKey = fixedContentKey();
        // 17 bytes: not a whole AES block, so any attempt to decrypt it would fail as malformed
        byte[] undecryptable = new byte[17];
        EncryptedContent base = TestEncryption.forCertificate(key.getCertificate(), key.getCertificateId())
                .contentKey(contentKey)
                .encrypt(PLAINTEXT);
        String undecryptableData = Base64.getEncoder().encodeToString(undecryptable);

        EncryptedContent badSignature = Tampering.withData(base, undecryptableData);
        EncryptedContent goodSignature = Tampering.withDataSignature(badSignature,
                TestEncryption.sign(contentKey, undecryptable));

        assertThatThrownBy(() -> decryptor.decrypt(badSignature)).isInstanceOf(ContentSignatureException.class);
        // the same data, once its signature is right, reaches AES and only then fails
        assertThatThrownBy(() -> decryptor.decrypt(goodSignature)).isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("data");
    }

    @Test
    void signatureCoversTheDecodedDataBytesNotTheBase64Text() throws Exception {
        byte[] contentKey = fixedContentKey();
        EncryptedContent content = TestEncryption.forCertificate(key.getCertificate(), key.getCertificateId())
                .contentKey(contentKey)
                .encrypt(PLAINTEXT);
        EncryptedContent signedOverText = Tampering.withDataSignature(content,
                TestEncryption.sign(contentKey, content.data().getBytes(StandardCharsets.US_ASCII)));

        assertThat(decryptor.decrypt(content)).asString().isEqualTo(PLAINTEXT);
        assertThatThrownBy(() -> decryptor.decrypt(signedOverText)).isInstanceOf(ContentSignatureException.class);
    }

    @Test
    void signatureOfWrongLengthIsMalformed() {
        EncryptedContent intact = TestEncryption.encrypt(PLAINTEXT, key);
        byte[] truncated = Arrays.copyOf(Base64.getDecoder().decode(intact.dataSignature()), 20);
        EncryptedContent shortSignature = Tampering.withDataSignature(intact,
                Base64.getEncoder().encodeToString(truncated));

        assertThatThrownBy(() -> decryptor.decrypt(shortSignature)).isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("dataSignature");
    }

    @Test
    void rejectionMessagesCarryNoContentOrKeyMaterial() {
        EncryptedContent intact = TestEncryption.encrypt(PLAINTEXT, key);
        EncryptedContent tampered = Tampering.withDataSignature(intact,
                Tampering.flipLastByte(intact.dataSignature()));

        assertThatThrownBy(() -> decryptor.decrypt(tampered))
                .isInstanceOf(ContentSignatureException.class)
                .hasMessageContaining(key.getCertificateId())
                .hasMessageNotContaining("signed secret text")
                .hasMessageNotContaining(intact.data())
                .hasMessageNotContaining(intact.dataKey())
                .hasMessageNotContaining(intact.dataSignature())
                .hasMessageNotContaining(tampered.dataSignature());
    }

    private static byte[] fixedContentKey() {
        byte[] contentKey = new byte[32];
        for (int i = 0; i < contentKey.length; i++) {
            contentKey[i] = (byte) (i * 7 + 3);
        }
        return contentKey;
    }
}
