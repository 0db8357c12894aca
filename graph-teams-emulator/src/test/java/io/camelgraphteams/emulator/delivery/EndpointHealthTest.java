package io.camelgraphteams.emulator.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.delivery.DeliveryRecord.Outcome;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graph's slow and drop states of an endpoint, as documented: once the window holds the minimum of answers, 10 % of
 * them slower than 29/30 of the delivery timeout (2,900 ms of 3 s) throttle the endpoint, 15 % drop its notifications.
 * Compressed times and a minimum of 20 answers.
 */
class EndpointHealthTest {

    private static final GraphTimings COMPRESSED = EmulatorFixture.fastTimings()
            .withDeliveryTimeout(Duration.ofMillis(100))
            .withRetryRequestTimeout(Duration.ofMillis(400))
            .withRetryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30))
            .withEndpointHealthWindow(Duration.ofSeconds(30))
            .withSlowStatePenalty(Duration.ofMillis(1500))
            .withDropStatePenalty(Duration.ofMillis(1500));

    private EmulatorFixture f;

    @AfterEach
    void stop() {
        f.close();
    }

    private static final int MIN_SAMPLES = 20;

    private void start() throws Exception {
        f = new EmulatorFixture(GraphEmulator.builder().timings(COMPRESSED).endpointHealthMinSamples(MIN_SAMPLES));
        ObjectNode body = f.subscription("/chats/" + CHAT + "/messages", "created");
        body.put("notificationUrl", f.receiver.url("/endpoint"));
        f.create(body);
    }

    private List<DeliveryRecord> firstAttempts() {
        return f.emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION).stream()
                .filter(r -> r.attempt() == 1).toList();
    }

    private void postAndAwait(String text, int records) {
        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, text));
        await().atMost(10, TimeUnit.SECONDS).until(() -> firstAttempts().size() >= records);
    }

    /** {@code slow} slow answers (200 ms, over the 96 ms that count as on time), then fast ones to the minimum. */
    private void answers(int slow, Duration slowness) {
        f.receiver.notificationDelay(() -> slowness);
        for (int i = 1; i <= slow; i++) {
            postAndAwait("slow " + i, i);
        }
        f.receiver.notificationDelay(() -> Duration.ZERO);
        for (int i = slow + 1; i <= MIN_SAMPLES; i++) {
            postAndAwait("fast " + i, i);
        }
    }

    @Test
    void tenPercentSlowAnswersPutTheEndpointInSlowStateAndHoldNewNotificationsBack() throws Exception {
        start();
        answers(2, Duration.ofMillis(200));
        assertThat(f.emulator.endpointJudgements()).singleElement()
                .satisfies(j -> assertThat(j.throttled()).isEqualTo(1))
                .satisfies(j -> assertThat(j.dropping()).isZero())
                .satisfies(j -> assertThat(j.slowAnswers()).isEqualTo(2));

        long posted = System.nanoTime();
        ChatMessage held = f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "held back"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> f.receiver.notifications("/endpoint").stream()
                .anyMatch(r -> r.body().contains(held.id())));
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(firstAttempts()).anySatisfy(r -> assertThat(r.detail()).startsWith("endpoint in slow state"));
    }

    @Test
    void nineteenFastAnswersAndOneSlowChangeNothing() throws Exception {
        start();
        answers(1, Duration.ofMillis(200));

        assertThat(f.emulator.endpointJudgements()).singleElement()
                .satisfies(j -> assertThat(j.throttled()).isZero())
                .satisfies(j -> assertThat(j.dropping()).isZero())
                .satisfies(j -> assertThat(j.slowAnswers()).isEqualTo(1));
    }

    @Test
    void fifteenPercentAnswersThatNeverComePutTheEndpointInDropStateForThePenalty() throws Exception {
        start();
        answers(3, Duration.ofMillis(800));
        assertThat(f.emulator.endpointJudgements()).singleElement()
                .satisfies(j -> assertThat(j.dropping()).isEqualTo(1));

        ChatMessage lost = f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "dropped"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> firstAttempts().stream()
                .anyMatch(r -> r.outcome() == Outcome.DROPPED && r.body().contains(lost.id())));
        assertThat(firstAttempts()).filteredOn(r -> r.outcome() == Outcome.DROPPED)
                .allSatisfy(r -> assertThat(r.detail()).startsWith("endpoint in drop state"));

        await().pollDelay(1600, TimeUnit.MILLISECONDS).atMost(10, TimeUnit.SECONDS).until(() -> true);
        ChatMessage later = f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "after the penalty"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> f.receiver.notifications("/endpoint").stream()
                .anyMatch(r -> r.body().contains(later.id())));
        assertThat(f.receiver.notifications("/endpoint")).noneMatch(r -> r.body().contains(lost.id()));
    }
}
