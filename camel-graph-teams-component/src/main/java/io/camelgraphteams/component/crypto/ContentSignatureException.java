package io.camelgraphteams.component.crypto;

/**
 * The HMAC-SHA256 in {@code dataSignature} does not match {@code data}: the content was altered or the key is wrong.
 * The data is never decrypted in that case.
 */
public final class ContentSignatureException extends NotificationDecryptionException {

    private static final long serialVersionUID = 1L;

    public ContentSignatureException(String message) {
        super(message);
    }
}
