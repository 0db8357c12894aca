package io.camelgraphteams.examples.kamelet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.examples.support.EmulatedTeams;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.emulator.demo.DemoTenant.ADELE;
import static io.camelgraphteams.emulator.demo.DemoTenant.GROUP_CHAT;
import static io.camelgraphteams.emulator.demo.DemoTenant.MEGAN;
import static io.camelgraphteams.emulator.demo.DemoTenant.ONE_ON_ONE_CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The graph-teams-source Kamelet, loaded from the repository's kamelets/ folder by camel-kamelet (4.18.0, the newest
 * the registry serves, on Camel 4.22) and bound by a YAML route in Camel Main, against the Graph emulator: the
 * Kamelet's template subscribes through the reconcile loop, and each message reaches the route after it once,
 * decrypted, with the CamelGraphTeams* headers.
 */
class GraphTeamsSourceKameletTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    static EmulatedTeams graph;
    static Main application;

    @BeforeAll
    static void start() throws Exception {
        graph = EmulatedTeams.start(directory);
        application = new Main();
        application.configure().withName("kamelet-test");
        application.configure().withRoutesIncludePattern("classpath:kamelet/teams-from-kamelet.camel.yaml");
        // the Kamelet as the repository ships it
        application.addOverrideProperty("camel.component.kamelet.location",
                "file:" + Path.of("..", "kamelets").toAbsolutePath().normalize());
        graph.configure(application, AvailablePortFinder.getNextAvailable());
        application.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> graph.subscriptions().size() == 1);
    }

    @AfterAll
    static void stop() {
        if (application != null) {
            application.stop();
        }
        if (graph != null) {
            graph.close();
        }
    }

    @Test
    void theKameletSubscribesWithItsProperties() {
        assertThat(graph.subscriptions()).singleElement().satisfies(subscription -> {
            assertThat(subscription.resource()).isEqualTo("/chats/getAllMessages");
            assertThat(subscription.includeResourceData()).isTrue();
            assertThat(subscription.notificationUrl()).endsWith("/graph/notifications");
            assertThat(subscription.lifecycleNotificationUrl()).endsWith("/graph/lifecycle");
        });
    }

    @Test
    void messagesReachTheSinkDecryptedWithTheirHeaders() throws Exception {
        List<ChatMessage> posted = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            posted.add(graph.teams().postChatMessage(GROUP_CHAT, NewMessage.text(ADELE, "kamelet round " + round)));
            posted.add(graph.teams().postChatMessage(ONE_ON_ONE_CHAT, NewMessage.text(MEGAN, "1:1 round " + round)));
        }
        Map<String, Exchange> received = new HashMap<>();
        ConsumerTemplate queue = application.getCamelContext().createConsumerTemplate();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Exchange exchange = queue.receive("seda:teams-messages", 200);
                if (exchange != null) {
                    Exchange previous = received.put(exchange.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID,
                            String.class), exchange);
                    assertThat(previous).as("a message routed twice").isNull();
                }
                return received.size() >= posted.size();
            });
        } finally {
            queue.stop();
        }
        for (ChatMessage message : posted) {
            Exchange exchange = received.get(message.id());
            assertThat(exchange).as("message %s", message.id()).isNotNull();
            JsonNode body = JSON.readTree(exchange.getMessage().getBody(String.class));
            assertThat(body.path("body").path("content").asText()).isEqualTo(message.content());
            assertThat(exchange.getMessage().getHeaders())
                    .containsEntry(GraphTeamsConstants.CHANGE_TYPE, "created")
                    .containsEntry(GraphTeamsConstants.CHAT_ID, message.chatId())
                    .containsKey(GraphTeamsConstants.SUBSCRIPTION_ID)
                    .containsKey(GraphTeamsConstants.TENANT_ID);
        }
    }
}
