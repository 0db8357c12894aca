package io.camelgraphteams.component.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelgraphteams.component.support.Deadline;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook intake on any platform-http engine other than Vert.x (Spring MVC on the application's Tomcat or Jetty
 * under camel-platform-http-starter, for one): one platform-http consumer per path, restricted to POST, whose processor
 * applies {@link BatchIntake}'s rules to the message the engine made of the request and answers through it. The
 * engine decides when the body is read: Spring's binding reads it whole before this processor runs, so a body over
 * maxBodySize is refused 413 here only after it arrived, unless the host refuses it from its Content-Length first (the
 * Spring Boot starter's upload filter does). The engine also decides the thread: on a servlet container the request's
 * thread waits for the answer, at most until the answer deadline (counted from the exchange's creation).
 */
public final class PlatformHttpWebhook extends AsyncProcessorSupport implements WebhookPaths {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttpWebhook.class);
    private static final String VALIDATION_TOKEN = "validationToken";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final BatchIntake batches;
    private final List<Consumer> consumers = new ArrayList<>();
    // the engine may keep a path mapped after its consumer stopped (Spring's does): then every request gets 503
    private volatile boolean registered;

    public PlatformHttpWebhook(BatchIntake batches) {
        this.batches = batches;
    }

    /** Starts a POST-only platform-http consumer on each distinct path. */
    public synchronized void register(CamelContext context, String... paths) throws Exception {
        try {
            for (String path : new LinkedHashSet<>(List.of(paths))) {
                PlatformHttpEndpoint endpoint = context.getEndpoint("platform-http:" + path
                                                                    + "?httpMethodRestrict=POST",
                        PlatformHttpEndpoint.class);
                Consumer consumer = endpoint.createConsumer(this);
                ServiceHelper.startService(consumer);
                consumers.add(consumer);
            }
        } catch (Exception e) {
            unregister();
            throw e;
        }
        registered = true;
        batches.setAccepting(true);
    }

    @Override
    public synchronized void unregister() {
        registered = false;
        batches.setAccepting(false);
        consumers.forEach(ServiceHelper::stopAndShutdownService);
        consumers.clear();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        // admitted by the host before the body was read: its budget and arrival are this request's
        UploadAdmission admission = batches.claim(message.getHeader(UploadAdmission.TICKET_HEADER, String.class));
        if (!registered) {
            release(admission);
            return answer(exchange, BatchResponse.UNAVAILABLE, callback);
        }
        String path = message.getHeader(Exchange.HTTP_URI, String.class);
        String token;
        try {
            token = queryParameter(message.getHeader(Exchange.HTTP_QUERY, String.class), VALIDATION_TOKEN);
        } catch (IllegalArgumentException e) {
            release(admission);
            batches.counters().countBatchRefused();
            LOG.warn("Refused a POST with a malformed query string (400)");
            return answer(exchange, BatchResponse.MALFORMED_QUERY, callback);
        }
        if (token != null) {
            release(admission);
            // Graph's validation handshake: echo the URL-decoded token as text within 10 seconds
            batches.counters().countHandshake();
            reset(message);
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setHeader(Exchange.CONTENT_TYPE, TEXT);
            message.setHeader("X-Content-Type-Options", "nosniff");
            message.setBody(token);
            callback.done(true);
            return true;
        }
        if (admission == null) {
            BatchResponse refusal = batches.refusalByHeaders(path,
                    message.getHeader(Exchange.CONTENT_TYPE, String.class),
                    BatchIntake.contentLength(message.getHeader("Content-Length", String.class)));
            if (refusal != null) {
                return answer(exchange, refusal, callback);
            }
        }
        byte[] body;
        try {
            body = boundedBody(message, admission != null ? admission.limit() : batches.maxBodySize());
        } catch (IOException | InvalidPayloadException | RuntimeException e) {
            release(admission);
            batches.counters().countBatchRefused();
            LOG.debug("Dropped a POST whose body could not be read: {}", e.getMessage());
            return answer(exchange, BatchResponse.MALFORMED, callback);
        }
        if (body == null || admission == null && body.length > batches.budget().largestAdmissible()) {
            // longer than maxBodySize, or than this heap's budget can ever hold: a 503 would be retried to no end
            release(admission);
            return answer(exchange, batches.tooLarge(), callback);
        }
        long reserved = admission != null ? admission.reserved() : body.length;
        if (admission == null && !batches.budget().tryAcquire(reserved)) {
            LOG.debug("Shedding a POST of {} bytes: the byte budget is spent", reserved);
            return answer(exchange, batches.shed(), callback);
        }
        long arrived = admission != null ? admission.arrivedNanos() : arrivedNanos(exchange);
        Deadline deadline = Deadline.after(arrived, batches.answerDeadline());
        AtomicBoolean answered = new AtomicBoolean();
        CompletableFuture<BatchResponse> outcome = batches.deliver(body, deadline, answered::get);
        // the budget is held until the batch's exchanges are done, past the deadline's answer if need be
        outcome.whenComplete((response, error) -> batches.budget().release(reserved));
        outcome.thenApply(response -> response).completeOnTimeout(null,
                        Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS)
                .thenAccept(response -> {
                    // exactly one answer: the batch's outcome, or 503 at the deadline (its exchanges go on)
                    if (!answered.compareAndSet(false, true)) {
                        return;
                    }
                    if (response == null) {
                        batches.countAnsweredAtDeadline();
                        LOG.warn("A notification batch was not delivered within the answer deadline ({} ms): "
                                 + "answered 503, Graph delivers it again", batches.answerDeadline().toMillis());
                        answer(exchange, BatchResponse.NOT_DELIVERED, callback, false);
                    } else {
                        batches.countAnswer(response);
                        answer(exchange, response, callback, false);
                    }
                });
        return false;
    }

    /** Gives back the budget of an admission this request will not use. */
    private void release(UploadAdmission admission) {
        if (admission != null) {
            batches.budget().release(admission.reserved());
        }
    }

    private boolean answer(Exchange exchange, BatchResponse response, AsyncCallback callback) {
        answer(exchange, response, callback, true);
        return true;
    }

    private static void answer(Exchange exchange, BatchResponse response, AsyncCallback callback, boolean sync) {
        Message message = exchange.getMessage();
        reset(message);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        if (!response.text().isEmpty()) {
            message.setHeader(Exchange.CONTENT_TYPE, TEXT);
            message.setBody(response.text());
        }
        callback.done(sync);
    }

    /** The answer echoes nothing of the request: none of its headers become the response's. */
    private static void reset(Message message) {
        message.removeHeaders("*");
        message.setBody(null);
    }

    /** The body, or null when it is longer than {@code limit} (only one byte more is read to know it). */
    private static byte[] boundedBody(Message message, long limit) throws IOException, InvalidPayloadException {
        Object body = message.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes.length > limit ? null : bytes;
        }
        InputStream in = message.getBody(InputStream.class);
        if (in == null) {
            byte[] bytes = message.getMandatoryBody(byte[].class);
            return bytes.length > limit ? null : bytes;
        }
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
            return bytes.length > limit ? null : bytes;
        }
    }

    /** When the request reached Camel, on the clock the deadline counts with. */
    private static long arrivedNanos(Exchange exchange) {
        long ageMillis = Math.max(0, System.currentTimeMillis() - exchange.getClock().getCreated());
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(ageMillis);
    }

    /** The URL-decoded value of a query parameter, null when absent; a malformed escape throws. */
    static String queryParameter(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
