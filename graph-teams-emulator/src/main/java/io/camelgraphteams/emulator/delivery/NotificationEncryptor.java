package io.camelgraphteams.emulator.delivery;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;

/**
 * Makes Graph's encryptedContent for one notification item: a fresh 32-byte key; data = AES-256-CBC/PKCS7 of the
 * resource JSON with IV = the key's first 16 bytes; dataSignature = HMAC-SHA256 (keyed with the same key) over the
 * encrypted bytes; dataKey = the key wrapped with RSA-OAEP (SHA-1, MGF1-SHA-1) under the subscription's certificate.
 */
public final class NotificationEncryptor {

    private final SecureRandom random = new SecureRandom();

    public ObjectNode encrypt(byte[] plaintext, X509Certificate certificate, String certificateId) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
            byte[] data = aes.doFinal(plaintext);

            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = hmac.doFinal(data);

            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, certificate.getPublicKey());
            byte[] dataKey = rsa.doFinal(key);

            Base64.Encoder b64 = Base64.getEncoder();
            ObjectNode content = Json.object();
            content.put("data", b64.encodeToString(data));
            content.put("dataSignature", b64.encodeToString(signature));
            content.put("dataKey", b64.encodeToString(dataKey));
            content.put("encryptionCertificateId", certificateId);
            content.put("encryptionCertificateThumbprint", SelfSignedCertificate.thumbprintHex(certificate));
            return content;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt a notification with certificate " + certificateId, e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
