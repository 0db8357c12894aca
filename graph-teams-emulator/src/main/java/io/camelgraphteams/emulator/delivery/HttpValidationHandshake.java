package io.camelgraphteams.emulator.delivery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.camelgraphteams.emulator.subscriptions.ValidationHandshake;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Graph's validation handshake over HTTP: POST {url}?validationToken={token} with Content-Type text/plain; the endpoint
 * must answer 200, text/plain, with the decoded token as body, within the handshake limit (10 s). Each attempt goes
 * into the delivery log, beside the notifications sent to the same endpoint.
 */
public final class HttpValidationHandshake implements ValidationHandshake {

    private final Vertx vertx;
    private final HttpClient client;
    private final Supplier<Duration> timeout;
    private final DeliveryLog log;
    private final Clock clock;

    public HttpValidationHandshake(Vertx vertx, HttpClient client, Supplier<Duration> timeout, DeliveryLog log, Clock clock) {
        this.vertx = vertx;
        this.client = client;
        this.timeout = timeout;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Future<Void> validateAll(List<String> urls) {
        Future<Void> chain = Future.succeededFuture();
        for (String url : urls) {
            chain = chain.compose(v -> validate(url));
        }
        return chain;
    }

    /** Fails with the GraphApiException Graph answers the subscription request with. */
    public Future<Void> validate(String url) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + UUID.randomUUID();
        String target = url + (url.contains("?") ? "&" : "?") + "validationToken="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        Promise<Void> result = Promise.promise();
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long started = System.nanoTime();
        Instant sentAt = clock.instant();
        long limit = timeout.get().toMillis();
        long timer = vertx.setTimer(limit, t -> {
            if (result.tryFail(ValidationHandshake.timedOut())) {
                record(url, target, sentAt, started, 0, DeliveryRecord.Outcome.TIMED_OUT, "no answer within " + limit + " ms");
                HttpClientRequest r = request.get();
                if (r != null) {
                    r.reset();
                }
            }
        });
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target)
                .putHeader("Content-Type", "text/plain; charset=utf-8");
        client.request(options)
                .compose(r -> {
                    request.set(r);
                    return r.send();
                })
                .compose(response -> response.body().map(body -> {
                    String contentType = response.getHeader("Content-Type");
                    if (response.statusCode() != 200) {
                        return "status " + response.statusCode() + " instead of 200";
                    }
                    if (contentType == null || !contentType.toLowerCase().startsWith("text/plain")) {
                        return "Content-Type " + contentType + " instead of text/plain";
                    }
                    if (!token.equals(body.toString(StandardCharsets.UTF_8))) {
                        return "the body was not the decoded validationToken";
                    }
                    return null;
                }).map(problem -> new Object[] { response.statusCode(), problem }))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.failed()) {
                        if (result.tryFail(ValidationHandshake.failed())) {
                            record(url, target, sentAt, started, 0, DeliveryRecord.Outcome.TIMED_OUT,
                                    "no connection: " + ar.cause().getMessage());
                        }
                        return;
                    }
                    int status = (int) ar.result()[0];
                    String problem = (String) ar.result()[1];
                    if (problem == null) {
                        if (result.tryComplete()) {
                            record(url, target, sentAt, started, status, DeliveryRecord.Outcome.DELIVERED, null);
                        }
                    } else if (result.tryFail(ValidationHandshake.failed())) {
                        record(url, target, sentAt, started, status, DeliveryRecord.Outcome.FAILED, problem);
                    }
                });
        return result.future();
    }

    private void record(String url, String target, Instant sentAt, long started, int status,
            DeliveryRecord.Outcome outcome, String detail) {
        log.add(DeliveryRecord.Kind.VALIDATION, UUID.randomUUID().toString(), url, 1, false, sentAt,
                (System.nanoTime() - started) / 1_000_000, status, outcome, detail, List.of(), 0, target);
    }
}
