package io.camelgraphteams.component.subscription;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The consumer creates its subscription in the emulator (real msal4j, real HTTP) and receives through it. */
class ManagedSubscriptionTest {

    static EmulatedGraph graph;

    @TempDir
    static Path dir;

    ReceivingContext receiving;

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
        if (receiving != null) {
            receiving.close();
        }
        graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
    }

    private ReceivingContext start(String resource, String extra) throws Exception {
        int port = ReceivingContext.freePort();
        String uri = "graph-teams:" + resource + "?" + graph.managedOptions(port, dir) + (extra.isEmpty() ? "" : "&" + extra);
        receiving = ReceivingContext.start(port, graph::bindTls, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("managed").to("direct:received");
            }
        });
        return receiving;
    }

    @Test
    void startCreatesTheSubscriptionAndMessagesArrive() throws Exception {
        start("chats/getAllMessages", "");
        List<Subscription> live = graph.emulator().subscriptions().live();
        assertThat(live).hasSize(1);
        assertThat(live.get(0).resource()).isEqualTo("/chats/getAllMessages");

        graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "managed hello"));
        await().atMost(15, TimeUnit.SECONDS).until(() -> receiving.received().size() == 1);
        assertThat(receiving.received().get(0).getMessage().getBody(String.class)).contains("managed hello");

        GraphTeamsConsumer consumer = (GraphTeamsConsumer) receiving.context().getRoute("managed").getConsumer();
        assertThat(consumer.getSubscriptionStatus().subscriptionId()).isEqualTo(live.get(0).id());
        assertThat(consumer.getSubscriptionStatus().creations()).isEqualTo(1);
    }
}
