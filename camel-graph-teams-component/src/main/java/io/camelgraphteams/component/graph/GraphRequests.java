package io.camelgraphteams.component.graph;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.camelgraphteams.component.auth.GraphTokenProvider;
import io.camelgraphteams.component.support.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to Graph the way every call goes: with a token from the {@link GraphTokenProvider} (cached
 * there), to graphBaseUrl's host only, retried per the {@link RetryPolicy} (429 and 503 after Retry-After, other 5xx
 * and I/O errors after a jittered backoff, never other 4xx), a failure becoming a {@link GraphApiException}
 * ({@link GraphErrors}). Tokens and request bodies are never logged.
 */
final class GraphRequests {

    private static final Logger LOG = LoggerFactory.getLogger(GraphRequests.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI root;
    private final String apiVersion;
    private final String scope;
    private final GraphTokenProvider tokenProvider;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final Clock clock;
    private final HttpClient http;
    private final GraphClientCounters counters = new GraphClientCounters();

    GraphRequests(URI root, String apiVersion, String scope, GraphTokenProvider tokenProvider, RetryPolicy retryPolicy,
                  Duration requestTimeout, Clock clock, HttpClient http) {
        this.root = root;
        this.apiVersion = apiVersion;
        this.scope = scope;
        this.tokenProvider = tokenProvider;
        this.retryPolicy = retryPolicy;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.http = http;
    }

    GraphClientCounters counters() {
        return counters;
    }

    /** The path of a target for logs and messages, without its query. */
    String describe(String target) {
        return describe(resolve(target));
    }

    record Answer(int status, HttpHeaders headers, JsonNode body) {
    }

    Answer send(String method, String target, JsonNode body, String resource)
            throws GraphApiException, InterruptedException {
        return send(method, target, body, resource, Deadline.none());
    }

    /**
     * As {@link #send(String, String, JsonNode, String)}, ending by {@code deadline}: each attempt's timeout is cut to
     * what is left, and no retry is waited for that would end past it.
     */
    Answer send(String method, String target, JsonNode body, String resource, Deadline deadline)
            throws GraphApiException, InterruptedException {
        URI uri = resolve(target);
        String path = uri.getRawPath();
        String what = method + " " + describe(uri);
        String clientRequestId = UUID.randomUUID().toString();
        byte[] payload = body == null ? null : write(body);
        long started = System.nanoTime();
        boolean earlierAttemptMayHaveArrived = false;
        for (int attempt = 1;; attempt++) {
            String token;
            try {
                token = tokenProvider.accessToken(scope);
                if (token == null || token.isBlank()) {
                    throw new IllegalStateException("the token provider " + tokenProvider.getClass().getName()
                                                    + " returned no token");
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                counters.authenticationFailures.incrementAndGet();
                GraphApiException failure = new GraphApiException("No access token for Graph (" + what + "): "
                                                                  + e.getMessage(), 0, null, null, null,
                        clientRequestId, method, path, null, attempt, true, e);
                if (!failure.isTransient()) {
                    throw failed(failure);
                }
                waitBeforeRetry(failure, retryPolicy.backoff(attempt), attempt, started, what, deadline);
                continue;
            }
            Duration timeout = deadline.cap(requestTimeout);
            if (timeout.toMillis() < 1) {
                throw failed(new GraphApiException("No time left for " + what + " before the answer deadline", 0, null,
                        null, null, clientRequestId, method, path, null, attempt, false, null));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .header("client-request-id", clientRequestId)
                    .header("User-Agent", "camel-graph-teams");
            if (payload != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            counters.requests.incrementAndGet();
            long sent = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                counters.transportErrors.incrementAndGet();
                earlierAttemptMayHaveArrived = true;
                GraphApiException failure = new GraphApiException("No answer from Graph to " + what + " ("
                                                                  + e.getClass().getSimpleName()
                                                                  + (e.getMessage() == null ? "" : ": " + e.getMessage())
                                                                  + "); check graphBaseUrl, the network and any proxy",
                        0, null, null, null, clientRequestId, method, path, null, attempt, false, e);
                waitBeforeRetry(failure, retryPolicy.backoff(attempt), attempt, started, what, deadline);
                continue;
            }
            int status = response.statusCode();
            String requestId = response.headers().firstValue("request-id").orElse(null);
            LOG.debug("{} -> {} in {} ms (request-id {}, attempt {})", what, status,
                    (System.nanoTime() - sent) / 1_000_000, requestId, attempt);
            if (status >= 200 && status < 300) {
                return new Answer(status, response.headers(), parseBody(response, what, clientRequestId, method, path,
                        attempt));
            }
            Optional<Duration> retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                    clock);
            GraphApiException failure = GraphErrors.fromAnswer(response, what, resource, scope, clientRequestId,
                    method, path, retryAfter.orElse(null), attempt, earlierAttemptMayHaveArrived);
            Duration wait;
            if (status == 429 || status == 503) {
                (status == 429 ? counters.throttled : counters.unavailable).incrementAndGet();
                wait = retryAfter.isPresent() ? retryAfter.get() : retryPolicy.backoff(attempt);
            } else if (status >= 500) {
                counters.serverErrors.incrementAndGet();
                // a gateway error may come after Graph did the work: a retried create can then meet a 409
                earlierAttemptMayHaveArrived = true;
                wait = retryPolicy.backoff(attempt);
            } else {
                throw failed(failure);
            }
            waitBeforeRetry(failure, wait, attempt, started, what, deadline);
        }
    }

    private void waitBeforeRetry(GraphApiException failure, Duration wait, int attempt, long started, String what,
                                 Deadline deadline) throws GraphApiException, InterruptedException {
        if (attempt >= retryPolicy.maxAttempts()) {
            throw failed(failure.afterAttempts(attempt, "gave up after " + attempt + " attempt"
                                                        + (attempt == 1 ? "" : "s") + " in "
                                                        + seconds(Duration.ofNanos(System.nanoTime() - started))));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Duration realWait = retryPolicy.scaled(wait);
        Duration budget = retryPolicy.scaled(retryPolicy.maxElapsed());
        if (elapsed.plus(realWait).compareTo(budget) > 0) {
            String note = failure.retryAfter().isPresent()
                    ? "Graph asked to wait " + seconds(wait) + ", beyond the retry budget of "
                      + seconds(retryPolicy.maxElapsed()) + "; try again after that"
                    : "gave up after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": the retry budget of "
                      + seconds(retryPolicy.maxElapsed()) + " is spent";
            throw failed(failure.afterAttempts(attempt, note));
        }
        if (deadline.remaining().compareTo(realWait) <= 0) {
            throw failed(failure.afterAttempts(attempt, "no retry: the answer deadline comes first"));
        }
        counters.retries.incrementAndGet();
        LOG.warn("{} failed ({}); retry {} of {} in {} ms", what, shortReason(failure), attempt,
                retryPolicy.maxAttempts() - 1, realWait.toMillis());
        Thread.sleep(realWait.toMillis(), (int) (realWait.toNanos() % 1_000_000));
    }

    private GraphApiException failed(GraphApiException e) {
        counters.failedCalls.incrementAndGet();
        return e;
    }

    private static String shortReason(GraphApiException e) {
        if (e.status() == 0) {
            return e.getCause() == null ? "no answer" : e.getCause().getClass().getSimpleName();
        }
        return e.status() + e.errorCode().map(c -> " " + c).orElse("");
    }

    private JsonNode parseBody(HttpResponse<String> response, String what, String clientRequestId, String method,
                               String path, int attempt) throws GraphApiException {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw failed(new GraphApiException("Graph answered " + response.statusCode() + " to " + what
                                               + " with a body that is not JSON: " + GraphErrors.quote(text),
                    response.statusCode(),
                    null, null, response.headers().firstValue("request-id").orElse(null), clientRequestId, method, path,
                    null, attempt, false, null));
        }
    }

    URI resolve(String target) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("a Graph path is required");
        }
        String t = target.trim();
        if (t.regionMatches(true, 0, "http://", 0, 7) || t.regionMatches(true, 0, "https://", 0, 8)) {
            URI link = URI.create(t);
            if (!sameOrigin(link, root)) {
                throw new IllegalArgumentException("Refusing to send the Graph access token to " + link.getScheme()
                                                   + "://" + link.getAuthority() + ": links must stay on graphBaseUrl "
                                                   + root);
            }
            return link;
        }
        String path = GraphPaths.stripSlashes(t);
        String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (GraphClient.API_VERSIONS.contains(first)) {
            return URI.create(root + "/" + path);
        }
        return URI.create(root + "/" + apiVersion + "/" + path);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
               && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
               && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The path for logs and messages: the query is left out (it may hold $search text and paging tokens). */
    private static String describe(URI uri) {
        return uri.getRawPath();
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Graph request body", e);
        }
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
