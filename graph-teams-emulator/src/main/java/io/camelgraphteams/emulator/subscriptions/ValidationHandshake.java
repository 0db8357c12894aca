package io.camelgraphteams.emulator.subscriptions;

import java.util.List;

import io.camelgraphteams.emulator.http.GraphApiException;
import io.vertx.core.Future;

/**
 * The validation handshake a subscription request must pass before Graph answers it. The rules of the request live
 * here; sending the handshake is the delivery side's job, as it talks to the same endpoints.
 */
public interface ValidationHandshake {

    /**
     * Validates each URL in turn (twice when both are equal, as Graph does); fails with the GraphApiException Graph
     * answers the subscription request with.
     */
    Future<Void> validateAll(List<String> urls);

    static GraphApiException timedOut() {
        return GraphApiException.badRequest("InvalidRequest", "Subscription validation request timed out.");
    }

    static GraphApiException failed() {
        return GraphApiException.badRequest("ValidationError", "Subscription validation request failed. Notification "
                + "endpoint must respond with 200 OK to validation request.");
    }
}
