package io.camelgraphteams.examples.triage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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
import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.emulator.demo.DemoTenant.ADELE;
import static io.camelgraphteams.emulator.demo.DemoTenant.ALEX;
import static io.camelgraphteams.emulator.demo.DemoTenant.DIEGO;
import static io.camelgraphteams.emulator.demo.DemoTenant.GROUP_CHAT;
import static io.camelgraphteams.emulator.demo.DemoTenant.MEGAN;
import static io.camelgraphteams.emulator.demo.DemoTenant.ONE_ON_ONE_CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The teams-triage example (Java DSL) pointed at the Graph emulator, a real Kafka broker and a real Artemis broker,
 * one test per branch of its content-based router: mentions of the watched user → queue, deletions → audit files,
 * the rest → Kafka. Each test also checks its messages reached no other destination.
 */
class TeamsTriageExampleTest {

    private static final String WATCHED_USER = ADELE;
    private static final String QUEUE = "teams.mentions";
    private static final String TOPIC = "teams-messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    static EmulatedTeams graph;
    static KafkaBroker kafka;
    static ArtemisBroker artemis;
    static Main application;
    static Path auditDirectory;
    static Connection connection;

    Session session;
    MessageConsumer queue;

    @BeforeAll
    static void start() throws Exception {
        graph = EmulatedTeams.start(directory.resolve("keys"));
        kafka = KafkaBroker.start();
        artemis = ArtemisBroker.start(directory.resolve("artemis"));
        auditDirectory = directory.resolve("audit");

        application = TeamsTriageExample.create();
        graph.configure(application, AvailablePortFinder.getNextAvailable());
        application.addOverrideProperty("triage.mentioned-user-id", WATCHED_USER);
        application.addOverrideProperty("triage.audit-directory", auditDirectory.toString());
        application.addOverrideProperty("kafka.brokers", kafka.bootstrapServers());
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
        if (kafka != null) {
            kafka.close();
        }
        if (graph != null) {
            graph.close();
        }
    }

    @BeforeEach
    void openDestinations() throws JMSException {
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        queue = session.createConsumer(session.createQueue(QUEUE));
    }

    @AfterEach
    void closeDestinations() throws JMSException {
        session.close();
    }

    @Test
    void aMessageMentioningTheWatchedUserGoesToTheQueue() throws Exception {
        ChatMessage mention = graph.teams().postChatMessage(GROUP_CHAT,
                NewMessage.from(MEGAN).content("Adele, can you check the launch list?").mention(WATCHED_USER).build());

        List<JsonNode> queued = receiveFromQueue(1);

        assertThat(queued).extracting(m -> m.path("id").asText()).containsExactly(mention.id());
        assertThat(idsOnTopic()).doesNotContain(mention.id());
        assertThat(auditFilesOf(mention)).isEmpty();
    }

    @Test
    void aDeletionBecomesAnAuditFileEvenWhenTheMessageMentionedTheWatchedUser() throws Exception {
        ChatMessage mention = graph.teams().postChatMessage(GROUP_CHAT,
                NewMessage.from(ALEX).content("Adele, ignore this").mention(WATCHED_USER).build());
        assertThat(receiveFromQueue(1)).extracting(m -> m.path("id").asText()).containsExactly(mention.id());

        graph.teams().deleteMessage(mention.id());

        Path expected = auditDirectory.resolve("19_demo0launch0plan0chat00000000001_thread.v2").resolve(mention.id() + ".json");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(expected));
        JsonNode audited = JSON.readTree(Files.readString(expected));
        assertThat(audited.path("id").asText()).isEqualTo(mention.id());
        assertThat(audited.path("deletedDateTime").isTextual()).as("a deleted chatMessage").isTrue();
        assertThat(audited.path("from").path("user").path("id").asText()).isEqualTo(ALEX);
        assertThat(receiveFromQueue(0)).as("the deletion is not a mention").isEmpty();
        assertThat(idsOnTopic()).doesNotContain(mention.id());
        assertThat(auditFilesOf(mention)).containsExactly(expected);
    }

    @Test
    void everythingElseGoesToKafkaKeyedByConversation() throws Exception {
        ChatMessage plain = graph.teams().postChatMessage(ONE_ON_ONE_CHAT, NewMessage.text(DIEGO, "lunch?"));
        ChatMessage otherMention = graph.teams().postChatMessage(GROUP_CHAT,
                NewMessage.from(ADELE).content("Megan, the slides please").mention(MEGAN).build());
        graph.teams().editMessage(plain.id(), "lunch at noon?");

        await().atMost(Duration.ofSeconds(15)).until(() -> recordsOf(plain, otherMention).size() >= 3);
        List<ConsumerRecord<String, String>> records = recordsOf(plain, otherMention);

        assertThat(records).extracting(r -> JSON.readTree(r.value()).path("id").asText() + " in " + r.key())
                .containsExactlyInAnyOrder(plain.id() + " in " + ONE_ON_ONE_CHAT, plain.id() + " in " + ONE_ON_ONE_CHAT,
                        otherMention.id() + " in " + GROUP_CHAT);
        assertThat(records).extracting(r -> JSON.readTree(r.value()).path("body").path("content").asText())
                .contains("lunch at noon?");
        assertThat(receiveFromQueue(0)).isEmpty();
        assertThat(auditFilesOf(plain)).isEmpty();
    }

    /**
     * Receives {@code expected} messages (waiting up to 15 s), then whatever else comes within 300 ms; checks that
     * each carries its notification headers as JMS properties.
     */
    private List<JsonNode> receiveFromQueue(int expected) throws Exception {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (messages.size() < expected && System.nanoTime() < deadline) {
            Message message = queue.receive(200);
            if (message != null) {
                messages.add(message);
            }
        }
        for (Message extra = queue.receive(300); extra != null; extra = queue.receive(300)) {
            messages.add(extra);
        }
        List<JsonNode> bodies = new ArrayList<>();
        for (Message message : messages) {
            JsonNode body = JSON.readTree(((TextMessage) message).getText());
            assertThat(message.getStringProperty("CamelGraphTeamsMessageId")).isEqualTo(body.path("id").asText());
            assertThat(message.getStringProperty("CamelGraphTeamsChatId")).isEqualTo(body.path("chatId").asText());
            bodies.add(body);
        }
        return bodies;
    }

    private static List<ConsumerRecord<String, String>> recordsOf(ChatMessage... messages) throws IOException {
        List<String> ids = Stream.of(messages).map(ChatMessage::id).toList();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (ConsumerRecord<String, String> record : kafka.records(TOPIC)) {
            if (ids.contains(JSON.readTree(record.value()).path("id").asText())) {
                records.add(record);
            }
        }
        return records;
    }

    private static List<String> idsOnTopic() throws IOException {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, String> record : kafka.records(TOPIC)) {
            ids.add(JSON.readTree(record.value()).path("id").asText());
        }
        return ids;
    }

    private static List<Path> auditFilesOf(ChatMessage message) throws IOException {
        if (!Files.exists(auditDirectory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(auditDirectory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().contains(message.id())).toList();
        }
    }
}
