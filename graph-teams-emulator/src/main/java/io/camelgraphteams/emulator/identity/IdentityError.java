package io.camelgraphteams.emulator.identity;

/**
 * An identity platform error: OAuth2 {@code error}, the AADSTS number and its description, and the HTTP status
 * (401 for invalid_client, 400 otherwise), as login.microsoftonline.com answers.
 */
public final class IdentityError extends RuntimeException {

    private final int status;
    private final String error;
    private final int aadstsCode;

    public IdentityError(int status, String error, int aadstsCode, String description) {
        super("AADSTS" + aadstsCode + ": " + description);
        this.status = status;
        this.error = error;
        this.aadstsCode = aadstsCode;
    }

    public static IdentityError invalidClient(int aadstsCode, String description) {
        return new IdentityError(401, "invalid_client", aadstsCode, description);
    }

    public static IdentityError badRequest(String error, int aadstsCode, String description) {
        return new IdentityError(400, error, aadstsCode, description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public int aadstsCode() {
        return aadstsCode;
    }
}
