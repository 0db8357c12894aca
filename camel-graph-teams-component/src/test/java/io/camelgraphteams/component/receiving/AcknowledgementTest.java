package io.camelgraphteams.component.receiving;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.ReceivingContext.keyStore;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One exchange per notification; 202 only after every exchange of the batch completed, 503 if any failed; decrypt and
 * route on worker threads, never on the Vert.x event loop.
 */
class AcknowledgementTest extends ReceivingTestSupport {

    private String uri(String extra) {
        return ReceivingContext.chatsUri(keyStore(dir), identityPlatform.openIdConfigurationUrl(), extra);
    }

    @Test
    void acknowledges202OnlyAfterEveryExchangeCompleted() throws Exception {
        AtomicInteger completed = new AtomicInteger();
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("")).routeId("graph-teams-test").delay(300).process(e -> completed.incrementAndGet());
            }
        });
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(encryptedItem("m" + i));
        }
        assertThat(receiving.postBatch(batch(items, validToken())).statusCode()).isEqualTo(202);
        // the answer came after the routes finished, not when the batch was read
        assertThat(completed.get()).isEqualTo(5);
    }

    @Test
    void anyFailedExchangeAnswers503SoGraphRedelivers() throws Exception {
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(uri("")).routeId("graph-teams-test")
                        .filter(header(GraphTeamsConstants.MESSAGE_ID).isEqualTo("bad"))
                        .throwException(new IllegalStateException("sink unavailable"))
                        .end()
                        .to("direct:received");
            }
        });
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("good"), encryptedItem("bad")), validToken()))
                .statusCode()).isEqualTo(503);
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("good2")), validToken())).statusCode())
                .isEqualTo(202);
    }

    @Test
    void anExceptionTheRouteHandledStillCountsAsDelivered() throws Exception {
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).handled(true).to("direct:received");
                from(uri("")).routeId("graph-teams-test").throwException(new IllegalStateException("handled"));
            }
        });
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
    }

    @Test
    void itemsAreDecryptedAndRoutedOnWorkerThreadsInParallel() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("workerPoolSize=4")).routeId("graph-teams-test").process(e -> {
                    threads.add(Thread.currentThread().getName());
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.sleep(200);
                    inFlight.decrementAndGet();
                }).to("direct:received");
            }
        });
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            items.add(encryptedItem("p" + i));
        }
        assertThat(receiving.postBatch(batch(items, validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(8);
        assertThat(threads).noneMatch(name -> name.contains("eventloop"));
        assertThat(threads).allMatch(name -> name.contains("GraphTeamsNotifications"));
        assertThat(maxInFlight.get()).isGreaterThan(1).isLessThanOrEqualTo(4);
    }

    @Test
    void aBatchBehindTooLongABacklogIsShedWith503AtOnce() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("maxPendingNotifications=2")).routeId("graph-teams-test")
                        .process(e -> release.await(20, java.util.concurrent.TimeUnit.SECONDS))
                        .to("direct:received");
            }
        });
        java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return receiving.postBatch(batch(List.of(encryptedItem("slow1"), encryptedItem("slow2")), validToken()))
                        .statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        GraphTeamsConsumer consumer = (GraphTeamsConsumer) receiving.context().getRoute("graph-teams-test").getConsumer();
        org.awaitility.Awaitility.await().atMost(10, java.util.concurrent.TimeUnit.SECONDS)
                .until(() -> consumer.getCounters().itemsReceived() == 2);
        long started = System.nanoTime();
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("shed")), validToken())).statusCode()).isEqualTo(503);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
        assertThat(consumer.getCounters().batchesShed()).isEqualTo(1);
        release.countDown();
        assertThat(first.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(202);
        assertThat(receiving.received()).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))
                .containsExactlyInAnyOrder("slow1", "slow2");
        // once the backlog is gone, batches are admitted again
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("after")), validToken())).statusCode()).isEqualTo(202);
    }

    @Test
    void eachNotificationIsItsOwnExchange() throws Exception {
        startChats("");
        receiving.postBatch(batch(List.of(encryptedItem("a"), encryptedItem("b"), encryptedItem("c")), validToken()));
        assertThat(receiving.received()).hasSize(3);
        assertThat(receiving.received()).extracting(e -> e.getExchangeId()).doesNotHaveDuplicates();
    }
}
