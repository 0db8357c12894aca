package io.camelgraphteams.examples.receiveonly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
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
 * The receive-only-to-files example as it ships, with the subscription created "elsewhere": by this test, through
 * the emulator's Graph API, after the application started. The application itself never calls Graph.
 */
class ReceiveOnlyExampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path directory;

    static EmulatedTeams graph;
    static Main application;
    static Path output;
    static String subscriptionId;
    static Instant expiresAt;

    @BeforeAll
    static void start() throws Exception {
        graph = EmulatedTeams.start(directory.resolve("keys"));
        output = directory.resolve("notifications");
        int port = AvailablePortFinder.getNextAvailable();
        application = ReceiveOnlyExample.create();
        graph.configure(application, port);
        application.addOverrideProperty("output.directory", output.toString());
        application.start();

        // the subscription is someone else's business; its validation handshake reaches the running application
        subscriptionId = graph.subscribe("/chats/getAllMessages", "http://localhost:" + port + "/graph/notifications",
                "http://localhost:" + port + "/graph/lifecycle");
        expiresAt = graph.subscriptions().get(0).expirationDateTime();
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
    void theApplicationLeavesTheSubscriptionAlone() {
        assertThat(graph.subscriptions()).extracting(s -> s.id()).containsExactly(subscriptionId);
        assertThat(graph.subscriptions().get(0).expirationDateTime()).as("not renewed by the application")
                .isEqualTo(expiresAt);
    }

    @Test
    void everyNotificationBecomesOneFileWithTheDecryptedMessage() throws Exception {
        ChatMessage question = graph.teams().postChatMessage(GROUP_CHAT, NewMessage.text(ADELE, "Who has the keys?"));
        ChatMessage answer = graph.teams().postChatMessage(ONE_ON_ONE_CHAT, NewMessage.text(MEGAN, "I do"));
        graph.teams().editMessage(answer.id(), "I do, desk 4");
        graph.teams().deleteMessage(question.id());

        // ignoring the moment a file is renamed from its temporary name while the folder is listed
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> filesOf(question, answer).size() == 4);

        List<Path> files = filesOf(question, answer);
        assertThat(files).extracting(file -> file.getFileName().toString().replaceAll("-[^-]+-[^-]+\\.json$", ""))
                .containsExactlyInAnyOrder("created-" + question.id(), "deleted-" + question.id(),
                        "created-" + answer.id(), "updated-" + answer.id());
        JsonNode edited = JSON.readTree(Files.readString(only(files, "updated-" + answer.id())));
        assertThat(edited.path("body").path("content").asText()).isEqualTo("I do, desk 4");
        assertThat(edited.path("chatId").asText()).isEqualTo(ONE_ON_ONE_CHAT);
        JsonNode deleted = JSON.readTree(Files.readString(only(files, "deleted-" + question.id())));
        assertThat(deleted.path("deletedDateTime").isTextual()).isTrue();
    }

    private static Path only(List<Path> files, String prefix) {
        return files.stream().filter(file -> file.getFileName().toString().startsWith(prefix + "-")).findFirst()
                .orElseThrow();
    }

    /** The finished files (not the ones still being written) about the given messages. */
    private static List<Path> filesOf(ChatMessage... messages) throws IOException {
        if (!Files.exists(output)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(output)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith(".writing-"))
                    .filter(file -> Stream.of(messages).anyMatch(m -> file.getFileName().toString().contains(m.id())))
                    .toList();
        }
    }
}
