package io.camelgraphteams.component.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.component.notification.BatchCheck;
import io.camelgraphteams.component.notification.BatchDelivery;
import io.camelgraphteams.component.notification.NotificationBatchProcessor;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.support.Deadline;
import io.camelgraphteams.component.support.LoggedValue;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
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
 * go on (dedup makes Graph's retry route nothing twice, bar reference-only items, which have no version); an upload
 * not finished by then is cut off.
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
        if (declared > budget.largestAdmissible()) {
            // a 503 would be retried for hours to no end: this heap never holds it
            LOG.warn("Refused a POST of {} bytes to {}: more than the byte budget ({} bytes, maxInFlightBytes) can "
                     + "ever admit; raise the heap or maxInFlightBytes", declared, ctx.normalizedPath(),
                    budget.maxBytes());
            refuseTooLarge(ctx);
            return;
        }
        // without a Content-Length the array grows by doubling, and is copied to its size at the end: up to twice
        // its size, and never more than the budget can admit (on a small heap the body may then be only half that)
        long reserved = declared >= 0 ? declared : Math.min(2 * maxBodySize, budget.largestAdmissible());
        if (!budget.tryAcquire(reserved)) {
            counters.countBatchShed();
            LOG.debug("Shedding a POST of {} bytes: {} bytes in {} uploads already in flight", reserved,
                    budget.bytesInFlight(), budget.uploadsInFlight());
            respondAndClose(ctx, BatchResponse.OVERLOADED);
            return;
        }
        new Upload(ctx, arrived, declared, reserved).start();
    }

    /**
     * One POST from its admission to its answer: the body read, the batch processed, the budget given back. Exactly
     * one answer is sent, by whichever comes first: the batch's outcome or the deadline.
     */
    private final class Upload {
        private final RoutingContext ctx;
        private final Deadline deadline;
        private final long declared;
        private final long reserved;
        private final long timer;
        private final AtomicBoolean answered = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean received;
        private byte[] bytes;
        private int filled;

        Upload(RoutingContext ctx, long arrivedNanos, long declared, long reserved) {
            this.ctx = ctx;
            this.deadline = Deadline.after(arrivedNanos, answerDeadline);
            this.declared = declared;
            this.reserved = reserved;
            this.timer = ctx.vertx().setTimer(Math.max(1, deadline.remaining().toMillis()), id -> deadlinePassed());
        }

        void start() {
            HttpServerRequest request = ctx.request();
            if (ctx.body() != null && ctx.body().buffer() != null) {
                // the application's own body handler read it already
                bodyRead(ctx.body().buffer().getBytes());
                return;
            }
            if (request.isEnded()) {
                // another handler of the application consumed the body without keeping it: nothing can be checked
                LOG.warn("The body of a POST to {} was read by another handler before graph-teams: answered 503; "
                         + "keep body-reading handlers off graph-teams' paths", ctx.normalizedPath());
                answer(BatchResponse.NOT_DELIVERED);
                release();
                return;
            }
            request.handler(this::append);
            request.endHandler(done -> bodyRead(body()));
            request.exceptionHandler(error -> closed("the upload failed: " + LoggedValue.of(error.getMessage())));
            // an end handler, not the connection's close handler: that belongs to the server (and to keep-alive)
            ctx.addEndHandler(done -> {
                if (done.failed()) {
                    closed("the connection closed before the answer");
                }
            });
            request.resume();
        }

        /**
         * On the event loop, chunk by chunk, into one array: of the declared size, or (chunked, without a length)
         * doubled as needed up to maxBodySize (or half the reservation, when the budget could not give twice that).
         */
        private void append(Buffer chunk) {
            if (answered.get()) {
                return;
            }
            long limit = declared >= 0 ? declared : Math.min(maxBodySize, reserved / 2);
            if (filled + (long) chunk.length() > limit) {
                tooLarge();
                return;
            }
            if (bytes == null || filled + chunk.length() > bytes.length) {
                int needed = filled + chunk.length();
                int capacity = declared >= 0 ? (int) declared
                        : (int) Math.min(limit, Math.max(needed, bytes == null ? 64 * 1024 : 2L * bytes.length));
                bytes = bytes == null ? new byte[capacity] : Arrays.copyOf(bytes, capacity);
            }
            chunk.getBytes(bytes, filled);
            filled += chunk.length();
        }

        private byte[] body() {
            if (bytes == null) {
                return new byte[0];
            }
            return filled == bytes.length ? bytes : Arrays.copyOf(bytes, filled);
        }

        private void tooLarge() {
            ctx.request().handler(null);
            if (answered.compareAndSet(false, true)) {
                ctx.vertx().cancelTimer(timer);
                release();
                refuseTooLarge(ctx);
            }
        }

        private void closed(String why) {
            if (!received && answered.compareAndSet(false, true)) {
                LOG.debug("Dropped a POST to {}: {}", ctx.normalizedPath(), why);
                ctx.vertx().cancelTimer(timer);
                release();
            }
        }

        private void bodyRead(byte[] body) {
            if (answered.get()) {
                return;
            }
            received = true;
            try {
                // any unexpected failure still answers (503, so Graph retries) instead of leaving the request hanging
                CompletableFuture.supplyAsync(() -> processor.check(body), intake)
                        .thenCompose(this::admitAndDeliver)
                        .whenComplete((answer, error) -> {
                            if (error != null) {
                                LOG.error("Unexpected failure while processing a notification batch", error);
                            }
                            release();
                            answer(error != null ? BatchResponse.NOT_DELIVERED : answer);
                        });
            } catch (RejectedExecutionException e) {
                counters.countBatchShed();
                LOG.warn("Intake saturated, answering 503 so Graph retries the batch");
                release();
                answer(BatchResponse.OVERLOADED);
            }
        }

        private CompletableFuture<BatchResponse> admitAndDeliver(BatchCheck check) {
            if (answered.get()) {
                // answered 503 at the deadline: Graph sends it again, and opening it now would only compete with
                // that copy
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
                            return BatchResponse.ACCEPTED;
                        }
                        if (error != null) {
                            LOG.error("Unexpected failure while delivering a notification batch", error);
                        }
                        return BatchResponse.NOT_DELIVERED;
                    });
        }

        /** The batch's outcome, unless the deadline answered first (then it was counted there). */
        private void answer(BatchResponse response) {
            if (answered.compareAndSet(false, true)) {
                ctx.vertx().cancelTimer(timer);
                if (response == BatchResponse.ACCEPTED) {
                    counters.countBatchAccepted();
                } else if (response == BatchResponse.NOT_DELIVERED) {
                    counters.countBatchFailed();
                }
                respond(ctx.response(), response);
            }
        }

        /** On the event loop, when the answer deadline comes before the batch's outcome. */
        private void deadlinePassed() {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            counters.countAnsweredAtDeadline();
            counters.countBatchFailed();
            if (!received) {
                // a body still arriving at the deadline is not worth waiting for: answer, close, free its place
                LOG.warn("A POST to {} was still uploading at the answer deadline ({} ms): answered 503 and closed",
                        ctx.normalizedPath(), answerDeadline.toMillis());
                ctx.request().handler(null);
                release();
                respondAndClose(ctx, BatchResponse.NOT_DELIVERED);
                return;
            }
            LOG.warn("A notification batch was not delivered within the answer deadline ({} ms): answered 503, Graph "
                     + "delivers it again (its exchanges go on; dedup routes nothing twice)", answerDeadline.toMillis());
            respond(ctx.response(), BatchResponse.NOT_DELIVERED);
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
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

    /**
     * Answers a request whose body is not read (or not all of it) and closes its connection: Vert.x would otherwise
     * keep it open and read the rest of the body, however slowly it comes.
     */
    private static void respondAndClose(RoutingContext ctx, BatchResponse answer) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        HttpServerRequest request = ctx.request();
        respond(response, answer).onComplete(sent -> {
            if (request.version() != HttpVersion.HTTP_2) {
                request.connection().close();
            }
        });
    }

    private static Future<Void> respond(HttpServerResponse response, BatchResponse answer) {
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        response.setStatusCode(answer.status());
        if (answer.text().isEmpty()) {
            return response.end();
        }
        return response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(answer.text());
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
