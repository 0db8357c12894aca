package io.camelgraphteams.component.notification;

/**
 * Why a whole batch was not accepted. Each intake answers in its own terms (HTTP: a status; Event Hubs: skip or retry
 * the event); {@link #retryable()} says whether the same batch may succeed later.
 */
public enum Refusal {

    /** Not JSON, or JSON of the wrong shape. */
    MALFORMED(false),
    /** Encrypted content (or, with resource data, any change) without validation tokens. */
    TOKENS_MISSING(false),
    /** A validation token is forged, expired, for another app or tenant, or no token vouches for an item's tenant. */
    TOKEN_INVALID(false),
    /** The identity platform's signing keys could not be fetched: the tokens cannot be checked yet. */
    KEYS_UNAVAILABLE(true),
    /** An item names a certificate no configured key belongs to (e.g. a rotation under way). */
    UNKNOWN_CERTIFICATE(true);

    private final boolean retryable;

    Refusal(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
