package io.camelgraphteams.component.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.spec.MGF1ParameterSpec;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The JCA primitives of Graph's rich-notification scheme for one thread: the RSA-OAEP cipher of the
 * {@link RsaOaepProvider} that owns this set, and the JDK's AES-CBC cipher and HMAC-SHA256.
 * <p>
 * Not thread-safe; {@link RsaOaepProvider} hands each thread its own set so the hot path does not look up providers
 * per notification.
 */
final class GraphContentCiphers {

    static final String DATA_KEY_TRANSFORMATION = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    // spelled out because providers disagree on the MGF1 digest implied by the transformation name
    static final OAEPParameterSpec DATA_KEY_OAEP = new OAEPParameterSpec(
            "SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    static final String CONTENT_TRANSFORMATION = "AES/CBC/PKCS5Padding";
    static final String SIGNATURE_ALGORITHM = "HmacSHA256";

    private final RsaOaepProvider owner;
    /** The owner's RSA cipher; the JDK's selection when the owner names no provider. */
    private final Cipher dataKeyCipher;
    /** The JDK's RSA cipher for keys the preferred provider refuses (created on the first refusal). */
    private Cipher jdkDataKeyCipher;
    /** The provider that unwrapped this thread's last dataKey (for tests and diagnostics). */
    private Provider lastUnwrapProvider;
    final Cipher contentCipher;
    final Mac signatureMac;

    GraphContentCiphers(RsaOaepProvider owner) {
        this.owner = owner;
        try {
            Provider rsaProvider = owner.provider().orElse(null);
            this.dataKeyCipher = rsaProvider == null
                    ? Cipher.getInstance(DATA_KEY_TRANSFORMATION)
                    : Cipher.getInstance(DATA_KEY_TRANSFORMATION, rsaProvider);
            this.contentCipher = Cipher.getInstance(CONTENT_TRANSFORMATION);
            this.signatureMac = Mac.getInstance(SIGNATURE_ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks a primitive Graph notifications need (RSA-OAEP, AES-CBC"
                                            + " or HMAC-SHA256): " + e.getMessage(), e);
        }
    }

    /**
     * The RSA-OAEP cipher initialised to decrypt with {@code key}: the preferred provider's, or the JDK's selection
     * when the preferred provider refuses the key (e.g. a key that hides its encoding, as hardware keys do).
     *
     * @throws GeneralSecurityException when no provider accepts the key
     */
    Cipher dataKeyCipher(DecryptionKey key) throws GeneralSecurityException {
        try {
            dataKeyCipher.init(Cipher.DECRYPT_MODE, key.getPrivateKey(), DATA_KEY_OAEP);
            lastUnwrapProvider = dataKeyCipher.getProvider();
            return dataKeyCipher;
        } catch (GeneralSecurityException e) {
            if (!owner.isAmazonCorretto()) {
                throw e;
            }
            if (jdkDataKeyCipher == null) {
                jdkDataKeyCipher = Cipher.getInstance(DATA_KEY_TRANSFORMATION);
            }
            jdkDataKeyCipher.init(Cipher.DECRYPT_MODE, key.getPrivateKey(), DATA_KEY_OAEP);
            owner.keyRefused(key, e);
            lastUnwrapProvider = jdkDataKeyCipher.getProvider();
            return jdkDataKeyCipher;
        }
    }

    Provider lastUnwrapProvider() {
        return lastUnwrapProvider;
    }
}
