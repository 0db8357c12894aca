package io.camelgraphteams.examples.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.examples.support.EmulatedTeams;
import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.emulator.demo.DemoTenant.ADELE;
import static io.camelgraphteams.emulator.demo.DemoTenant.ALEX;
import static io.camelgraphteams.emulator.demo.DemoTenant.GENERAL_CHANNEL;
import static io.camelgraphteams.emulator.demo.DemoTenant.GROUP_CHAT;
import static io.camelgraphteams.emulator.demo.DemoTenant.LAUNCH_CHANNEL;
import static io.camelgraphteams.emulator.demo.DemoTenant.MEGAN;
import static io.camelgraphteams.emulator.demo.DemoTenant.ONE_ON_ONE_CHAT;
import static io.camelgraphteams.emulator.demo.DemoTenant.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The teams-to-kafka example as it ships (its YAML routes and application.properties), pointed at the Graph emulator
 * and at a real Kafka broker: both subscriptions are created through the component's reconcile loop, the messages
 * arrive decrypted, and every one lands on the topic exactly once, keyed by its conversation.
 */
class TeamsToKafkaExampleTest {

    private static final String TOPIC = "teams-messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    static EmulatedTeams graph;
    static KafkaBroker kafka;
    static Main application;

    @BeforeAll
    static void start() throws Exception {
        graph = EmulatedTeams.start(directory);
        kafka = KafkaBroker.start();
        // several partitions, so that "one conversation, one partition" is something the test can see
        kafka.createTopic(TOPIC, 3);

        application = TeamsToKafkaExample.create();
        graph.configure(application, AvailablePortFinder.getNextAvailable());
        application.addOverrideProperty("kafka.brokers", kafka.bootstrapServers());
        application.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> graph.subscriptions().size() == 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (application != null) {
            application.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (graph != null) {
            graph.close();
        }
    }

    @Test
    void theExampleSubscribesToChatsAndChannelsThroughGraph() {
        assertThat(graph.subscriptions()).extracting(s -> s.resource())
                .containsExactlyInAnyOrder("/chats/getAllMessages", "/teams/getAllMessages");
        assertThat(graph.subscriptions()).allMatch(s -> s.includeResourceData());
    }

    @Test
    void everyMessageArrivesOnTheTopicOnceKeyedByItsConversation() throws Exception {
        // four conversations written in turns, the way people talk: two chats and two channels
        List<ChatMessage> posted = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            posted.add(graph.teams().postChatMessage(GROUP_CHAT, NewMessage.text(ADELE, "launch round " + round)));
            posted.add(graph.teams().postChatMessage(ONE_ON_ONE_CHAT, NewMessage.text(MEGAN, "1:1 round " + round)));
            posted.add(graph.teams().postChannelMessage(TEAM, GENERAL_CHANNEL, NewMessage.text(ALEX, "general round " + round)));
            posted.add(graph.teams().postChannelMessage(TEAM, LAUNCH_CHANNEL, NewMessage.text(ADELE, "release round " + round)));
        }
        ChatMessage reply = graph.teams().postReply(TEAM, GENERAL_CHANNEL, posted.get(2).id(), NewMessage.text(MEGAN, "a reply"));
        posted.add(reply);
        Map<String, ChatMessage> byId = posted.stream().collect(Collectors.toMap(ChatMessage::id, Function.identity()));

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.records(TOPIC).size() >= posted.size());
        // Graph sent every batch once and each was acknowledged at the first attempt: nothing more will come
        assertThat(graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION))
                .allMatch(d -> d.attempt() == 1 && !d.duplicate() && d.outcome() == DeliveryRecord.Outcome.DELIVERED);
        List<ConsumerRecord<String, String>> records = kafka.records(TOPIC);

        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode message = JSON.readTree(record.value());
            String id = message.path("id").asText();
            ids.add(id);
            ChatMessage original = byId.get(id);
            assertThat(original).as("record %s is a posted message", id).isNotNull();
            assertThat(record.key()).as("key of %s", id)
                    .isEqualTo(original.chatId() != null ? original.chatId() : original.channelId());
            assertThat(message.path("body").path("content").asText()).isEqualTo(original.content());
        }
        assertThat(ids).as("every message exactly once").containsExactlyInAnyOrderElementsOf(byId.keySet());

        Map<String, Set<Integer>> partitionsByConversation = records.stream().collect(Collectors.groupingBy(
                ConsumerRecord::key, Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
        assertThat(partitionsByConversation).hasSize(4)
                .allSatisfy((conversation, partitions) -> assertThat(partitions).as(conversation).hasSize(1));
    }
}
