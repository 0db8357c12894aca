package io.camelgraphteams.emulator.http;

import java.time.Clock;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever failed while serving a Graph call into Graph's error envelope. */
public final class GraphFailureHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(GraphFailureHandler.class);

    private final Clock clock;

    public GraphFailureHandler(Clock clock) {
        this.clock = clock;
    }

    /** Graph's answer to a path it does not serve. */
    public static GraphApiException unknownSegment(String path) {
        String[] parts = path.split("/");
        return GraphApiException.badRequest("BadRequest", "Resource not found for the segment '"
                                                          + (parts.length == 0 ? "" : parts[parts.length - 1]) + "'.");
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof GraphApiException g) {
            GraphResponses.error(ctx, g, clock);
        } else if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
            GraphResponses.error(ctx, GraphApiException.badRequest("BadRequest", failure.getMessage()), clock);
        } else if (failure != null) {
            LOG.error("Unexpected failure on {}", ctx.request().path(), failure);
            GraphResponses.error(ctx, new GraphApiException(500, "InternalServerError", String.valueOf(failure)), clock);
        } else {
            GraphResponses.error(ctx, new GraphApiException(ctx.statusCode(), "BadRequest", "HTTP " + ctx.statusCode()),
                    clock);
        }
    }
}
