package io.camelgraphteams.examples.jms;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.examples.support.ArtemisBroker;
import io.camelgraphteams.examples.support.EmulatedTeams;
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
 * The teams-to-jms example as it ships, pointed at the Graph emulator and at a real Artemis broker: the decrypted
 * chatMessage arrives as the text of a JMS message, the notification headers as JMS properties of the same names.
 */
class TeamsToJmsExampleTest {

    private static final String QUEUE = "teams.messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    static EmulatedTeams graph;
    static ArtemisBroker artemis;
    static Main application;
    static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        graph = EmulatedTeams.start(directory.resolve("keys"));
        artemis = ArtemisBroker.start(directory.resolve("artemis"));
        application = TeamsToJmsExample.create();
        graph.configure(application, AvailablePortFinder.getNextAvailable());
        application.addOverrideProperty("jms.broker-url", artemis.url());
        application.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> graph.subscriptions().size() == 1);
        connection = artemis.connectionFactory().createConnection();
        connection.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (application != null) {
            application.stop();
        }
        if (artemis != null) {
            artemis.close();
        }
        if (graph != null) {
            graph.close();
        }
    }

    @Test
    void theChatMessageIsTheTextAndTheNotificationHeadersAreJmsProperties() throws Exception {
        ChatMessage posted = graph.teams().postChatMessage(GROUP_CHAT, NewMessage.text(ADELE, "Launch is at nine"));

        List<Message> received = receive(null, 1);

        assertThat(received).hasSize(1);
        TextMessage message = (TextMessage) received.get(0);
        JsonNode body = JSON.readTree(message.getText());
        assertThat(body.path("id").asText()).isEqualTo(posted.id());
        assertThat(body.path("body").path("content").asText()).isEqualTo("Launch is at nine");
        assertThat(body.path("from").path("user").path("id").asText()).isEqualTo(ADELE);

        assertThat(message.getStringProperty("CamelGraphTeamsChangeType")).isEqualTo("created");
        assertThat(message.getStringProperty("CamelGraphTeamsChatId")).isEqualTo(GROUP_CHAT);
        assertThat(message.getStringProperty("CamelGraphTeamsMessageId")).isEqualTo(posted.id());
        assertThat(message.getStringProperty("CamelGraphTeamsTenantId")).isEqualTo(graph.emulator().tenantId());
        assertThat(message.getStringProperty("CamelGraphTeamsSubscriptionId"))
                .isEqualTo(graph.subscriptions().get(0).id());
        assertThat(message.getStringProperty("CamelGraphTeamsResource"))
                .isEqualTo("chats('" + GROUP_CHAT + "')/messages('" + posted.id() + "')");
        assertThat(message.getBooleanProperty("CamelGraphTeamsResourceDataIncluded")).isTrue();
        assertThat(message.getStringProperty("CamelGraphTeamsSource")).isEqualTo("notification");
        assertThat(propertyNames(message)).as("only graph-teams headers become properties")
                .allMatch(name -> name.startsWith("CamelGraphTeams") || name.startsWith("JMS")
                                  || name.startsWith("__AMQ"));
    }

    @Test
    void consumersSelectOnTheNotificationPropertiesLikeOnAnyOther() throws Exception {
        ChatMessage first = graph.teams().postChatMessage(ONE_ON_ONE_CHAT, NewMessage.text(MEGAN, "draft"));
        graph.teams().editMessage(first.id(), "final");
        graph.teams().deleteMessage(first.id());

        List<Message> deletes = receive("CamelGraphTeamsChangeType = 'deleted'", 1);
        List<Message> rest = receive(null, 2);

        assertThat(deletes).hasSize(1);
        assertThat(deletes.get(0).getStringProperty("CamelGraphTeamsMessageId")).isEqualTo(first.id());
        assertThat(JSON.readTree(((TextMessage) deletes.get(0)).getText()).path("deletedDateTime").isTextual())
                .isTrue();
        assertThat(rest).extracting(m -> m.getStringProperty("CamelGraphTeamsChangeType"))
                .containsExactlyInAnyOrder("created", "updated");
        assertThat(rest).extracting(m -> m.getStringProperty("CamelGraphTeamsChatId")).containsOnly(ONE_ON_ONE_CHAT);
    }

    /** Receives up to {@code expected} messages (waiting at most 15 s in all), then checks that no more come. */
    private static List<Message> receive(String selector, int expected) throws JMSException {
        List<Message> messages = new ArrayList<>();
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE), selector)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (messages.size() < expected && System.nanoTime() < deadline) {
                Message message = consumer.receive(200);
                if (message != null) {
                    messages.add(message);
                }
            }
            Message extra = consumer.receive(300);
            if (extra != null) {
                messages.add(extra);
            }
        }
        return messages;
    }

    private static List<String> propertyNames(Message message) throws JMSException {
        List<String> names = new ArrayList<>();
        Collections.list(message.getPropertyNames()).forEach(name -> names.add((String) name));
        return names;
    }
}
