package io.camelgraphteams.component.backfill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;
import org.apache.camel.Exchange;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_BACKFILL;
import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_NOTIFICATION;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6, nothing lost: what Graph did not deliver during a gap arrives once, with source=backfill, after
 * subscriptionRemoved (messages posted while no subscription existed), missed, and a restart (watermarks in a
 * FileStateRepository, delivered keys in a FileIdempotentRepository); and even the first message of a new endpoint is
 * found.
 */
class BackfillGapTest extends BackfillTestSupport {

    private static TeamsStore teams() {
        return graph.emulator().teams();
    }

    private static ChatMessage post(String text) {
        return teams().postChatMessage(CHAT, NewMessage.text(USER_A, text));
    }

    @Test
    void messagesPostedWhileNoSubscriptionExistedArriveOnceAfterSubscriptionRemoved() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages", options(port));
        ChatMessage before = post("before the removal");
        awaitArrival(before);
        String removed = consumer.subscriptionId();

        // Graph removes the subscription now and tells the consumer a little later: in between nothing is delivered
        graph.emulator().chaos().delayDeliveries(Duration.ofMillis(800));
        graph.emulator().sendLifecycleEvent(removed, LifecycleEvent.SUBSCRIPTION_REMOVED);
        List<ChatMessage> unsubscribed = List.of(post("while unsubscribed 1"), post("while unsubscribed 2"),
                post("while unsubscribed 3"));

