package io.camelgraphteams.component.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns an item's {@code encryptedContent} back into the resource JSON, the way Microsoft Graph documents it: RSA-OAEP
 * (SHA-1) unwraps a 32-byte key, HMAC-SHA256 over the decoded data is verified with it, and only then AES-256-CBC
 * (IV = first 16 key bytes) decrypts the data. The unwrap uses the {@link RsaOaepProvider} given, by default
 * {@link RsaOaepProvider#selected()} (Amazon Corretto Crypto Provider when present).
 * <p>
 * Thread-safe; meant to be shared by all worker threads.
 */
public final class NotificationDecryptor {

    private static final int CONTENT_KEY_BYTES = 32;
    private static final int IV_BYTES = 16;
    private static final int SIGNATURE_BYTES = 32;
    private static final int LONGEST_LOGGED_VALUE = 128;

    private final DecryptionKeyRing keys;
    private final RsaOaepProvider rsaOaep;

    /** Decrypts with the component's provider choice, {@link RsaOaepProvider#selected()}. */
    public NotificationDecryptor(DecryptionKeyRing keys) {
        // a ring without keys never decrypts: no reason to look for (and log) a provider
        this(keys, Objects.requireNonNull(keys, "keys").isEmpty() ? RsaOaepProvider.jdk() : RsaOaepProvider.selected());
    }

    /** Decrypts with the given provider for the dataKey unwrap. */
    public NotificationDecryptor(DecryptionKeyRing keys, RsaOaepProvider rsaOaep) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.rsaOaep = Objects.requireNonNull(rsaOaep, "rsaOaep");
    }

    /** The provider choice for the dataKey unwrap. */
    public RsaOaepProvider getRsaOaepProvider() {
        return rsaOaep;
    }

    /**
     * The key for the item's {@code encryptionCertificateId}; when Graph sent a thumbprint, the key's certificate
     * must have it too.
     */
    public DecryptionKey resolveKey(EncryptedContent content) throws UnknownCertificateException {
        Objects.requireNonNull(content, "content");
        String certificateId = content.encryptionCertificateId();
        String thumbprint = content.encryptionCertificateThumbprint();
        if (certificateId == null || certificateId.isBlank()) {
            throw new UnknownCertificateException(certificateId, thumbprint,
                    "encryptedContent has no encryptionCertificateId, so no decryption key can be chosen");
        }
        Optional<DecryptionKey> key = keys.find(certificateId, thumbprint);
        if (key.isPresent()) {
            return key.get();
        }
        String message = keys.find(certificateId, null).isPresent()
                ? "A key is configured for encryptionCertificateId '" + loggable(certificateId) + "', but not for the"
                  + " certificate with thumbprint " + loggable(thumbprint) + "; add that certificate's key to the key"
                  + " ring"
                : "No decryption key is configured for encryptionCertificateId '" + loggable(certificateId)
                  + "' (thumbprint " + loggable(thumbprint) + "); configured ids are " + keys.certificateIds()
                  + ". Keep a rotated-out key until no subscription uses it";
        throw new UnknownCertificateException(certificateId, thumbprint, message);
    }

    /** Resolves the key by the item's certificate id and thumbprint, then decrypts. */
    public byte[] decrypt(EncryptedContent content) throws NotificationDecryptionException {
        return decrypt(content, resolveKey(content));
    }

    /**
     * Decrypts with the given key.
     *
     * @return the resource JSON as UTF-8 bytes
     */
    public byte[] decrypt(EncryptedContent content, DecryptionKey key)
            throws ContentSignatureException, MalformedContentException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(key, "key");
        // everything cheap is checked before the private-key operation, which dominates the cost
        byte[] data = decodeField(content.data(), "data");
        byte[] wrappedContentKey = decodeField(content.dataKey(), "dataKey");
        byte[] signature = decodeField(content.dataSignature(), "dataSignature");
        if (signature.length != SIGNATURE_BYTES) {
            throw new MalformedContentException("encryptedContent.dataSignature is not a " + SIGNATURE_BYTES
                                                + "-byte HMAC-SHA256");
        }
        GraphContentCiphers ciphers = rsaOaep.ciphersForCurrentThread();
        byte[] contentKey = unwrapContentKey(ciphers, wrappedContentKey, key);
        try {
            verifySignature(ciphers.signatureMac, contentKey, data, signature, key);
            return decryptData(ciphers.contentCipher, contentKey, data, key);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    /** Values from the request body, cut short and stripped of control characters so they cannot forge log lines. */
    private static String loggable(String untrusted) {
        if (untrusted == null) {
            return "none";
        }
        String shortened = untrusted.length() > LONGEST_LOGGED_VALUE
                ? untrusted.substring(0, LONGEST_LOGGED_VALUE) + "..." : untrusted;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }

    private static byte[] decodeField(String base64, String field) throws MalformedContentException {
        if (base64 == null) {
            throw new MalformedContentException("encryptedContent." + field + " is missing");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MalformedContentException("encryptedContent." + field + " is not valid base64");
        }
    }

    private static byte[] unwrapContentKey(GraphContentCiphers ciphers, byte[] wrappedContentKey, DecryptionKey key)
            throws MalformedContentException {
        byte[] contentKey;
        Cipher rsa;
        try {
            rsa = ciphers.dataKeyCipher(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The private key for certificateId '" + key.getCertificateId()
                                            + "' cannot be used for RSA-OAEP decryption by the installed security"
                                            + " providers", e);
        }
        try {
            contentKey = rsa.doFinal(wrappedContentKey);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            // no cause attached: which OAEP check failed is nobody's business
            throw new MalformedContentException("encryptedContent.dataKey does not decrypt with the key for"
                                                + " certificateId '" + key.getCertificateId()
                                                + "' (RSA-OAEP failed): encrypted for another certificate or altered");
        }
        if (contentKey.length != CONTENT_KEY_BYTES) {
            Arrays.fill(contentKey, (byte) 0);
            throw new MalformedContentException("encryptedContent.dataKey does not hold a " + CONTENT_KEY_BYTES
                                                + "-byte AES-256 key (certificateId '" + key.getCertificateId() + "')");
        }
        return contentKey;
    }

    private static void verifySignature(Mac hmac, byte[] contentKey, byte[] data, byte[] signature, DecryptionKey key)
            throws ContentSignatureException {
        try {
            hmac.init(new SecretKeySpec(contentKey, GraphContentCiphers.SIGNATURE_ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 rejected a 32-byte key", e);
        }
        byte[] expected = hmac.doFinal(data);
        if (!MessageDigest.isEqual(expected, signature)) {
            throw new ContentSignatureException("encryptedContent.dataSignature does not match data (certificateId '"
                                                + key.getCertificateId() + "'): the content was altered or signed"
                                                + " with another key, so it was not decrypted");
        }
    }

    private static byte[] decryptData(Cipher aes, byte[] contentKey, byte[] data, DecryptionKey key)
            throws MalformedContentException {
        try {
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(contentKey, "AES"),
                    new IvParameterSpec(contentKey, 0, IV_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is not usable in this JVM", e);
        }
        try {
            return aes.doFinal(data);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new MalformedContentException("encryptedContent.data has an invalid AES-CBC block length or padding"
                                                + " (certificateId '" + key.getCertificateId() + "')");
        }
    }
}
