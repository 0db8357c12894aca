package io.camelgraphteams.component.webhook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.component.notification.BatchCheck;
import io.camelgraphteams.component.notification.BatchDelivery;
import io.camelgraphteams.component.notification.NotificationBatchProcessor;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.support.LoggedValue;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook intake: POST handlers on the notification and lifecycle paths of a Vert.x router. Handlers on the event
 * loop only answer the handshake and cheap refusals; each batch is then checked on the intake executor, admitted (or
 * shed), opened on the workers and handed to {@link BatchDelivery}, whose outcome becomes Graph's answer: 202, or 503
 * so that Graph delivers the batch again.
 */
public final class NotificationHttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationHttpRoutes.class);
    private static final String VALIDATION_TOKEN = "validationToken";

    private final NotificationBatchProcessor processor;
    private final BatchDelivery delivery;
    private final Executor intake;
    private final NotificationCounters counters;
    private final long maxBodySize;
    private final int maxPendingItems;
    private final List<Route> routes = new ArrayList<>();
    // items admitted and not yet delivered: the backlog a new batch would wait behind
    private final AtomicInteger pendingItems = new AtomicInteger();
    private volatile boolean accepting;

    /**
     * @param intake          checks batches; small and separate from the workers, so a new batch is judged (and maybe
     *                        shed) at once instead of queueing behind the decryptions of earlier ones
     * @param maxPendingItems past this backlog a batch is answered 503 at once
     */
    public NotificationHttpRoutes(NotificationBatchProcessor processor, BatchDelivery delivery, Executor intake,
                                  NotificationCounters counters, long maxBodySize, int maxPendingItems) {
        this.processor = processor;
        this.delivery = delivery;
        this.intake = intake;
        this.counters = counters;
        this.maxBodySize = maxBodySize;
        this.maxPendingItems = maxPendingItems;
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
            counters.countBatchRefused();
            LOG.warn("Refused a POST to {} with a malformed query string (400)", ctx.normalizedPath());
            respond(ctx.response(), BatchResponse.MALFORMED_QUERY);
            return;
        }
        if (token != null) {
            // Graph's validation handshake: echo the URL-decoded token as text within 10 seconds
            counters.countHandshake();
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
            counters.countBatchRefused();
            LOG.warn("Refused a POST to {} with content type '{}' (415)", ctx.normalizedPath(),
                    LoggedValue.of(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)));
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
            counters.countBatchRefused();
            respond(ctx.response(), BatchResponse.MALFORMED);
            return;
        }
        byte[] body = ctx.body().buffer().getBytes();
        HttpServerResponse response = ctx.response();
        try {
            // any unexpected failure still answers (503, so Graph retries) instead of leaving the request hanging
            CompletableFuture.supplyAsync(() -> processor.check(body), intake)
                    .thenCompose(this::admitAndDeliver)
                    .whenComplete((answer, error) -> {
                        if (error != null) {
                            counters.countBatchFailed();
                            LOG.error("Unexpected failure while processing a notification batch", error);
                            respond(response, BatchResponse.NOT_DELIVERED);
                        } else {
                            respond(response, answer);
                        }
                    });
        } catch (RejectedExecutionException e) {
            counters.countBatchFailed();
            LOG.warn("Intake saturated, answering 503 so Graph retries the batch");
            respond(response, BatchResponse.NOT_DELIVERED);
        }
    }

    private CompletableFuture<BatchResponse> admitAndDeliver(BatchCheck check) {
        if (check.isRefused()) {
            if (check.refusal().retryable()) {
                counters.countBatchFailed();
            } else {
                counters.countBatchRefused();
            }
            return CompletableFuture.completedFuture(BatchResponse.of(check.refusal()));
        }
        // shed load early: a batch that would wait behind a long backlog is better answered 503 now (Graph retries)
        // than 202 after Graph's 3 seconds, which marks the endpoint slow and then drops notifications
        int admitted = check.items().size();
        int pendingBefore = pendingItems.getAndAdd(admitted);
        if (pendingBefore > 0 && pendingBefore + admitted > maxPendingItems) {
            pendingItems.addAndGet(-admitted);
            counters.countBatchShed();
            LOG.debug("Shedding a batch of {} items: {} items already in progress (maxPendingNotifications {})",
                    admitted, pendingBefore, maxPendingItems);
            return CompletableFuture.completedFuture(BatchResponse.OVERLOADED);
        }
        return processor.open(check, delivery::deliver)
                .handle((outcome, error) -> {
                    pendingItems.addAndGet(-admitted);
                    if (error == null && outcome == BatchDelivery.Outcome.ACCEPTED) {
                        counters.countBatchAccepted();
                        return BatchResponse.ACCEPTED;
                    }
                    if (error != null) {
                        LOG.error("Unexpected failure while delivering a notification batch", error);
                    }
                    counters.countBatchFailed();
                    return BatchResponse.NOT_DELIVERED;
                });
    }

    /** Failures raised by Vert.x itself on these routes, e.g. BodyHandler's 413 past the body limit. */
    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            refuseTooLarge(ctx);
            return;
        }
        counters.countBatchRefused();
        LOG.warn("Refused a POST to {} ({}): {}", ctx.normalizedPath(), ctx.statusCode(),
                ctx.failure() != null ? LoggedValue.of(ctx.failure().getMessage()) : "request failed");
        respond(ctx.response(), ctx.statusCode() >= 400 && ctx.statusCode() < 500
                ? new BatchResponse(ctx.statusCode(), "bad request") : BatchResponse.NOT_DELIVERED);
    }

    private void refuseTooLarge(RoutingContext ctx) {
        counters.countBatchRefused();
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
