package io.camelgraphteams.component.graph;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.component.auth.GraphAuthenticationException;
import io.camelgraphteams.component.auth.GraphTokenProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Graph's throttling and outages (the emulator's chaos switches): 429 and 503 wait for Retry-After, other failures
 * back off, 4xx are not retried, and every call ends within its attempts and time budget.
 */
class GraphRetriesTest extends EmulatorGraphTestSupport {

    private static long millisBetween(RecordingFront.Request first, RecordingFront.Request second) {
        return (second.receivedNanos() - first.receivedNanos()) / 1_000_000;
    }

    @Test
    void throttled429WaitsForRetryAfterCompressedByTheTimeScale() throws Exception {
        emulator.chaos().throttleNextGraphCalls(1, Duration.ofSeconds(4));
        GraphClient client = client(RetryPolicy.defaults().withTimeScale(4));

        client.listSubscriptions();

        List<RecordingFront.Request> calls = graph.requests("GET", "/v1.0/subscriptions");
        assertThat(calls).extracting(RecordingFront.Request::status).containsExactly(429, 200);
        assertThat(millisBetween(calls.get(0), calls.get(1))).as("Retry-After 4 s at time scale 4")
                .isBetween(1000L, 3000L);
        assertThat(client.counters().throttled()).isEqualTo(1);
        assertThat(client.counters().retries()).isEqualTo(1);
    }

    @Test
    void throttled429WaitsTheFullRetryAfterAtRealTime() throws Exception {
        emulator.chaos().throttleNextGraphCalls(1, Duration.ofSeconds(1));
        GraphClient client = client(RetryPolicy.defaults());

        client.listSubscriptions();

        List<RecordingFront.Request> calls = graph.requests("GET", "/v1.0/subscriptions");
        assertThat(calls).hasSize(2);
        assertThat(millisBetween(calls.get(0), calls.get(1))).isGreaterThanOrEqualTo(1000L);
    }

    @Test
    void unavailable503IsRetriedUntilGraphAnswers() throws Exception {
        emulator.chaos().failNextGraphCalls(2);
        GraphClient client = client(quickRetries());

        Subscription created = client.createSubscription(allChatMessages().build());

        assertThat(created.id()).isNotBlank();
        assertThat(graph.requests("POST", "/v1.0/subscriptions")).extracting(RecordingFront.Request::status)
                .containsExactly(503, 503, 201);
        assertThat(client.counters().unavailable()).isEqualTo(2);
        assertThat(client.counters().retries()).isEqualTo(2);
        assertThat(client.counters().failedCalls()).isZero();
    }

    @Test
    void badRequest400IsNotRetriedAndCarriesGraphsMessage() {
        GraphClient client = client(quickRetries());
        Instant beyondTheMaximum = Instant.now().plus(Duration.ofDays(5));

        GraphApiException e = catchThrowableOfType(GraphApiException.class,
                () -> client.createSubscription(allChatMessages().expirationDateTime(beyondTheMaximum).build()));

        assertThat(e.isBadRequest()).isTrue();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.graphMessage()).hasValueSatisfying(m -> assertThat(m).contains("beyond allowed max '3.00:00:00'"));
        assertThat(e.requestId()).isPresent();
        assertThat(e.getMessage()).startsWith("Graph answered 400 ").contains("to POST /v1.0/subscriptions: Expiration time")
                .contains("(request-id " + e.requestId().orElseThrow() + ")");
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(graph.requests("POST", "/v1.0/subscriptions")).hasSize(1);
        assertThat(client.counters().retries()).isZero();
    }

    @Test
    void retriesEndAfterMaxAttempts() {
        emulator.chaos().failNextGraphCalls(10);
        GraphClient client = client(quickRetries().withMaxAttempts(3));

        GraphApiException e = catchThrowableOfType(GraphApiException.class, client::listSubscriptions);

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.getMessage()).contains("ServiceUnavailable").contains("gave up after 3 attempts");
        assertThat(graph.requests("GET", "/v1.0/subscriptions")).hasSize(3);
        assertThat(client.counters().failedCalls()).isEqualTo(1);
    }

    @Test
    void retryAfterBeyondTheTimeBudgetEndsTheCallAtOnce() {
        emulator.chaos().throttleNextGraphCalls(1, Duration.ofSeconds(300));
        GraphClient client = client(RetryPolicy.defaults());
        long started = System.nanoTime();

        GraphApiException e = catchThrowableOfType(GraphApiException.class, client::listSubscriptions);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(e.isThrottled()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(300));
        assertThat(e.getMessage()).contains("Graph asked to wait 300 s, beyond the retry budget of 120 s");
        assertThat(graph.requests("GET", "/v1.0/subscriptions")).hasSize(1);
    }

    @Test
    void connectionFailuresBackOffAndEndWithinTheAttempts() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        GraphClient client = GraphClient.builder().graphBaseUrl("http://127.0.0.1:" + closedPort).tokenProvider(tokens)
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(3).withBackoff(Duration.ofMillis(100),
                        Duration.ofSeconds(1)))
                .build();
        long started = System.nanoTime();

        GraphApiException e = catchThrowableOfType(GraphApiException.class, client::listSubscriptions);

        assertThat(e.status()).isZero();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).startsWith("No answer from Graph to GET /v1.0/subscriptions")
                .contains("gave up after 3 attempts");
        assertThat(client.counters().transportErrors()).isEqualTo(3);
        assertThat(client.counters().retries()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("backoff 50-100 ms, then 100-200 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void refusedCredentialsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        GraphTokenProvider refused = scope -> {
            calls.incrementAndGet();
            throw new GraphAuthenticationException("Microsoft identity platform refused the client credentials for "
                                                   + "clientId x: AADSTS7000215, check clientSecret", "x",
                    "invalid_client", 7000215, 401, false, null);
        };
        GraphClient client = client(refused, quickRetries());

        GraphApiException e = catchThrowableOfType(GraphApiException.class, client::listSubscriptions);

        assertThat(e.isAuthenticationFailure()).isTrue();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).startsWith("No access token for Graph (GET /v1.0/subscriptions): ")
                .contains("check clientSecret");
        assertThat(calls).hasValue(1);
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void transientTokenFailuresAreRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GraphTokenProvider flaky = scope -> {
            if (calls.incrementAndGet() == 1) {
                throw new GraphAuthenticationException("identity platform answered 503", "x", null, null, 503, true,
                        null);
            }
            return tokens.accessToken(scope);
        };
        GraphClient client = client(flaky, quickRetries());

        client.listSubscriptions();

        assertThat(calls).hasValue(2);
        assertThat(client.counters().authenticationFailures()).isEqualTo(1);
        assertThat(graph.requests("GET", "/v1.0/subscriptions")).hasSize(1);
    }

    @Test
    void refusedTokenIsUnauthorizedAndNotRetried() {
        GraphClient client = client(scope -> "not.a-valid.token", quickRetries());

        GraphApiException e = catchThrowableOfType(GraphApiException.class, client::listSubscriptions);

        assertThat(e.isUnauthorized()).isTrue();
        assertThat(e.errorCode()).contains("InvalidAuthenticationToken");
        assertThat(e.getMessage()).contains("The access token was refused").doesNotContain("not.a-valid.token");
        assertThat(graph.requests()).hasSize(1);
    }
}
