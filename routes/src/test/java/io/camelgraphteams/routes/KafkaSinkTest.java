package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * messages.sink=kafka: the application in emulator mode sends every forwarded notification to a real Kafka broker
 * (KRaft, in this JVM) instead of writing files.
 */
class KafkaSinkTest {

    private static final String TOPIC = "teams-test-messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static KafkaBroker kafka;
    private static GraphTeamsRoutesApplication application;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
        application = new GraphTeamsRoutesApplication();
        application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
        application.main().addOverrideProperty("messages.sink", "kafka");
        application.main().addOverrideProperty("kafka.brokers", kafka.bootstrapServers());
        application.main().addOverrideProperty("kafka.topic", TOPIC);
        application.main().addOverrideProperty("messages.dir", dataDir.toString());
        application.main().addOverrideProperty("demo.traffic.period", "250");
        application.main().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (application != null) {
            application.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyForwardedNotificationBecomesOneRecordKeyedByConversation() throws Exception {
        // the script edits on its 5th step and deletes on its 7th: wait until all three change types arrived
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> changeTypes(kafka.records(TOPIC)).containsAll(Set.of("created", "updated", "deleted")));

        List<ConsumerRecord<String, String>> records = kafka.records(TOPIC);
        assertThat(records).hasSizeGreaterThanOrEqualTo(3);
        for (ConsumerRecord<String, String> record : records) {
            JsonNode message = JSON.readTree(record.value());
            String id = message.path("id").asText();
            assertThat(id).as("id in %s", record).isNotEmpty();
            assertThat(message.has("encryptedContent")).as("decrypted: %s", record).isFalse();
            assertThat(header(record, "graph-message-id")).isEqualTo(id);
            assertThat(header(record, "graph-source")).isEqualTo("notification");
            String conversation = message.path("chatId").isTextual() ? message.path("chatId").asText()
                    : message.path("channelIdentity").path("channelId").asText();
            assertThat(record.key()).as("key of message %s", id).isNotEmpty().isEqualTo(conversation);
            assertThat(record.headers().toArray()).extracting(Header::key).noneMatch(key -> key.startsWith("Camel"));
            // the same message as the emulator holds it now, or an earlier version of it
            ChatMessage stored = application.embeddedGraph().emulator().teams().message(id);
            assertThat(stored.id()).isEqualTo(id);
        }
        assertThat(records).anySatisfy(record -> assertThat(JSON.readTree(record.value()).path("chatId").asText())
                .isNotEmpty());
        assertThat(records).anySatisfy(record -> assertThat(JSON.readTree(record.value()).path("channelIdentity")
                .path("channelId").asText()).isNotEmpty());
        assertThat(records).filteredOn(record -> "deleted".equals(header(record, "graph-change-type")))
                .allSatisfy(record -> assertThat(JSON.readTree(record.value()).path("deletedDateTime").isNull())
                        .isFalse());
    }

    @Test
    void theProducerGathersRecordsForTwentyMillisecondsByDefault() {
        List<KafkaEndpoint> endpoints = application.main().getCamelContext().getEndpoints().stream()
                .filter(KafkaEndpoint.class::isInstance).map(KafkaEndpoint.class::cast).toList();

        assertThat(endpoints).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getConfiguration().getTopic()).isEqualTo(TOPIC);
            assertThat(endpoint.getConfiguration().getLingerMs()).isEqualTo(20);
            assertThat(endpoint.getConfiguration().getRequestRequiredAcks()).isEqualTo("all");
        });
    }

    @Test
    void noFileIsWrittenWhenTheSinkIsKafka() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.recordCount(TOPIC) > 0);

        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anUnknownSinkStopsStartUpNamingTheProperty() {
        GraphTeamsRoutesApplication other = new GraphTeamsRoutesApplication();
        other.main().addOverrideProperty("messages.sink", "jms");
        try (other) {
            assertThatThrownBy(() -> other.main().start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("messages.sink (env MESSAGES_SINK) is 'jms': use file or kafka");
            assertThat(other.embeddedGraph()).as("nothing started").isNull();
        }
    }

    private static Set<String> changeTypes(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(record -> header(record, "graph-change-type")).collect(Collectors.toSet());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
