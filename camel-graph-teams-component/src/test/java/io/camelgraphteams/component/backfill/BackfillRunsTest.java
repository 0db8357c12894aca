package io.camelgraphteams.component.backfill;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_BACKFILL;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * When backfills run: at most one at a time, triggers during a run merged into one follow-up; on a schedule
 * (backfillInterval), which finds what Graph dropped without any lifecycle event; only on the instance that leads.
 */
class BackfillRunsTest extends BackfillTestSupport {

    @TempDir
    Path clusterRoot;

    private static ChatMessage post(String text) {
        return graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, text));
    }

    @Test
    void triggersDuringARunAreMergedIntoOneFollowUpRun() throws Exception {
        int port = ReceivingContext.freePort();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inRoute = new AtomicInteger();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages", options(port), context -> {
        }, exchange -> {
            inRoute.incrementAndGet();
            release.await(20, TimeUnit.SECONDS);
        });
        List<ChatMessage> missed = lost(() -> List.of(post("held in the route")));
        GraphTeamsConsumer graphTeams = consumer.consumer();

        CompletableFuture<Void> first = graphTeams.backfillNow();
        await().atMost(10, TimeUnit.SECONDS).until(() -> inRoute.get() == 1);
        assertThat(graphTeams.getBackfillStatus().running()).isTrue();
        CompletableFuture<Void> second = graphTeams.backfillNow();
        CompletableFuture<Void> third = graphTeams.backfillNow();
        assertThat(third).as("one follow-up run answers every trigger during the run").isSameAs(second);
        assertThat(second).isNotSameAs(first).isNotDone();
        release.countDown();

        first.get(15, TimeUnit.SECONDS);
        second.get(15, TimeUnit.SECONDS);
        assertThat(graphTeams.getBackfillStatus().runs()).isEqualTo(2);
        assertThat(graphTeams.getBackfillStatus().running()).isFalse();
        assertOnce(missed.get(0), SOURCE_BACKFILL);
        assertThat(graphTeams.getDuplicatesSkipped()).as("the follow-up found it delivered").isEqualTo(1);
    }

    @Test
    void aPeriodicSweepFindsWhatGraphDroppedWithoutAnyLifecycleEvent() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("backfillInterval", 1000));
        List<ChatMessage> posted = new ArrayList<>();
        graph.emulator().chaos().dropDeliveries(0.5);
        for (int i = 0; i < 12; i++) {
            posted.add(post("sweep " + i));
            Thread.sleep(40);
        }
        graph.emulator().chaos().dropDeliveries(0);

        await().atMost(20, TimeUnit.SECONDS).until(() -> posted.stream().allMatch(m -> !exchangesOf(m.id()).isEmpty()));
        long backfilled = consumer.received().stream()
                .filter(e -> SOURCE_BACKFILL.equals(e.getMessage().getHeader(GraphTeamsConstants.SOURCE))).count();
        assertThat(backfilled).as("some were dropped and swept up").isPositive().isLessThan(12);
        assertThat(consumer.received()).hasSize(12);
        assertNothingDoubled();
        assertThat(consumer.gaps()).as("no lifecycle event told of the loss").isEmpty();
        assertThat(consumer.consumer().getBackfillStatus().runs()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void onlyTheLeaderRunsBackfills() throws Exception {
        List<ReceivingContext> instances = new ArrayList<>();
        try {
            // receive-only endpoints with credentials behind one public URL: the leader of their namespace backfills
            String uri = options(ReceivingContext.freePort()).set("manageSubscription", false)
                    .uri("chats/" + CHAT + "/messages");
            for (String name : List.of("first", "second")) {
                int port = ReceivingContext.freePort();
                instances.add(ReceivingContext.start(port, context -> {
                    graph.bindTls(context);
                    FileLockClusterService cluster = new FileLockClusterService();
                    cluster.setId(name);
                    cluster.setRoot(clusterRoot.toString());
                    cluster.setAcquireLockDelay(50, TimeUnit.MILLISECONDS);
                    cluster.setAcquireLockInterval(50, TimeUnit.MILLISECONDS);
                    try {
                        context.addService(cluster);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(uri).routeId(name).to("direct:received");
                    }
                }));
                if (name.equals("first")) {
                    GraphTeamsConsumer leader = consumerOf(instances.get(0), "first");
                    await().atMost(10, TimeUnit.SECONDS).until(() -> leader.getBackfillStatus().leading());
                }
            }
            GraphTeamsConsumer leader = consumerOf(instances.get(0), "first");
            GraphTeamsConsumer follower = consumerOf(instances.get(1), "second");
            ChatMessage message = post("only one instance lists this");

            leader.backfillNow().get(15, TimeUnit.SECONDS);
            assertThatThrownBy(() -> follower.backfillNow().get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("does not run backfills");
            assertThat(follower.getBackfillStatus().leading()).isFalse();
            assertThat(follower.getBackfillStatus().runs()).isZero();
            assertThat(instances.get(0).received()).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))
                    .containsExactly(message.id());
            assertThat(instances.get(1).received()).isEmpty();
        } finally {
            instances.forEach(ReceivingContext::close);
        }
    }

    private static GraphTeamsConsumer consumerOf(ReceivingContext receiving, String routeId) {
        return (GraphTeamsConsumer) receiving.context().getRoute(routeId).getConsumer();
    }
}
