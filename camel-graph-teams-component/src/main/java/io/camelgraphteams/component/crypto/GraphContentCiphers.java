package io.camelgraphteams.component.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.MGF1ParameterSpec;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The JCA primitives of Graph's rich-notification scheme, and the single place that chooses their providers.
 * <p>
 * Instances are not thread-safe; {@link #forCurrentThread()} hands each thread its own set so the hot path does not
 * look up providers per notification.
 */
final class GraphContentCiphers {

    static final String DATA_KEY_TRANSFORMATION = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    // spelled out because providers disagree on the MGF1 digest implied by the transformation name
    static final OAEPParameterSpec DATA_KEY_OAEP = new OAEPParameterSpec(
            "SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    static final String CONTENT_TRANSFORMATION = "AES/CBC/PKCS5Padding";
    static final String SIGNATURE_ALGORITHM = "HmacSHA256";

    private static final ThreadLocal<GraphContentCiphers> PER_THREAD = ThreadLocal.withInitial(GraphContentCiphers::new);

    final Cipher dataKeyCipher;
    final Cipher contentCipher;
    final Mac signatureMac;

    private GraphContentCiphers() {
        try {
            this.dataKeyCipher = newDataKeyCipher();
            this.contentCipher = Cipher.getInstance(CONTENT_TRANSFORMATION);
            this.signatureMac = Mac.getInstance(SIGNATURE_ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM lacks a primitive Graph notifications need (RSA-OAEP, AES-CBC"
                                            + " or HMAC-SHA256): " + e.getMessage(), e);
        }
    }

    static GraphContentCiphers forCurrentThread() {
        return PER_THREAD.get();
    }

    /**
     * The RSA provider choice: the JDK's default selection, which also lets a hardware key pick its own provider on
     * the first init. Swap in a faster provider here (e.g. Amazon Corretto Crypto Provider) and nowhere else.
     */
    private static Cipher newDataKeyCipher() throws GeneralSecurityException {
        return Cipher.getInstance(DATA_KEY_TRANSFORMATION);
    }
}
