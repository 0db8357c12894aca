package io.camelgraphteams.component.webhook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's HTTP face: POST handlers on the notification and lifecycle paths of a Vert.x router. Handlers on the
 * event loop only answer the handshake and cheap refusals; everything else runs on the worker executor.
 */
public final class NotificationHttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationHttpRoutes.class);
    private static final String VALIDATION_TOKEN = "validationToken";

    private final NotificationBatchProcessor processor;
    private final Executor executor;
    private final long maxBodySize;
    private final List<Route> routes = new ArrayList<>();
    private volatile boolean accepting;

    public NotificationHttpRoutes(NotificationBatchProcessor processor, Executor executor, long maxBodySize) {
        this.processor = processor;
        this.executor = executor;
        this.maxBodySize = maxBodySize;
    }

    /** Adds the POST handlers for each distinct path; they answer as soon as this returns. */
    public synchronized void register(Router router, String... paths) {
        Set<String> distinct = new LinkedHashSet<>(List.of(paths));
        for (String path : distinct) {
            // Vert.x runs body handlers before user handlers on one route, so the cheap checks get a route of their
            // own, registered first: a handshake or a refusal never waits for (or buffers) a body
            routes.add(router.post(path).handler(this::handshakeOrPrecheck));
            routes.add(router.post(path)
                    .handler(BodyHandler.create(false).setBodyLimit(maxBodySize))
                    .handler(this::batch)
                    .failureHandler(this::failure));
        }
        accepting = true;
    }

    /** Stops answering: pending batches still complete, new ones get 503 until the routes are gone. */
    public synchronized void unregister() {
        accepting = false;
        routes.forEach(Route::remove);
        routes.clear();
    }

    private void handshakeOrPrecheck(RoutingContext ctx) {
        String token;
        try {
            token = ctx.request().getParam(VALIDATION_TOKEN);
        } catch (IllegalArgumentException e) {
            // Vert.x decodes the query string on first access and throws on a malformed escape such as %zz: the
            // request is bad (400), not our failure (the router would answer 500, mapped to 503 and retried)
            processor.counters().batchesRefused.incrementAndGet();
            LOG.warn("Refused a POST to {} with a malformed query string (400)", ctx.normalizedPath());
            respond(ctx.response(), BatchResponse.MALFORMED_QUERY);
            return;
        }
        if (token != null) {
            // Graph's validation handshake: echo the URL-decoded token as text within 10 seconds
            processor.counters().handshakes.incrementAndGet();
            ctx.response()
                    .setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .end(token);
            return;
        }
        if (!accepting) {
            respond(ctx.response(), BatchResponse.UNAVAILABLE);
            return;
        }
        if (!isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            processor.counters().batchesRefused.incrementAndGet();
            LOG.warn("Refused a POST to {} with content type '{}' (415)", ctx.normalizedPath(),
                    ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
            respond(ctx.response(), BatchResponse.UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isLongerThan(length, maxBodySize)) {
            refuseTooLarge(ctx);
            return;
        }
        ctx.next();
    }

    private void batch(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null) {
            processor.counters().batchesRefused.incrementAndGet();
            respond(ctx.response(), BatchResponse.MALFORMED);
            return;
        }
        byte[] body = ctx.body().buffer().getBytes();
        HttpServerResponse response = ctx.response();
        try {
            // any unexpected failure still answers (503, so Graph retries) instead of leaving the request hanging
            CompletableFuture.supplyAsync(() -> processor.process(body), executor)
                    .thenCompose(answer -> answer)
                    .whenComplete((answer, error) -> {
                        if (error != null) {
                            processor.counters().batchesFailed.incrementAndGet();
                            LOG.error("Unexpected failure while processing a notification batch", error);
                            respond(response, BatchResponse.NOT_DELIVERED);
                        } else {
                            respond(response, answer);
                        }
                    });
        } catch (RejectedExecutionException e) {
            processor.counters().batchesFailed.incrementAndGet();
            LOG.warn("Worker pool saturated, answering 503 so Graph retries the batch");
            respond(response, BatchResponse.NOT_DELIVERED);
        }
    }

    /** Failures raised by Vert.x itself on these routes, e.g. BodyHandler's 413 past the body limit. */
    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            refuseTooLarge(ctx);
            return;
        }
        processor.counters().batchesRefused.incrementAndGet();
        LOG.warn("Refused a POST to {} ({}): {}", ctx.normalizedPath(), ctx.statusCode(),
                ctx.failure() != null ? ctx.failure().getMessage() : "request failed");
        respond(ctx.response(), ctx.statusCode() >= 400 && ctx.statusCode() < 500
                ? new BatchResponse(ctx.statusCode(), "bad request") : BatchResponse.NOT_DELIVERED);
    }

    private void refuseTooLarge(RoutingContext ctx) {
        processor.counters().batchesRefused.incrementAndGet();
        LOG.warn("Refused a notification batch larger than maxBodySize {} bytes (413)", maxBodySize);
        respond(ctx.response(), BatchResponse.TOO_LARGE);
    }

    private static void respond(HttpServerResponse response, BatchResponse answer) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(answer.status());
        if (answer.text().isEmpty()) {
            response.end();
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(answer.text());
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static boolean isLongerThan(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
