package io.camelgraphteams.component.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.graph.GraphApiException;
import io.camelgraphteams.component.graph.RetryPolicy;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.RawHttp;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures the consumer meets outside a route (a reconcile, a backfill, a Graph call) reach the consumer's
 * ExceptionHandler, as with any Camel consumer: a custom one through the endpoint option {@code exceptionHandler}, the
 * route's error handler with {@code bridgeErrorHandler=true}. Exchanges that failed in the route are not handed to it
 * again, and refused requests never are.
 */
class ConsumerExceptionHandlerTest {

    static EmulatedGraph graph;

    @TempDir
    static Path dir;

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private ManagedConsumer consumer;

    @BeforeAll
    static void startGraph() {
        graph = EmulatedGraph.start();
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        graph.emulator().chaos().reset();
        graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
    }

    private final ExceptionHandler recorder = new ExceptionHandler() {
        @Override
        public void handleException(Throwable exception) {
            handled.add(String.valueOf(exception.getMessage()));
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handled.add(message);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            handled.add(message);
        }
    };

    /** A managing consumer of one chat whose Graph calls are tried once: a 5xx fails the call at once. */
    private ManagedConsumer start(ManagedConsumer.Options options, org.apache.camel.Processor step) throws Exception {
        int port = ReceivingContext.freePort();
        return ManagedConsumer.start(graph, port, "chats/" + EmulatedGraph.CHAT + "/messages",
                options.copy().set("notificationUrl", "http://localhost:" + port + "/graph/notifications")
                        .set("lifecycleNotificationUrl", "http://localhost:" + port + "/graph/lifecycle"),
                context -> {
                    context.getRegistry().bind("recorder", recorder);
                    context.getRegistry().bind("oneTry", RetryPolicy.none());
                }, step);
    }

    /** A short lifetime: a failed first reconcile is retried within a second, not after minutes. */
    private static ManagedConsumer.Options options() {
        return ManagedConsumer.options(graph, 0, dir).set("subscriptionLifetime", "10m").set("renewBefore", "8s");
    }

    @Test
    void aFailedReconcileAndAFailedBackfillReachACustomExceptionHandler() throws Exception {
        graph.emulator().chaos().failNextGraphCalls(1);

        consumer = start(options().set("exceptionHandler", "#recorder"), exchange -> { });

        await().atMost(30, TimeUnit.SECONDS).until(() -> consumer.status().subscriptionId() != null);
        assertThat(handled).anyMatch(message -> message.contains("reconcile failed"));

        graph.emulator().chaos().failNextGraphCalls(1);
        assertThat(consumer.consumer().backfillNow()).failsWithin(30, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> handled.stream().anyMatch(message -> message.startsWith("Backfill (requested) failed")));
    }

    @Test
    void anExchangeThatFailedInTheRouteIsNotHandedToTheExceptionHandler() throws Exception {
        consumer = start(options().set("exceptionHandler", "#recorder"), exchange -> {
            throw new IllegalStateException("the sink is down");
        });
        await().atMost(30, TimeUnit.SECONDS).until(() -> consumer.status().subscriptionId() != null);

        graph.emulator().teams().postChatMessage(EmulatedGraph.CHAT, NewMessage.text(EmulatedGraph.USER_A, "hello"));

        await().atMost(30, TimeUnit.SECONDS).until(() -> consumer.consumer().getCounters().itemsFailed() > 0);
        assertThat(handled).as("the route's own error handler saw it; Graph redelivers the batch").isEmpty();
    }

    @Test
    void withBridgeErrorHandlerAnAnonymousPostInjectsNoExchangeButAGraphFailureDoes() throws Exception {
        List<Exchange> created = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        EventNotifierSupport exchanges = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCreatedEvent createdEvent) {
                    created.add(createdEvent.getExchange());
                } else if (event instanceof CamelEvent.ExchangeFailedEvent failed) {
                    failures.add(failed.getExchange().getException());
                }
            }
        };
        graph.emulator().chaos().failNextGraphCalls(1);
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + EmulatedGraph.CHAT + "/messages",
                options().set("bridgeErrorHandler", "true")
                        .set("notificationUrl", "http://localhost:" + port + "/graph/notifications")
                        .set("lifecycleNotificationUrl", "http://localhost:" + port + "/graph/lifecycle"),
                context -> {
                    context.getRegistry().bind("oneTry", RetryPolicy.none());
                    context.getManagementStrategy().addEventNotifier(exchanges);
                });
        await().atMost(30, TimeUnit.SECONDS).until(() -> consumer.status().subscriptionId() != null);
        assertThat(failures).as("the reconcile failure was bridged into the route's error handler")
                .anyMatch(failure -> failure instanceof GraphApiException);
        int before = created.size();

        for (String body : List.of("not json", "{\"value\":[]", "{\"value\":[{\"changeType\":\"created\"}]}")) {
            RawHttp.Response response = RawHttp.send(port, RawHttp.Request.post("/graph/notifications",
                    "application/json", body.getBytes(StandardCharsets.UTF_8)), 10_000);
            assertThat(response.status()).isEqualTo(400);
        }
        RawHttp.Response wrongType = RawHttp.send(port, RawHttp.Request.post("/graph/notifications", "text/html",
                "<p>hi</p>".getBytes(StandardCharsets.UTF_8)), 10_000);
        assertThat(wrongType.status()).isEqualTo(415);

        assertThat(created).as("refused requests never become exchanges").hasSize(before);
    }
}
