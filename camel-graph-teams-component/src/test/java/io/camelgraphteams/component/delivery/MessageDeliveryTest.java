package io.camelgraphteams.component.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.notification.BatchDelivery.Outcome;
import io.camelgraphteams.component.notification.ChangeNotification;
import io.camelgraphteams.component.notification.LifecycleEventListener;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.notification.ReceivedNotification;
import io.camelgraphteams.component.notification.VerifiedBatch;
import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery without HTTP: verified notifications in, exchanges out, through an in-memory idempotent repository and a
 * recording route. One rule per test.
 */
class MessageDeliveryTest {

    private static final String CHAT = "19:chat@thread.v2";
    private static final GraphResource SCOPE = GraphResource.parse("chats/getAllMessages");

    private CamelContext camelContext;
    private final List<Exchange> routed = new CopyOnWriteArrayList<>();
    private final List<ChangeNotification> lifecycleEvents = new CopyOnWriteArrayList<>();
    private final Map<Conversation, Instant> watermarks = new ConcurrentHashMap<>();
    private final NotificationCounters counters = new NotificationCounters();
    private volatile Predicate<Exchange> failing = exchange -> false;
    private volatile CompletableFuture<Void> routeGate = CompletableFuture.completedFuture(null);
    private LifecycleEventListener lifecycleListener = lifecycleEvents::add;
    private DedupGate dedup;

    @BeforeEach
    void startCamel() throws Exception {
        camelContext = new DefaultCamelContext();
        camelContext.start();
        dedup = new DedupGate(MemoryIdempotentRepository.memoryIdempotentRepository(100));
    }

    @AfterEach
    void stopCamel() throws Exception {
        camelContext.close();
    }

    private MessageDelivery delivery(boolean forwardLifecycleEvents) {
        DefaultConsumer consumer = new DefaultConsumer(camelContext.getEndpoint("mock:route"), exchange -> {
            routeGate.join();
            routed.add(exchange.copy());
            if (failing.test(exchange)) {
                throw new IllegalStateException("the sink is down");
            }
        });
        return new MessageDelivery(consumer, Runnable::run, 4, dedup, settings(forwardLifecycleEvents),
                (conversation, changedAt) -> watermarks.merge(conversation, changedAt,
                        (a, b) -> a.isAfter(b) ? a : b),
                event -> lifecycleListener.onLifecycleEvent(event), counters, () -> "sub-managed");
    }

    private static DeliverySettings settings(boolean forwardLifecycleEvents) {
        return new DeliverySettings("ns", SCOPE, Set.of("created", "updated", "deleted"), forwardLifecycleEvents,
                "tenant-1");
    }

    private MessageDelivery delivery() {
        return delivery(false);
    }

