package io.camelgraphteams.emulator.delivery;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.delivery.DeliveryRecord.Outcome;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.time.GraphTimings;

/** Graph's slow and drop states of an endpoint, with compressed times and a small sample minimum. */
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

    private void start() throws Exception {
        f = new EmulatorFixture(GraphEmulator.builder().timings(COMPRESSED).endpointHealthMinSamples(2));
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

    @Test
    void slowAnswersPutTheEndpointInSlowStateAndHoldNewNotificationsBack() throws Exception {
        start();
        f.receiver.notificationDelay(() -> Duration.ofMillis(200));
        postAndAwait("slow 1", 1);
        postAndAwait("slow 2", 2);
        f.receiver.notificationDelay(() -> Duration.ZERO);

        long posted = System.nanoTime();
        ChatMessage held = f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "held back"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> f.receiver.notifications("/endpoint").stream()
                .anyMatch(r -> r.body().contains(held.id())));
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(firstAttempts()).anySatisfy(r -> assertThat(r.detail()).startsWith("endpoint in slow state"));
    }

    @Test
    void answersThatNeverComePutTheEndpointInDropStateForThePenalty() throws Exception {
        start();
        f.receiver.notificationDelay(() -> Duration.ofMillis(800));
        postAndAwait("silent 1", 1);
        postAndAwait("silent 2", 2);
        f.receiver.notificationDelay(() -> Duration.ZERO);

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
