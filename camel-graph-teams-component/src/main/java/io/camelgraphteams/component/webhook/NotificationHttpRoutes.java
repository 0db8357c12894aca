package io.camelgraphteams.component.webhook;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook intake: a POST handler on the notification and lifecycle paths of a Vert.x router. On the event loop it
 * answers the handshake and cheap refusals, admits the body against the component's {@link UploadBudget} before a
 * byte of it is read, and reads it into one array of its declared size; each batch is then checked on the intake
 * executor, admitted (or shed) against the backlog, opened on the workers and handed to {@link BatchDelivery}, whose
 * outcome becomes Graph's answer: 202, or 503 so that Graph delivers the batch again. Graph is never answered late: at
 * the answer deadline, counted from the request's arrival, a batch not yet delivered is answered 503 and its exchanges
 * go on (dedup makes Graph's retry route nothing twice); an upload not finished by then is cut off.
 */
public final class NotificationHttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationHttpRoutes.class);
    private static final String VALIDATION_TOKEN = "validationToken";

    private final NotificationBatchProcessor processor;
    private final BatchDelivery delivery;
    private final Executor intake;
    private final NotificationCounters counters;
    private final UploadBudget budget;
    private final long maxBodySize;
    private final int maxPendingItems;
    private final Duration answerDeadline;
    private final List<Route> routes = new ArrayList<>();
    // items admitted and not yet delivered: the backlog a new batch would wait behind
    private final AtomicInteger pendingItems = new AtomicInteger();
    private volatile boolean accepting;

    /**
     * @param intake          checks batches; small and separate from the workers, so a new batch is judged (and maybe
     *                        shed) at once instead of queueing behind the decryptions of earlier ones
     * @param budget          shared by every intake of the component
     * @param maxPendingItems past this backlog a batch is answered 503 at once
     * @param answerDeadline  Graph's answer is sent by then (Graph counts an answer past 2.9 s as slow)
     */
    public NotificationHttpRoutes(NotificationBatchProcessor processor, BatchDelivery delivery, Executor intake,
                                  NotificationCounters counters, UploadBudget budget, long maxBodySize,
                                  int maxPendingItems, Duration answerDeadline) {
        this.processor = processor;
        this.delivery = delivery;
        this.intake = intake;
        this.counters = counters;
        this.budget = budget;
        this.maxBodySize = maxBodySize;
        this.maxPendingItems = maxPendingItems;
        this.answerDeadline = answerDeadline;
    }

    /** Adds the POST handler for each distinct path; it answers as soon as this returns. */
    public synchronized void register(Router router, String... paths) {
        Set<String> distinct = new LinkedHashSet<>(List.of(paths));
        for (String path : distinct) {
            routes.add(router.post(path).handler(this::receive).failureHandler(this::failure));
        }
        accepting = true;
    }

    /** Stops answering: pending batches still complete, new ones get 503 until the routes are gone. */
    public synchronized void unregister() {
        accepting = false;
        routes.forEach(Route::remove);
        routes.clear();
    }

    private void receive(RoutingContext ctx) {
        long arrived = System.nanoTime();
        HttpServerRequest request = ctx.request();
        String token;
        try {
            token = request.getParam(VALIDATION_TOKEN);
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
        if (!isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            counters.countBatchRefused();
            LOG.warn("Refused a POST to {} with content type '{}' (415)", ctx.normalizedPath(),
                    LoggedValue.of(request.getHeader(HttpHeaders.CONTENT_TYPE)));
            respond(ctx.response(), BatchResponse.UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        long declared = contentLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared > maxBodySize) {
            refuseTooLarge(ctx);
            return;
        }
        long reserved = declared >= 0 ? declared : maxBodySize;
        if (!budget.tryAcquire(reserved)) {
            counters.countBatchShed();
            LOG.debug("Shedding a POST of {} bytes: {} bytes in {} uploads already in flight", reserved,
                    budget.bytesInFlight(), budget.uploadsInFlight());
            respondAndClose(ctx, BatchResponse.OVERLOADED);
            return;
        }
        new Upload(ctx, arrived, declared, reserved).start();
    }

    /** One POST from its admission to its answer: the body read, the batch processed, the budget given back. */
    private final class Upload {
        private final RoutingContext ctx;
        private final Instant deadline;
        private final long declared;
        private final long reserved;
        private final long timer;
        private byte[] exact;
        private int filled;
        private ByteArrayOutputStream chunked;
        private boolean received;
        private boolean released;

        Upload(RoutingContext ctx, long arrivedNanos, long declared, long reserved) {
            this.ctx = ctx;
            long left = answerDeadline.toNanos() - (System.nanoTime() - arrivedNanos);
            this.deadline = Instant.now().plusNanos(left);
            this.declared = declared;
            this.reserved = reserved;
            this.timer = ctx.vertx().setTimer(Math.max(1, left / 1_000_000), id -> deadlinePassed());
        }

        void start() {
            HttpServerRequest request = ctx.request();
            if (ctx.body() != null && ctx.body().buffer() != null) {
                // the application's own body handler read it already
                bodyRead(ctx.body().buffer().getBytes());
                return;
            }
            request.handler(this::append);
            request.endHandler(done -> bodyRead(body()));
            request.exceptionHandler(error -> closed("the upload failed: " + LoggedValue.of(error.getMessage())));
            request.connection().closeHandler(done -> closed("the connection closed during the upload"));
            request.resume();
        }

        private void append(Buffer chunk) {
            if (declared >= 0) {
                if (exact == null) {
                    exact = new byte[(int) declared];
                }
                if (filled + chunk.length() > exact.length) {
                    tooLarge();
                    return;
                }
                chunk.getBytes(exact, filled);
                filled += chunk.length();
                return;
            }
            if (chunked == null) {
                chunked = new ByteArrayOutputStream();
            }
            if (chunked.size() + chunk.length() > maxBodySize) {
                tooLarge();
                return;
            }
            chunked.writeBytes(chunk.getBytes());
        }

        private byte[] body() {
            if (declared >= 0) {
                return exact != null ? exact : new byte[0];
            }
            return chunked != null ? chunked.toByteArray() : new byte[0];
        }

        private void tooLarge() {
            ctx.request().handler(null);
            ctx.vertx().cancelTimer(timer);
            release();
            refuseTooLarge(ctx);
            ctx.request().connection().close();
        }

        private synchronized void closed(String why) {
            if (!received) {
                LOG.debug("Dropped a POST to {}: {}", ctx.normalizedPath(), why);
                ctx.vertx().cancelTimer(timer);
                release();
            }
        }

        private void bodyRead(byte[] body) {
            synchronized (this) {
                if (received || ctx.response().ended()) {
                    return;
                }
                received = true;
            }
            try {
                // any unexpected failure still answers (503, so Graph retries) instead of leaving the request hanging
                CompletableFuture.supplyAsync(() -> processor.check(body), intake)
                        .thenCompose(this::admitAndDeliver)
                        .whenComplete((answer, error) -> {
                            if (error != null) {
                                counters.countBatchFailed();
                                LOG.error("Unexpected failure while processing a notification batch", error);
                            }
                            answer(error != null ? BatchResponse.NOT_DELIVERED : answer);
                            release();
                        });
            } catch (RejectedExecutionException e) {
                counters.countBatchShed();
                LOG.warn("Intake saturated, answering 503 so Graph retries the batch");
                answer(BatchResponse.OVERLOADED);
                release();
            }
        }

        private CompletableFuture<BatchResponse> admitAndDeliver(BatchCheck check) {
            if (Instant.now().isAfter(deadline)) {
                // answered 503 already: Graph sends it again, and opening it now would only compete with that copy
                return CompletableFuture.completedFuture(BatchResponse.NOT_DELIVERED);
            }
            if (check.isRefused()) {
                if (check.refusal().retryable()) {
                    counters.countBatchFailed();
                } else {
                    counters.countBatchRefused();
                }
                return CompletableFuture.completedFuture(BatchResponse.of(check.refusal()));
            }
            // shed load early: a batch that would wait behind a long backlog is better answered 503 now (Graph
            // retries) than after the deadline
            int admitted = check.items().size();
            int pendingBefore = pendingItems.getAndAdd(admitted);
            if (pendingBefore > 0 && pendingBefore + admitted > maxPendingItems) {
                pendingItems.addAndGet(-admitted);
                counters.countBatchShed();
                LOG.debug("Shedding a batch of {} items: {} items already in progress (maxPendingNotifications {})",
                        admitted, pendingBefore, maxPendingItems);
                return CompletableFuture.completedFuture(BatchResponse.OVERLOADED);
            }
            return processor.open(check, deadline, delivery::deliver)
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

        private void answer(BatchResponse response) {
            ctx.vertx().cancelTimer(timer);
            respond(ctx.response(), response);
        }

        private void deadlinePassed() {
            boolean uploading;
            synchronized (this) {
                uploading = !received;
                received = true;
            }
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            counters.countAnsweredAtDeadline();
            counters.countBatchFailed();
            if (uploading) {
                // a body still arriving at the deadline is not worth waiting for: answer, close, free its place
                LOG.warn("A POST to {} was still uploading at the answer deadline ({} ms): answered 503 and closed",
                        ctx.normalizedPath(), answerDeadline.toMillis());
                release();
                respondAndClose(ctx, BatchResponse.NOT_DELIVERED);
                return;
            }
            LOG.warn("A notification batch was not delivered within the answer deadline ({} ms): answered 503, Graph "
                     + "delivers it again (its exchanges go on; dedup routes nothing twice)", answerDeadline.toMillis());
            respond(ctx.response(), BatchResponse.NOT_DELIVERED);
        }

        private synchronized void release() {
            if (!released) {
                released = true;
                budget.release(reserved);
            }
        }
    }

    /** Failures raised by Vert.x itself on these routes. */
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
        respondAndClose(ctx, BatchResponse.TOO_LARGE);
    }

    /** Answers a request whose body is not read (or not all of it): the connection cannot be used again. */
    private static void respondAndClose(RoutingContext ctx, BatchResponse answer) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        respond(response, answer);
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

    /** The declared Content-Length, or -1 when there is none (or it cannot be read: then the body is read to its end). */
    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
