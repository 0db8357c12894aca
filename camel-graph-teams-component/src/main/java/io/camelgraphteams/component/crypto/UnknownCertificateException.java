package io.camelgraphteams.component.crypto;

/**
 * No configured decryption key matches the item's {@code encryptionCertificateId} (and thumbprint, when Graph sent one).
 * <p>
 * Usually a key was removed from the key ring while subscriptions still used it, or the subscription was created with
 * a certificate this consumer was never given.
 */
public final class UnknownCertificateException extends NotificationDecryptionException {

    private static final long serialVersionUID = 1L;

    private final String certificateId;
    private final String thumbprint;

    public UnknownCertificateException(String certificateId, String thumbprint, String message) {
        super(message);
        this.certificateId = certificateId;
        this.thumbprint = thumbprint;
    }

    /** The {@code encryptionCertificateId} Graph sent; may be {@code null} when the item had none. */
    public String getCertificateId() {
        return certificateId;
    }

    /** The {@code encryptionCertificateThumbprint} Graph sent; may be {@code null}. */
    public String getThumbprint() {
        return thumbprint;
    }
}
