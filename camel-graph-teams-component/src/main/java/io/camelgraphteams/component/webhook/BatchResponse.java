package io.camelgraphteams.component.webhook;

import io.camelgraphteams.component.notification.Refusal;

/**
 * The HTTP answer to one POST from Graph: a fixed short status and text, never an echo of the request.
 */
public record BatchResponse(int status, String text) {

    public static final BatchResponse ACCEPTED = new BatchResponse(202, "");
    public static final BatchResponse MALFORMED = new BatchResponse(400, "malformed notification batch");
    public static final BatchResponse MALFORMED_QUERY = new BatchResponse(400, "malformed query string");
    public static final BatchResponse TOKENS_MISSING = new BatchResponse(401, "validationTokens missing");
    public static final BatchResponse TOKEN_INVALID = new BatchResponse(401, "invalid validation token");
    public static final BatchResponse TOO_LARGE = new BatchResponse(413, "notification batch too large");
    public static final BatchResponse UNSUPPORTED_MEDIA_TYPE = new BatchResponse(415, "expected application/json");
    public static final BatchResponse KEYS_UNAVAILABLE = new BatchResponse(503, "token signing keys unavailable, retry later");
    public static final BatchResponse UNKNOWN_CERTIFICATE = new BatchResponse(503, "no decryption key for this certificate yet, retry later");
    public static final BatchResponse NOT_DELIVERED = new BatchResponse(503, "not delivered, retry later");
    public static final BatchResponse OVERLOADED = new BatchResponse(503, "too many notifications in progress, retry later");
    public static final BatchResponse UNAVAILABLE = new BatchResponse(503, "consumer not running, retry later");

    /** A refused batch: 4xx when it can never succeed, 503 when Graph's retry may. */
    public static BatchResponse of(Refusal refusal) {
        return switch (refusal) {
            case MALFORMED -> MALFORMED;
            case TOKENS_MISSING -> TOKENS_MISSING;
            case TOKEN_INVALID -> TOKEN_INVALID;
            case KEYS_UNAVAILABLE -> KEYS_UNAVAILABLE;
            case UNKNOWN_CERTIFICATE -> UNKNOWN_CERTIFICATE;
        };
    }
}