        await().atMost(15, TimeUnit.SECONDS).until(() -> unsubscribed.stream().allMatch(m -> !exchangesOf(m.id()).isEmpty()));
        assertThat(consumer.subscriptionId()).isNotEqualTo(removed);
        for (ChatMessage m : unsubscribed) {
            Exchange e = assertOnce(m, SOURCE_BACKFILL);
            assertThat(e.getMessage().getBody(String.class)).contains(m.content());
            assertThat(e.getMessage().getHeader(GraphTeamsConstants.SUBSCRIPTION_ID)).isEqualTo(consumer.subscriptionId());
        }
        // the message delivered before the gap was listed again (it is within the overlap) and skipped
        assertOnce(before, SOURCE_NOTIFICATION);
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.consumer().getBackfillStatus().runs() >= 1);
        assertThat(consumer.consumer().getDuplicatesSkipped()).isGreaterThanOrEqualTo(1);
        assertThat(consumer.consumer().getBackfillStatus().backfilledMessages()).isEqualTo(3);
        assertNothingDoubled();
    }

    @Test
    void messagesPostedWhileTheSubscriptionHadLapsedArriveAfterItIsRecreated() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("subscriptionLifetime", "10s").set("renewBefore", "8s"));
        // Graph forgets the subscription without a word: the renewal due in about 2 s meets 404
        graph.emulator().subscriptions().remove(consumer.subscriptionId());
        List<ChatMessage> lapsed = List.of(post("while lapsed 1"), post("while lapsed 2"));

        await().atMost(15, TimeUnit.SECONDS).until(() -> lapsed.stream().allMatch(m -> !exchangesOf(m.id()).isEmpty()));
        assertThat(consumer.gaps()).extracting(ManagedConsumer.Gap::reason)
                .containsExactly(io.camelgraphteams.component.subscription.SubscriptionGapListener.Reason.LAPSED);
        lapsed.forEach(m -> assertOnce(m, SOURCE_BACKFILL));
        assertThat(consumer.received()).hasSize(2);
    }

    @Test
    void missedChangesArriveOnceWithTheChangeTypeTheirNotificationHad() throws Exception {
        int port = ReceivingContext.freePort();
        // tenant-wide: the chat is known from the message delivered before the gap
        consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages", options(port));
        ChatMessage toEdit = post("to be edited");
        ChatMessage toDelete = post("to be deleted");
        awaitArrival(toEdit);
        awaitArrival(toDelete);

        List<ChatMessage> missed = lost(() -> List.of(post("missed 1"),
                teams().postChatMessage(CHAT, NewMessage.text(USER_B, "missed 2")),
                teams().editMessage(toEdit.id(), "edited while missed"),
                teams().deleteMessage(toDelete.id())));
        graph.emulator().sendLifecycleEvent(consumer.subscriptionId(), LifecycleEvent.MISSED);

        missed.forEach(this::awaitArrival);
        Exchange first = assertOnce(missed.get(0), SOURCE_BACKFILL);
        assertThat(first.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE)).isEqualTo("created");
        assertThat(first.getMessage().getHeader(GraphTeamsConstants.CHAT_ID)).isEqualTo(CHAT);
        assertThat(first.getMessage().getHeader(GraphTeamsConstants.RESOURCE)).isEqualTo(missed.get(0).resourcePath());
        assertThat(first.getMessage().getHeader(GraphTeamsConstants.TENANT_ID)).isEqualTo(graph.emulator().tenantId());
        assertThat(first.getMessage().getHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED)).isEqualTo(true);
        assertOnce(missed.get(1), SOURCE_BACKFILL);
        Exchange edit = assertOnce(missed.get(2), SOURCE_BACKFILL);
        assertThat(edit.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE)).isEqualTo("updated");
        assertThat(edit.getMessage().getBody(String.class)).contains("edited while missed");
        Exchange delete = assertOnce(missed.get(3), SOURCE_BACKFILL);
        assertThat(delete.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE)).isEqualTo("deleted");
        assertOnce(toEdit, SOURCE_NOTIFICATION);
        assertOnce(toDelete, SOURCE_NOTIFICATION);
        assertNothingDoubled();
        assertThat(consumer.gaps()).extracting(ManagedConsumer.Gap::reason)
                .containsExactly(io.camelgraphteams.component.subscription.SubscriptionGapListener.Reason.MISSED);
    }

    @Test
    void aRestartBackfillsWhatWasLostWhileDownAndSkipsWhatWasDelivered() throws Exception {
        Path stateFile = dir.resolve("restart-state.txt");
        Path dedupFile = dir.resolve("restart-dedup.txt");
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = options(port).set("stateRepository", "#state")
                .set("idempotentRepository", "#dedup");
        java.util.function.Consumer<org.apache.camel.CamelContext> durable = context -> {
            context.getRegistry().bind("state", FileStateRepository.fileStateRepository(stateFile.toFile()));
            context.getRegistry().bind("dedup", FileIdempotentRepository.fileIdempotentRepository(dedupFile.toFile()));
        };
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages", options, durable);
        List<ChatMessage> delivered = List.of(post("delivered 1"), post("delivered 2"));
        delivered.forEach(this::awaitArrival);
        consumer.close();
        assertThat(Files.readString(stateFile)).as("the watermark was written at stop").contains(".watermark.chat:" + CHAT);

        // while the application is down, Graph loses the notifications (its drop state)
        List<ChatMessage> whileDown = lost(() -> List.of(post("while down 1"), post("while down 2"),
                post("while down 3")));

        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages", options, durable);
        await().atMost(15, TimeUnit.SECONDS).until(() -> whileDown.stream().allMatch(m -> !exchangesOf(m.id()).isEmpty()));
        whileDown.forEach(m -> assertOnce(m, SOURCE_BACKFILL));
        assertThat(consumer.received()).as("nothing delivered before the stop comes again").hasSize(3);
        assertThat(consumer.consumer().getDuplicatesSkipped()).as("listed again within the overlap, and skipped")
                .isEqualTo(2);
        assertThat(consumer.consumer().getBackfillStatus().runs()).isEqualTo(1);
    }

    @Test
    void aSingleChatEndpointFindsEvenItsFirstLostMessage() throws Exception {
        int port = ReceivingContext.freePort();
        ChatMessage beforeTheEndpointExisted = post("before the endpoint existed");
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages", options(port));

        List<ChatMessage> first = lost(() -> List.of(post("the very first message")));
        consumer.consumer().backfillNow().get(15, TimeUnit.SECONDS);

        assertOnce(first.get(0), SOURCE_BACKFILL);
        assertThat(exchangesOf(beforeTheEndpointExisted.id())).as("nothing before the endpoint's first start").isEmpty();
        assertThat(consumer.received()).hasSize(1);
    }
}
