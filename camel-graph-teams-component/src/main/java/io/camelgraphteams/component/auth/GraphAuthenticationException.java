package io.camelgraphteams.component.auth;

import java.util.Optional;

/**
 * No access token could be obtained for Graph. The message names the option to fix; it never contains a secret.
 */
public class GraphAuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String clientId;
    private final String error;
    private final Integer aadstsCode;
    private final int statusCode;
    private final boolean transientFailure;

    public GraphAuthenticationException(String message, String clientId, String error, Integer aadstsCode,
                                        int statusCode, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.clientId = clientId;
        this.error = error;
        this.aadstsCode = aadstsCode;
        this.statusCode = statusCode;
        this.transientFailure = transientFailure;
    }

    public String clientId() {
        return clientId;
    }

    /** The OAuth2 error code, e.g. {@code invalid_client}, when the identity platform answered one. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** The AADSTS number of the identity platform's answer, e.g. 7000215 for a wrong client secret. */
    public Optional<Integer> aadstsCode() {
        return Optional.ofNullable(aadstsCode);
    }

    /** The HTTP status of the identity platform's answer; 0 when there was none (network, TLS, configuration). */
    public int statusCode() {
        return statusCode;
    }

    /**
     * Whether asking again later may succeed (network trouble, 5xx, 429). A refused credential is not transient:
     * repeating the request only adds load and lockout risk.
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
