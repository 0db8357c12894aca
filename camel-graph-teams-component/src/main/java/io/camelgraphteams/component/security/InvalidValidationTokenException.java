package io.camelgraphteams.component.security;

import com.nimbusds.jose.KeySourceException;
import io.camelgraphteams.component.support.LoggedValue;

/**
 * A validationTokens JWT was not accepted. The message is a short reason naming the claim or header at fault (for example
 * "validation token expired at 2019-08-06T06:50:30Z"); it never contains the token itself.
 * <p>
 * {@link #isKeySourceFailure()} tells the two kinds apart: {@code false} means the token is invalid (answer 4xx, the batch
 * is forged or misdirected); {@code true} means the identity platform's signing keys could not be fetched, so nothing
 * was decided about the token (answer 503, so that Graph delivers the batch again later).
 */
public final class InvalidValidationTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    private static final int MAX_REASON_LENGTH = 600;

    private final boolean keySourceFailure;

    public InvalidValidationTokenException(String reason) {
        this(reason, null, false);
    }

    public InvalidValidationTokenException(String reason, Throwable cause) {
        this(reason, cause, false);
    }

    private InvalidValidationTokenException(String reason, Throwable cause, boolean keySourceFailure) {
        // reasons quote the token's header and claims (kid, alg, typ, x5t, tid...) and Nimbus' messages, all chosen
        // by whoever sent the batch: made safe here once, so every log line and error built from them is
        super(LoggedValue.of(reason, MAX_REASON_LENGTH), cause);
        this.keySourceFailure = keySourceFailure;
    }

    /** The signing keys could not be obtained (IdP unreachable, bad answer): the token was neither accepted nor refused. */
    public static InvalidValidationTokenException signingKeysUnavailable(KeySourceException cause) {
        return new InvalidValidationTokenException("signing keys unavailable: " + cause.getMessage(), cause, true);
    }

    /** {@code true} when the keys could not be fetched (a temporary condition: answer 503), {@code false} when the token is bad. */
    public boolean isKeySourceFailure() {
        return keySourceFailure;
    }
}
