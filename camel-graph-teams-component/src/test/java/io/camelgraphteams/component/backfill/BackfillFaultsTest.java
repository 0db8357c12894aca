package io.camelgraphteams.component.backfill;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_BACKFILL;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Faults in the middle of the backfill's work: a run that stops early must not forget the gap of the conversations it
 * did not reach, and a state repository that fails for a while must not end the backfill for good.
 */
class BackfillFaultsTest extends BackfillTestSupport {

    /** A memory state repository that fails every read while told to (a database that is briefly down). */
    static final class FlakyStateRepository extends MemoryStateRepository {
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public String getState(String key) {
            if (down.get()) {
                throw new IllegalStateException("state store unavailable");
            }
            return super.getState(key);
        }
    }

    private static ChatMessage post(String chatId, String text) {
        return graph.emulator().teams().postChatMessage(chatId, NewMessage.text(USER_A, text));
    }

    @Test
    void aRunStoppedByAFailedExchangeKeepsTheGapOfTheConversationsItDidNotReach() throws Exception {
        String otherChat = "19:faults-" + System.nanoTime() + "@thread.v2";
        graph.emulator().teams().createChat(otherChat, "Faults", "group", List.of(USER_A, USER_B), List.of());
        AtomicBoolean failFirstChat = new AtomicBoolean();
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages",
                options(port).set("backfillOverlap", 1000), context -> {
                }, exchange -> {
                    if (failFirstChat.get() && CHAT.equals(exchange.getMessage().getHeader(GraphTeamsConstants.CHAT_ID))) {
                        throw new IllegalStateException("the route refuses messages of the first chat");
                    }
                });
        // the tenant-wide endpoint learns its conversations from deliveries: the first chat is listed first
        ChatMessage firstLive = post(CHAT, "first chat, live");
        awaitArrival(firstLive);
        ChatMessage otherLive = post(otherChat, "other chat, live");
        awaitArrival(otherLive);

        ChatMessage lostInOther = lost(() -> List.of(post(otherChat, "other chat, lost"))).get(0);
        ChatMessage lostInFirst = lost(() -> List.of(post(CHAT, "first chat, lost"))).get(0);
        failFirstChat.set(true);
        assertThatThrownBy(() -> consumer.consumer().backfillNow().get(15, TimeUnit.SECONDS))
                .as("the first chat's exchange fails and stops the run before the other chat")
                .isInstanceOf(ExecutionException.class);
        assertThat(exchangesOf(lostInOther.id())).isEmpty();

        // live traffic moves the other chat's watermark past the lost message by more than the overlap
        Thread.sleep(1500);
        ChatMessage later = post(otherChat, "other chat, later and live");
        awaitArrival(later);
        failFirstChat.set(false);
        consumer.consumer().backfillNow().get(15, TimeUnit.SECONDS);

        assertOnce(lostInFirst, SOURCE_BACKFILL);
        assertOnce(lostInOther, SOURCE_BACKFILL);
        assertNothingDoubled();
    }

    @Test
    void aStateRepositoryOutageNeitherEndsTheSweepsNorWedgesTheBackfill() throws Exception {
        FlakyStateRepository state = new FlakyStateRepository();
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("stateRepository", "#flakyState").set("backfillInterval", 300),
                context -> context.getRegistry().bind("flakyState", state));
        ChatMessage live = post(CHAT, "before the outage");
        awaitArrival(live);

        state.down.set(true);
        // sweeps fall in the outage
        Thread.sleep(1000);
        CompletableFuture<Void> during = consumer.consumer().backfillNow();
        assertThatThrownBy(() -> during.get(15, TimeUnit.SECONDS)).as("a run during the outage fails, and says so")
                .isInstanceOf(ExecutionException.class).hasMessageContaining("state store unavailable");
        state.down.set(false);

        ChatMessage lostAfter = lost(() -> List.of(post(CHAT, "after the outage, lost"))).get(0);
        await("a sweep finds it").atMost(20, TimeUnit.SECONDS).until(() -> !exchangesOf(lostAfter.id()).isEmpty());
        assertOnce(lostAfter, SOURCE_BACKFILL);
        consumer.consumer().backfillNow().get(15, TimeUnit.SECONDS);
        assertNothingDoubled();
    }
}