    private static ReceivedNotification change(String id, String etag, String modified) {
        ObjectNode json = (ObjectNode) readTree(GraphNotifications.chatMessage(CHAT, id, "hello " + id));
        json.put("etag", etag);
        json.put("lastModifiedDateTime", modified);
        ObjectNode item = GraphNotifications.chatItem("sub-1", "tenant-1", "state", CHAT, id);
        ChangeNotification notification = new ChangeNotification("sub-1", "created", null, "state", "tenant-1",
                item.get("resource").asText(), null, item.get("resourceData"), null, item);
        return new ReceivedNotification(notification, NotifiedResource.parse(notification.resource()).orElseThrow(),
                json.toString(), true);
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return GraphNotifications.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static VerifiedBatch batch(ReceivedNotification... notifications) {
        return new VerifiedBatch(List.of(notifications), 0);
    }

    @Test
    void eachNotificationBecomesAFreshExchangeWithTheNotificationsHeaders() {
        Outcome outcome = delivery().deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z"))).join();

        assertThat(outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(routed).singleElement().satisfies(exchange -> {
            assertThat(exchange.getMessage().getBody(String.class)).contains("\"id\":\"1\"");
            assertThat(exchange.getMessage().getHeaders()).containsEntry(ExchangeHeaders.MESSAGE_ID, "1")
                    .containsEntry(ExchangeHeaders.CHAT_ID, CHAT)
                    .containsEntry(ExchangeHeaders.CHANGE_TYPE, "created")
                    .containsEntry(ExchangeHeaders.SUBSCRIPTION_ID, "sub-1")
                    .containsEntry(ExchangeHeaders.SOURCE, ExchangeHeaders.SOURCE_NOTIFICATION)
                    .containsEntry(ExchangeHeaders.RESOURCE_DATA_INCLUDED, true)
                    .doesNotContainKey(ExchangeHeaders.TEAM_ID);
        });
        assertThat(counters.itemsForwarded()).isEqualTo(1);
    }

    @Test
    void aChangeDeliveredBeforeIsNotRoutedAgain() {
        MessageDelivery delivery = delivery();
        delivery.deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z"))).join();

        Outcome again = delivery.deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z"))).join();

        assertThat(again).as("a duplicate counts as delivered").isEqualTo(Outcome.ACCEPTED);
        assertThat(routed).hasSize(1);
        assertThat(dedup.duplicatesSkipped()).isEqualTo(1);
        assertThat(delivery.deliver(batch(change("1", "e2", "2026-12-01T10:05:00Z"))).join())
                .isEqualTo(Outcome.ACCEPTED);
        assertThat(routed).as("an edit is another change").hasSize(2);
    }

    @Test
    void aCopyArrivingWhileTheFirstIsInTheRouteSharesItsOutcome() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        routeGate = gate;
        MessageDelivery delivery = delivery();
        CompletableFuture<Outcome> first = CompletableFuture.supplyAsync(
                () -> delivery.deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z"))).join());
        org.awaitility.Awaitility.await().until(() -> dedup.inFlight() == 1);

        CompletableFuture<Outcome> copy = delivery.deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z")));

        assertThat(copy).isNotDone();
        gate.complete(null);
        assertThat(first.join()).isEqualTo(Outcome.ACCEPTED);
        assertThat(copy.join()).isEqualTo(Outcome.ACCEPTED);
        assertThat(routed).hasSize(1);
    }

    @Test
    void aFailedExchangeAsksForTheBatchAgainAndLeavesNoKeyBehind() {
        failing = exchange -> true;
        MessageDelivery delivery = delivery();

        assertThat(delivery.deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z"))).join()).isEqualTo(Outcome.RETRY);
        assertThat(watermarks).as("nothing delivered, nothing marked").isEmpty();

        failing = exchange -> false;
        assertThat(delivery.deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z"))).join())
                .isEqualTo(Outcome.ACCEPTED);
        assertThat(routed).as("Graph's redelivery is routed").hasSize(2);
        assertThat(counters.itemsFailed()).isEqualTo(1);
    }

    @Test
    void theWatermarkMovesToTheLatestChangeOnceItsExchangeCompleted() {
        MessageDelivery delivery = delivery();
        delivery.deliver(batch(change("1", "e1", "2026-12-01T10:05:00Z"), change("2", "e2", "2026-12-01T10:01:00Z")))
                .join();

        assertThat(watermarks).containsEntry(Conversation.chat(CHAT), Instant.parse("2026-12-01T10:05:00Z"));
    }

    @Test
    void aBatchWithAnUnopenedItemIsAskedForAgainThoughTheRestWasDelivered() {
        VerifiedBatch batch = new VerifiedBatch(List.of(change("1", "e1", "2026-12-01T10:00:00Z")), 1);

        assertThat(delivery().deliver(batch).join()).isEqualTo(Outcome.RETRY);
        assertThat(routed).hasSize(1);
    }

    @Test
    void aBackfilledMessageIsDeduplicatedAgainstItsLiveNotification() {
        MessageDelivery delivery = delivery();
        ReceivedNotification live = change("1", "e1", "2026-12-01T10:00:00Z");
        ChatMessageFacts facts = ChatMessageFacts.parse(live.body()).orElseThrow();
        NotifiedResource where = live.notified();

        assertThat(delivery.deliverListed(where, facts, live.body(), "created").join()).as("routed").isTrue();
        assertThat(routed.get(0).getMessage().getHeaders())
                .containsEntry(ExchangeHeaders.SOURCE, ExchangeHeaders.SOURCE_BACKFILL)
                .containsEntry(ExchangeHeaders.SUBSCRIPTION_ID, "sub-managed")
                .containsEntry(ExchangeHeaders.TENANT_ID, "tenant-1");
        assertThat(delivery.deliver(batch(live)).join()).isEqualTo(Outcome.ACCEPTED);
        assertThat(routed).as("the late live copy is a duplicate").hasSize(1);
    }

    @Test
    void lifecycleEventsGoToTheListenersAndToTheRouteOnlyWhenForwarded() {
        ChangeNotification event = new ChangeNotification("sub-1", null, "subscriptionRemoved", "state", "tenant-1",
                null, null, null, null, GraphNotifications.lifecycleItem("sub-1", "tenant-1", "state",
                        "subscriptionRemoved"));
        ReceivedNotification received = new ReceivedNotification(event, null, null, false);

        assertThat(delivery(false).deliver(batch(received)).join()).isEqualTo(Outcome.ACCEPTED);
        assertThat(lifecycleEvents).containsExactly(event);
        assertThat(routed).isEmpty();

        assertThat(delivery(true).deliver(batch(received)).join()).isEqualTo(Outcome.ACCEPTED);
        assertThat(routed).singleElement().satisfies(exchange -> {
            assertThat(exchange.getMessage().getHeader(ExchangeHeaders.LIFECYCLE_EVENT))
                    .isEqualTo("subscriptionRemoved");
            assertThat(exchange.getMessage().getBody(String.class)).contains("\"lifecycleEvent\"");
        });
    }

    @Test
    void aLifecycleListenerThatFailsAsksForTheEventAgain() {
        lifecycleListener = event -> {
            throw new IllegalStateException("another instance manages the subscription");
        };
        ChangeNotification event = new ChangeNotification("sub-1", null, "missed", "state", "tenant-1", null, null,
                null, null, GraphNotifications.lifecycleItem("sub-1", "tenant-1", "state", "missed"));

        assertThat(delivery().deliver(batch(new ReceivedNotification(event, null, null, false))).join())
                .isEqualTo(Outcome.RETRY);
    }

    @Test
    void anExchangeMarkedRollbackOnlyIsNotDelivered() {
        DefaultConsumer consumer = new DefaultConsumer(camelContext.getEndpoint("mock:route"),
                exchange -> exchange.setRollbackOnly(true));
        MessageDelivery delivery = new MessageDelivery(consumer, Runnable::run, 4, dedup, settings(false), null,
                event -> { }, counters, () -> null);
        List<Outcome> outcomes = new ArrayList<>();

        outcomes.add(delivery.deliver(batch(change("1", "e1", "2026-12-01T10:00:00Z"))).join());

        assertThat(outcomes).containsExactly(Outcome.RETRY);
    }
}
