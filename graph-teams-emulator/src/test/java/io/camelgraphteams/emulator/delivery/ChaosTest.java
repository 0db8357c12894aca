package io.camelgraphteams.emulator.delivery;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.GraphClient.Answer;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;

/** Each chaos switch: duplicate, drop and delay on deliveries; 429, 503 and slow answers on Graph calls. */
class ChaosTest {

    private static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(EmulatorFixture.fastTimings());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clean() {
        f.emulator.chaos().reset();
        f.deleteAllSubscriptions();
    }

    private void subscribe(String path) {
        ObjectNode body = f.subscription("/chats/" + CHAT + "/messages", "created");
        body.put("notificationUrl", f.receiver.url(path));
        f.create(body);
    }

    @Test
    void duplicateSendsTheSameBatchTwice() {
        subscribe("/dup");
        f.emulator.chaos().duplicateDeliveries(1.0);
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "twice"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> f.receiver.notifications("/dup").size() == 2);
        assertThat(f.receiver.notifications("/dup").get(0).body()).isEqualTo(f.receiver.notifications("/dup").get(1).body());
        await().atMost(5, TimeUnit.SECONDS).until(() -> f.emulator.deliveryLog().records().stream()
                .anyMatch(r -> r.duplicate() && r.url().endsWith("/dup") && r.delivered()));
    }

    @Test
    void duplicatesAtOnceAreInFlightTogether() {
        subscribe("/dup-at-once");
        // each answer takes a second: a copy sent after the first's answer would come a second later
        f.receiver.notificationDelay(() -> Duration.ofSeconds(1));
        try {
            f.emulator.chaos().duplicateDeliveries(1.0).duplicatesAtOnce(true);
            f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "twice at once"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> f.receiver.notifications("/dup-at-once").size() == 2);
            Instant first = f.receiver.notifications("/dup-at-once").get(0).at();
            Instant second = f.receiver.notifications("/dup-at-once").get(1).at();
            assertThat(Duration.between(first, second).abs()).as("both copies arrived before either was answered")
                    .isLessThan(Duration.ofMillis(700));
            assertThat(f.emulator.chaos().toJson().get("duplicatesAtOnce").asBoolean()).isTrue();
            assertThat(f.emulator.chaos().reset().duplicatesAtOnce()).isFalse();
        } finally {
            f.receiver.reset();
        }
    }

    @Test
    void dropNeverSendsTheBatch() {
        subscribe("/drop");
        f.emulator.chaos().dropDeliveries(1.0);
        ChatMessage dropped = f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "lost"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> f.emulator.deliveryLog().records().stream()
                .anyMatch(r -> r.outcome() == DeliveryRecord.Outcome.DROPPED && r.body().contains(dropped.id())));
        f.emulator.chaos().reset();
        ChatMessage marker = f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "found"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> !f.receiver.notifications("/drop").isEmpty());
        assertThat(f.receiver.notifications("/drop")).hasSize(1);
        assertThat(f.receiver.notifications("/drop").get(0).body()).contains(marker.id()).doesNotContain(dropped.id());
    }

    @Test
    void delayHoldsTheFirstAttempt() {
        subscribe("/delay");
        f.emulator.chaos().delayDeliveries(Duration.ofMillis(800));
        Instant posted = Instant.now();
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "late"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> !f.receiver.notifications("/delay").isEmpty());
        assertThat(Duration.between(posted, f.receiver.notifications("/delay").get(0).at())).isGreaterThanOrEqualTo(
                Duration.ofMillis(800));
    }

    @Test
    void throttleAnswers429WithRetryAfterThenRecovers() {
        f.emulator.chaos().throttleNextGraphCalls(1, Duration.ofSeconds(7));

        Answer throttled = f.graph.get("/subscriptions");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.errorCode()).isEqualTo("TooManyRequests");
        assertThat(throttled.raw().headers().firstValue("Retry-After")).contains("7");
        assertThat(f.graph.get("/subscriptions").status()).isEqualTo(200);
    }

    @Test
    void throttleByProbabilityHitsEveryCallAtOne() {
        f.emulator.chaos().throttleGraphCalls(1.0, Duration.ofSeconds(2));
        assertThat(f.graph.get("/subscriptions").status()).isEqualTo(429);
        assertThat(f.graph.get("/chats/" + CHAT + "/messages").status()).isEqualTo(429);
    }

    @Test
    void unavailableAnswers503ThenRecovers() {
        f.emulator.chaos().failNextGraphCalls(2);

        Answer first = f.graph.get("/subscriptions");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.errorCode()).isEqualTo("ServiceUnavailable");
        assertThat(f.graph.post("/subscriptions", "{}").status()).isEqualTo(503);
        assertThat(f.graph.get("/subscriptions").status()).isEqualTo(200);
    }

    @Test
    void slowGraphAnswers() {
        f.emulator.chaos().delayGraphResponses(Duration.ofMillis(600));
        long started = System.nanoTime();
        assertThat(f.graph.get("/subscriptions").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void chaosDoesNotTouchTheControlApiOrIdentity() {
        f.emulator.chaos().throttleGraphCalls(1.0, Duration.ofSeconds(1));
        assertThat(new io.camelgraphteams.emulator.support.GraphClient(f.emulator.controlUrl(), null).get("/chaos").status())
                .isEqualTo(200);
    }
}
