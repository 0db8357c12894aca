package io.camelgraphteams.component.graph;

import java.time.Duration;
import java.util.Optional;

import io.camelgraphteams.component.auth.GraphAuthenticationException;

/**
 * A Graph call that did not succeed: Graph's answer (status, error code and message, request-id), or no answer at all
 * (status 0: network trouble, or no access token). The message says what failed and, where the cause is known, what
 * to do; it never contains a token or a secret.
 */
public class GraphApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final String graphMessage;
    private final String requestId;
    private final String clientRequestId;
    private final String method;
    private final String path;
    private final Duration retryAfter;
    private final int attempts;
    private final boolean authenticationFailure;

    GraphApiException(String message, int status, String errorCode, String graphMessage, String requestId,
                      String clientRequestId, String method, String path, Duration retryAfter, int attempts,
                      boolean authenticationFailure, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.graphMessage = graphMessage;
        this.requestId = requestId;
        this.clientRequestId = clientRequestId;
        this.method = method;
        this.path = path;
        this.retryAfter = retryAfter;
        this.attempts = attempts;
        this.authenticationFailure = authenticationFailure;
    }

    /** The same failure after {@code attempts} tries, with a note on why no further try was made. */
    GraphApiException afterAttempts(int attempts, String note) {
        String message = note == null ? getMessage() : getMessage() + "; " + note;
        GraphApiException e = new GraphApiException(message, status, errorCode, graphMessage, requestId,
                clientRequestId, method, path, retryAfter, attempts, authenticationFailure, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The HTTP status of Graph's answer; 0 when there was none. */
    public int status() {
        return status;
    }

    /** Graph's {@code error.code}, e.g. ResourceNotFound, ValidationError, Forbidden, TooManyRequests. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Graph's {@code error.message} as it sent it. */
    public Optional<String> graphMessage() {
        return Optional.ofNullable(graphMessage);
    }

    /** The request-id Graph gave the failing request: quote it to Microsoft support. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    public Optional<String> clientRequestId() {
        return Optional.ofNullable(clientRequestId);
    }

    public String method() {
        return method;
    }

    /** The path of the failing request (without query), e.g. /v1.0/subscriptions/{id}. */
    public String path() {
        return path;
    }

    /** How long Graph asked to wait (Retry-After), when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** How many times the request was tried. */
    public int attempts() {
        return attempts;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    public boolean isConflict() {
        return status == 409;
    }

    public boolean isForbidden() {
        return status == 403;
    }

    /**
     * Graph's 403 for a protected Teams API the app is not approved for ("Invoked API requires Protected API
     * access"), which a granted permission does not fix.
     */
    public boolean isProtectedApiRefusal() {
        return status == 403 && graphMessage != null && graphMessage.contains("Protected API access");
    }

    public boolean isBadRequest() {
        return status == 400;
    }

    public boolean isUnauthorized() {
        return status == 401;
    }

    public boolean isThrottled() {
        return status == 429;
    }

    /** No access token could be obtained: the cause says why (usually a credential option). */
    public boolean isAuthenticationFailure() {
        return authenticationFailure;
    }

    /**
     * A refusal that retrying cannot fix: a refused credential (wrong or expired secret), a missing permission, a bad
     * request, a failed handshake. A 404 is not one: the caller recreates what is gone.
     */
    public boolean isPermanent() {
        if (authenticationFailure) {
            // no token: status 0, but a refused credential is final
            return !isTransient();
        }
        return status >= 400 && status < 500 && status != 408 && status != 429 && !isNotFound();
    }

    /** Whether trying again later may succeed: throttling, 5xx, no answer. */
    public boolean isTransient() {
        if (authenticationFailure) {
            return getCause() instanceof GraphAuthenticationException a
                    && a.isTransient();
        }
        return status == 0 || status == 429 || status >= 500;
    }
}
