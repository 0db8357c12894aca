package io.camelgraphteams.component.crypto;

/**
 * The {@code encryptedContent} is structurally unusable: a field is missing or not base64, the data key does not
 * decrypt to a 32-byte key with the selected private key, or the data has invalid AES block length or padding.
 */
public final class MalformedContentException extends NotificationDecryptionException {

    private static final long serialVersionUID = 1L;

    public MalformedContentException(String message) {
        super(message);
    }

    public MalformedContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
