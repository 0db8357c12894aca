package io.camelgraphteams.emulator.delivery;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.delivery.DeliveryRecord.Outcome;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.time.GraphTimings;

/** Graph's delivery policy with compressed times: a non-2xx or a slow answer is retried with exponential backoff. */
class RetryPolicyTest {

    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final GraphTimings COMPRESSED = EmulatorFixture.fastTimings()
            .withDeliveryTimeout(Duration.ofMillis(300))
            .withRetryRequestTimeout(Duration.ofSeconds(1))
            .withRetryBackoff(BACKOFF, Duration.ofSeconds(2))
            .withRetryWindow(Duration.ofSeconds(10));

    private static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(COMPRESSED);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clean() {
        f.deleteAllSubscriptions();
        f.receiver.reset();
        f.emulator.timings(COMPRESSED);
    }

    private void subscribe(String path) {
        ObjectNode body = f.subscription("/chats/" + CHAT + "/messages", "created");
        body.put("notificationUrl", f.receiver.url(path));
        f.create(body);
    }

    private List<DeliveryRecord> attemptsTo(String path) {
        return f.emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION).stream()
                .filter(r -> r.url().equals(f.receiver.url(path))).toList();
    }

    @Test
    void non2xxAnswersAreRetriedWithDoublingBackoff() {
        subscribe("/flaky");
        int[] statuses = { 500, 500, 503, 202 };
        // keyed on the attempts the emulator has logged to /flaky, not on requests seen: the receiver's status supplier
        // also answers late retries still in flight to the previous tests' paths
        f.receiver.notificationStatus(() -> statuses[Math.min(attemptsTo("/flaky").size(), 3)]);
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "retry me"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> attemptsTo("/flaky").stream().anyMatch(DeliveryRecord::delivered));
        List<DeliveryRecord> attempts = attemptsTo("/flaky");
        assertThat(attempts).extracting(DeliveryRecord::attempt).containsExactly(1, 2, 3, 4);
        assertThat(attempts).extracting(DeliveryRecord::status).containsExactly(500, 500, 503, 202);
        assertThat(attempts).extracting(DeliveryRecord::deliveryId).containsOnly(attempts.get(0).deliveryId());
        for (int i = 1; i < attempts.size(); i++) {
            long gap = Duration.between(attempts.get(i - 1).sentAt(), attempts.get(i).sentAt()).toMillis();
            long backoff = BACKOFF.toMillis() << (i - 1);
            assertThat(gap).as("gap before attempt %d", i + 1).isBetween(backoff, backoff + 1500);
        }
        assertThat(f.receiver.notifications("/flaky")).extracting(r -> r.body()).containsOnly(attempts.get(0).body());
    }

    @Test
    void a2xxSlowerThanTheDeliveryTimeoutCountsAsFailedAndIsRetried() {
        subscribe("/slow");
        AtomicInteger calls = new AtomicInteger();
        f.receiver.notificationDelay(() -> calls.getAndIncrement() == 0 ? Duration.ofMillis(600) : Duration.ZERO);
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "slow"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> attemptsTo("/slow").stream().anyMatch(DeliveryRecord::delivered));
        List<DeliveryRecord> attempts = attemptsTo("/slow");
        assertThat(attempts).extracting(DeliveryRecord::outcome).containsExactly(Outcome.FAILED, Outcome.DELIVERED);
        assertThat(attempts.get(0).status()).isEqualTo(202);
        assertThat(attempts.get(0).elapsedMillis()).isGreaterThanOrEqualTo(600L);
        assertThat(attempts.get(0).detail()).contains("over the 300 ms delivery timeout");
        assertThat(f.receiver.notifications("/slow")).hasSize(2);
    }

    @Test
    void noAnswerWithinTheRetryTimeoutIsTimedOutAndRetried() {
        subscribe("/silent");
        AtomicInteger calls = new AtomicInteger();
        f.receiver.notificationDelay(() -> calls.getAndIncrement() == 0 ? Duration.ofMillis(2000) : Duration.ZERO);
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "silent"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> attemptsTo("/silent").stream().anyMatch(DeliveryRecord::delivered));
        List<DeliveryRecord> attempts = attemptsTo("/silent");
        assertThat(attempts).extracting(DeliveryRecord::outcome).containsExactly(Outcome.TIMED_OUT, Outcome.DELIVERED);
        assertThat(attempts.get(0).status()).isZero();
        assertThat(attempts.get(0).elapsedMillis()).isBetween(990L, 1990L);
    }

    @Test
    void retriesStopWhenTheRetryWindowIsUsedUp() {
        f.emulator.timings(COMPRESSED.withRetryWindow(Duration.ofSeconds(1)));
        subscribe("/down");
        f.receiver.notificationStatus(() -> 500);
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "never delivered"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> attemptsTo("/down").stream()
                .anyMatch(r -> r.outcome() == Outcome.GAVE_UP));
        // attempts at ~0, ~200 and ~600 ms; the next would start at ~1400 ms, past the 1 s window
        assertThat(attemptsTo("/down")).extracting(DeliveryRecord::outcome)
                .containsExactly(Outcome.FAILED, Outcome.FAILED, Outcome.FAILED, Outcome.GAVE_UP);
    }

    @Test
    void retriesStopWhenTheSubscriptionIsGone() {
        subscribe("/gone");
        f.receiver.notificationStatus(() -> 500);
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "orphan"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> !attemptsTo("/gone").isEmpty());
        f.deleteAllSubscriptions();

        await().atMost(10, TimeUnit.SECONDS).until(() -> attemptsTo("/gone").stream()
                .anyMatch(r -> r.outcome() == Outcome.ABANDONED));
    }

    @Test
    void anUnreachableEndpointIsRetriedLikeAFailure() {
        subscribe("/later");
        f.emulator.subscriptions().live().forEach(s -> f.emulator.subscriptions()
                .replace(s.withNotificationUrl("http://localhost:1/closed")));
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "nobody home"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> f.emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION)
                .stream().filter(r -> r.url().equals("http://localhost:1/closed")).count() >= 2);
        assertThat(f.emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION).stream()
                .filter(r -> r.url().equals("http://localhost:1/closed")).toList())
                .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT));
    }
}
