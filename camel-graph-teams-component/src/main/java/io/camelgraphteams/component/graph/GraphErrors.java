package io.camelgraphteams.component.graph;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.resource.GraphResource;

/**
 * Graph's error answers as {@link GraphApiException}s: Graph's code, message and request-id, and a hint that names
 * what to fix (the permission a resource needs, the token's audience, a create that may have arrived).
 */
final class GraphErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MESSAGE_ITEM = Pattern.compile("(.*/messages)/[^/]+(/replies/[^/]+)?");
    private static final int LONGEST_ERROR_BODY_QUOTED = 300;

    private GraphErrors() {
    }

    static GraphApiException fromAnswer(HttpResponse<String> response, String what, String resource, String scope,
                                         String clientRequestId, String method, String path, Duration retryAfter,
                                         int attempt, boolean earlierAttemptMayHaveArrived) {
        int status = response.statusCode();
        String code = null;
        String graphMessage = null;
        String requestId = response.headers().firstValue("request-id").orElse(null);
        JsonNode error = null;
        try {
            String text = response.body();
            error = text == null || text.isBlank() ? null : JSON.readTree(text).get("error");
        } catch (JsonProcessingException e) {
            // not Graph's envelope (a proxy's page): quoted below
        }
        if (error != null && error.isObject()) {
            code = textOrNull(error.get("code"));
            graphMessage = textOrNull(error.get("message"));
            JsonNode inner = error.has("innerError") ? error.get("innerError") : error.get("innererror");
            if (requestId == null && inner != null) {
                requestId = textOrNull(inner.get("request-id"));
            }
        }
        StringBuilder message = new StringBuilder("Graph answered ").append(status);
        if (code != null) {
            message.append(' ').append(code);
        }
        message.append(" to ").append(what);
        if (graphMessage != null) {
            message.append(": ").append(graphMessage);
        } else if (response.body() != null && !response.body().isBlank()) {
            message.append(": ").append(quote(response.body()));
        }
        String hint = hint(status, graphMessage, resource, scope, earlierAttemptMayHaveArrived);
        if (hint != null) {
            message.append(". ").append(hint);
        }
        if (requestId != null) {
            message.append(" (request-id ").append(requestId).append(')');
        }
        return new GraphApiException(message.toString(), status, code, graphMessage, requestId, clientRequestId, method,
                path, retryAfter, attempt, false, null);
    }

    private static String hint(int status, String graphMessage, String resource, String scope,
                               boolean earlierAttemptMayHaveArrived) {
        switch (status) {
            case 401:
                return "The access token was refused: check that the app's token is for " + scope
                       + " and comes from the tenant Graph serves (tenantId, authorityUrl, tokenProvider)";
            case 403:
                if (graphMessage != null && graphMessage.contains("Protected API access")) {
                    return "Microsoft has not approved this app for the protected Teams APIs (a permission is not what "
                           + "is missing): request access as https://learn.microsoft.com/graph/teams-protected-apis "
                           + "describes, for this app id and tenant; approval takes days";
                }
                String permission = requiredPermission(resource);
                return permission == null
                        ? "The app lacks a permission for this request: grant it the application permission the "
                          + "resource needs, with admin consent"
                        : "The app needs the application permission " + permission + " for "
                          + normalisedResource(resource) + ", granted with admin consent";
            case 409:
                return earlierAttemptMayHaveArrived
                        ? "An earlier attempt of this request may have created it: list the subscriptions and adopt "
                          + "the one that matches"
                        : null;
            default:
                return null;
        }
    }

    /** The application permission a chatMessage resource needs (graph-protocol.md), or null for other paths. */
    static String requiredPermission(String resource) {
        if (resource == null) {
            return null;
        }
        String path = normalisedResource(resource);
        try {
            return GraphResource.parse(path).kind().applicationPermission();
        } catch (IllegalArgumentException notACollection) {
            Matcher item = MESSAGE_ITEM.matcher(path);
            if (item.matches()) {
                try {
                    return GraphResource.parse(item.group(1)).kind().applicationPermission();
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            return null;
        }
    }

    /** Without service root, version, query or leading slash, in slash syntax. */
    private static String normalisedResource(String resource) {
        String path = resource.trim();
        if (path.startsWith("http://") || path.startsWith("https://")) {
            path = URI.create(path).getRawPath();
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        path = GraphPaths.stripVersion(GraphPaths.stripSlashes(GraphPaths.toSlashPath(path)));
        return path;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    static String quote(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= LONGEST_ERROR_BODY_QUOTED ? oneLine
                : oneLine.substring(0, LONGEST_ERROR_BODY_QUOTED) + "...";
    }
}
