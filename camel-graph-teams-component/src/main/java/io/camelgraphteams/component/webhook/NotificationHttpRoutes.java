package io.camelgraphteams.component.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * The webhook intake on a Vert.x router (the fast path): a POST handler on the notification and lifecycle paths. On
 * the event loop it answers the handshake and the refusals {@link BatchIntake} decides from the headers, admits the
 * body against the component's {@link UploadBudget} before a byte of it is read, and reads it into one array of its
 * declared size; {@link BatchIntake} then checks and delivers the batch, and its outcome becomes Graph's answer. Graph
 * is never answered late: at the answer deadline, counted from the request's arrival, a batch not yet delivered is
 * answered 503 and its exchanges go on (dedup makes Graph's retry route nothing twice, bar reference-only items, which
 * have no version); an upload not finished by then is cut off.
 */
public final class NotificationHttpRoutes implements WebhookPaths {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationHttpRoutes.class);
    private static final String VALIDATION_TOKEN = "validationToken";

    private final BatchIntake batches;
    private final NotificationCounters counters;
    private final UploadBudget budget;
    private final long maxBodySize;
    private final Duration answerDeadline;
    private final List<Route> routes = new ArrayList<>();

    public NotificationHttpRoutes(BatchIntake batches) {
        this.batches = batches;
        this.counters = batches.counters();
        this.budget = batches.budget();
        this.maxBodySize = batches.maxBodySize();
        this.answerDeadline = batches.answerDeadline();
    }

    /** Adds the POST handler for each distinct path; it answers as soon as this returns. */
    public synchronized void register(Router router, String... paths) {
        Set<String> distinct = new LinkedHashSet<>(List.of(paths));
        for (String path : distinct) {
            routes.add(router.post(path).handler(this::receive).failureHandler(this::failure));
        }
        batches.setAccepting(true);
    }

    /** Stops answering: pending batches still complete, new ones get 503 until the routes are gone. */
    @Override
    public synchronized void unregister() {
        batches.setAccepting(false);
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
        long declared = BatchIntake.contentLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        BatchResponse refusal = batches.refusalByHeaders(ctx.normalizedPath(),
                request.getHeader(HttpHeaders.CONTENT_TYPE), declared);
        if (refusal == BatchResponse.TOO_LARGE) {
            respondAndClose(ctx, refusal);
            return;
        }
        if (refusal != null) {
            respond(ctx.response(), refusal);
            return;
        }
        // without a Content-Length the array grows by doubling, and is copied to its size at the end: up to twice
        // its size, and never more than the budget can admit (on a small heap the body may then be only half that)
        long reserved = declared >= 0 ? declared : Math.min(2 * maxBodySize, budget.largestAdmissible());
        if (!budget.tryAcquire(reserved)) {
            batches.shed();
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
            batches.deliver(body, deadline, answered::get).whenComplete((answer, error) -> {
                release();
                answer(answer);
            });
        }

        /** The batch's outcome, unless the deadline answered first (then it was counted there). */
        private void answer(BatchResponse response) {
            if (answered.compareAndSet(false, true)) {
                ctx.vertx().cancelTimer(timer);
                batches.countAnswer(response);
                respond(ctx.response(), response);
            }
        }

        /** On the event loop, when the answer deadline comes before the batch's outcome. */
        private void deadlinePassed() {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            batches.countAnsweredAtDeadline();
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
        respondAndClose(ctx, batches.tooLarge());
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
}
