package io.camelgraphteams.component.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** data is AES-256-CBC with PKCS#7 padding and IV = the first 16 bytes of the 32-byte key. */
class ContentCipherTest {

    private static final String PLAINTEXT = "{\"id\":\"1700000000000\",\"body\":{\"contentType\":\"html\","
                                            + "\"content\":\"<p>Grüße, 東京 — ünïcødé</p>\"}}";

    @ParameterizedTest(name = "RSA-{0}")
    @ValueSource(ints = { 2048, 4096 })
    void contentEncryptedLikeGraphRoundTrips(int rsaBits) throws Exception {
        DecryptionKey key = (rsaBits == 2048 ? TestKeys.cached("cipher") : TestKeys.generate(rsaBits))
                .decryptionKey("cert-" + rsaBits);
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));

        EncryptedContent content = TestEncryption.encrypt(PLAINTEXT, key);

        assertThat(new String(decryptor.decrypt(content), StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }

    @Test
    void ivIsTheFirst16BytesOfTheKey() throws Exception {
        DecryptionKey key = TestKeys.cached("cipher").decryptionKey("cert");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        byte[] plaintext = PLAINTEXT.getBytes(StandardCharsets.UTF_8);
        byte[] contentKey = new byte[32];
        Arrays.fill(contentKey, 0, 16, (byte) 0x11);
        Arrays.fill(contentKey, 16, 32, (byte) 0x22);

        EncryptedContent withKeyPrefixIv = TestEncryption.forCertificate(key.getCertificate(), "cert")
                .contentKey(contentKey).iv(Arrays.copyOfRange(contentKey, 0, 16)).encrypt(plaintext);
        EncryptedContent withKeySuffixIv = TestEncryption.forCertificate(key.getCertificate(), "cert")
                .contentKey(contentKey).iv(Arrays.copyOfRange(contentKey, 16, 32)).encrypt(plaintext);

        assertThat(decryptor.decrypt(withKeyPrefixIv)).isEqualTo(plaintext);
        // in CBC a wrong IV garbles only the first block, which pins the IV down exactly
        byte[] decryptedWithWrongIv = decryptor.decrypt(withKeySuffixIv);
        assertThat(Arrays.copyOfRange(decryptedWithWrongIv, 0, 16)).isNotEqualTo(Arrays.copyOfRange(plaintext, 0, 16));
        assertThat(Arrays.copyOfRange(decryptedWithWrongIv, 16, plaintext.length))
                .isEqualTo(Arrays.copyOfRange(plaintext, 16, plaintext.length));
    }

    @Test
    void invalidPaddingIsMalformed() throws Exception {
        DecryptionKey key = TestKeys.cached("cipher").decryptionKey("cert");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        byte[] contentKey = new byte[32];
        Arrays.fill(contentKey, (byte) 0x5A);
        // a last byte of 0 is never valid PKCS#7 padding
        byte[] unpadded = new byte[32];
        Arrays.fill(unpadded, (byte) 'x');
        unpadded[31] = 0;
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"),
                new IvParameterSpec(contentKey, 0, 16));
        byte[] data = aes.doFinal(unpadded);
        EncryptedContent wrapped = TestEncryption.forCertificate(key.getCertificate(), "cert")
                .contentKey(contentKey).encrypt(new byte[0]);
        EncryptedContent badPadding = new EncryptedContent(Base64.getEncoder().encodeToString(data), wrapped.dataKey(),
                TestEncryption.sign(contentKey, data), "cert", key.getThumbprint());

        assertThatThrownBy(() -> decryptor.decrypt(badPadding))
                .isInstanceOf(MalformedContentException.class)
                .hasMessageContaining("padding")
                .hasNoCause();
    }

    @Test
    void emptyResourceRoundTrips() throws Exception {
        DecryptionKey key = TestKeys.cached("cipher").decryptionKey("cert");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));

        assertThat(decryptor.decrypt(TestEncryption.encrypt(new byte[0], key.getCertificate(), "cert"))).isEmpty();
    }
}
