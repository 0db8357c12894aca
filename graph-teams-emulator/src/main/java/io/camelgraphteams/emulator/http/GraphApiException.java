package io.camelgraphteams.emulator.http;

import java.util.Map;

/** A Graph API error answer: HTTP status plus the {@code error.code} and {@code error.message} of Graph's envelope. */
public class GraphApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public GraphApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public GraphApiException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static GraphApiException badRequest(String code, String message) {
        return new GraphApiException(400, code, message);
    }

    public static GraphApiException notFound(String message) {
        return new GraphApiException(404, "NotFound", message);
    }
}
