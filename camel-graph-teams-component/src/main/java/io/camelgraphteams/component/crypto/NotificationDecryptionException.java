package io.camelgraphteams.component.crypto;

/**
 * A notification's {@code encryptedContent} could not be turned into the resource JSON.
 * <p>
 * Messages name the failing step and public identifiers only; they never carry key material or plaintext.
 */
public class NotificationDecryptionException extends Exception {

    private static final long serialVersionUID = 1L;

    public NotificationDecryptionException(String message) {
        super(message);
    }

    public NotificationDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
