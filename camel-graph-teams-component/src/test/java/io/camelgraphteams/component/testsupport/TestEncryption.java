package io.camelgraphteams.component.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.crypto.EncryptedContent;

/**
 * Plays Microsoft Graph's side of rich notifications: encrypts resource JSON into an {@link EncryptedContent}.
 * <p>
 * Written from the protocol description alone, without calling the component's decryptor, so the two implementations
 * meet in the middle: a fresh random 32-byte key per item, AES-256-CBC/PKCS#7 with IV = the key's first 16 bytes,
 * HMAC-SHA256 of the ciphertext bytes keyed with the same key, and RSA-OAEP (SHA-1, MGF1-SHA-1) of the key with the
 * certificate's public key.
 */
public final class TestEncryption {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestEncryption() {
    }

    /** Encrypts the text as UTF-8 for the key's certificate, under the key's certificate id. */
    public static EncryptedContent encrypt(String plaintext, DecryptionKey key) {
        return forCertificate(key.getCertificate(), key.getCertificateId()).encrypt(plaintext);
    }

    /** Encrypts for the certificate, labelled with the given {@code encryptionCertificateId}. */
    public static EncryptedContent encrypt(byte[] plaintext, X509Certificate certificate, String certificateId) {
        return forCertificate(certificate, certificateId).encrypt(plaintext);
    }

    /** An encrypter that can deviate from Graph's scheme in one respect at a time, for negative tests. */
    public static Encrypter forCertificate(X509Certificate certificate, String certificateId) {
        return new Encrypter(certificate, certificateId);
    }

    /** Base64 HMAC-SHA256 of {@code signed}, keyed with {@code contentKey}: a {@code dataSignature}. */
    public static String sign(byte[] contentKey, byte[] signed) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(contentKey, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(hmac.doFinal(signed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-1 of the certificate DER as uppercase hex, computed here rather than by the component. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The item's {@code "encryptedContent"} object as Graph writes it in a notification. */
    public static ObjectNode encryptedContentNode(EncryptedContent content) {
        ObjectNode node = JSON.createObjectNode();
        encryptedContentMap(content).forEach(node::put);
        return node;
    }

    /** The item's {@code "encryptedContent"} object as an ordered map, for tests that build JSON themselves. */
    public static Map<String, String> encryptedContentMap(EncryptedContent content) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("data", content.data());
        fields.put("dataSignature", content.dataSignature());
        fields.put("dataKey", content.dataKey());
        fields.put("encryptionCertificateId", content.encryptionCertificateId());
        fields.put("encryptionCertificateThumbprint", content.encryptionCertificateThumbprint());
        return fields;
    }

    /** Encrypts like Graph unless told otherwise; each setting breaks the scheme in exactly one way. */
    public static final class Encrypter {

        private final X509Certificate certificate;
        private final String certificateId;
        private String oaepDigest = "SHA-1";
        private byte[] contentKey;
        private byte[] iv;

        private Encrypter(X509Certificate certificate, String certificateId) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            this.certificateId = certificateId;
        }

        /** OAEP digest (and MGF1 digest) used to wrap the key; Graph uses SHA-1. */
        public Encrypter oaepDigest(String digest) {
            this.oaepDigest = digest;
            return this;
        }

        /** Uses this key instead of a fresh random one; any length, so wrong lengths can be tested. */
        public Encrypter contentKey(byte[] key) {
            this.contentKey = key.clone();
            return this;
        }

        /** Uses this IV instead of the key's first 16 bytes. */
        public Encrypter iv(byte[] initializationVector) {
            this.iv = initializationVector.clone();
            return this;
        }

        public EncryptedContent encrypt(String plaintext) {
            return encrypt(plaintext.getBytes(StandardCharsets.UTF_8));
        }

        public EncryptedContent encrypt(byte[] plaintext) {
            byte[] key = contentKey != null ? contentKey.clone() : randomKey();
            try {
                byte[] aesKey = Arrays.copyOf(key, 32);
                byte[] initializationVector = iv != null ? iv : Arrays.copyOf(aesKey, 16);
                Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
                aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"),
                        new IvParameterSpec(initializationVector));
                byte[] data = aes.doFinal(plaintext);

                Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
                MGF1ParameterSpec mgf1 = new MGF1ParameterSpec(oaepDigest);
                rsa.init(Cipher.ENCRYPT_MODE, certificate.getPublicKey(),
                        new OAEPParameterSpec(oaepDigest, "MGF1", mgf1, PSource.PSpecified.DEFAULT));
                byte[] dataKey = rsa.doFinal(key);

                Base64.Encoder base64 = Base64.getEncoder();
                return new EncryptedContent(base64.encodeToString(data), base64.encodeToString(dataKey),
                        sign(key, data), certificateId, thumbprint(certificate));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot encrypt the test content", e);
            }
        }

        private static byte[] randomKey() {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return key;
        }
    }
}
