package io.camelgraphteams.component.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.APP;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHANNEL;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.TEAM;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_B;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.KEY_STORE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two independent implementations meeting in the middle: the emulator encrypts and signs the way Graph does, the
 * component (receive only, the subscription created by "someone else" through Graph's REST API) decrypts and verifies.
 */
class EmulatorDeliveryEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static EmulatedGraph graph;
    static GraphEmulator emulator;

    @TempDir
    static Path dir;

    ReceivingContext receiving;

    @BeforeAll
    static void startEmulator() {
        graph = EmulatedGraph.start();
        emulator = graph.emulator();
    }

    @AfterAll
    static void stopEmulator() {
        graph.close();
    }

    @AfterEach
    void stopContext() {
        emulator.subscriptions().live().forEach(s -> emulator.subscriptions().remove(s.id()));
        if (receiving != null) {
            receiving.close();
        }
    }

    private String receiveOnlyUri(String resource) {
        return "graph-teams:" + resource + "?manageSubscription=false&clientId=" + APP
               + "&clientState=RAW(" + CLIENT_STATE + ")&keyStore=file:" + ReceivingContext.keyStore(dir)
               + "&keyStorePassword=RAW(" + KEY_STORE_PASSWORD + ")&certificateId=" + CERTIFICATE_ID
               + "&allowedTenantIds=" + emulator.tenantId()
               + "&openIdConfigurationUrl=" + emulator.graphBaseUrl() + "/common/.well-known/openid-configuration";
    }

    /** What an app managing its subscriptions elsewhere does: POST /subscriptions with resource data. */
    private void subscribe(String resource) throws Exception {
        ObjectNode body = GraphNotifications.JSON.createObjectNode();
        body.put("changeType", "created,updated,deleted");
        body.put("notificationUrl", "http://localhost:" + receiving.port() + "/graph/notifications");
        body.put("resource", resource);
        body.put("expirationDateTime", emulator.clock().instant().plus(Duration.ofMinutes(50)).toString());
        body.put("clientState", CLIENT_STATE);
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", java.util.Base64.getEncoder()
                .encodeToString(TestKeys.cached(CERTIFICATE_ID).certificate().getEncoded()));
        body.put("encryptionCertificateId", CERTIFICATE_ID);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.graphV1Url() + "/subscriptions"))
                .header("Authorization", "Bearer " + emulator.accessToken(APP))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        // 201 means the emulator's validation handshake against the consumer succeeded
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void chatMessagesPostedInTheEmulatorArriveDecryptedInTheRoute() throws Exception {
        receiving = ReceivingContext.start(receiveOnlyUri("chats/getAllMessages"));
        subscribe("/chats/getAllMessages");

        ChatMessage first = emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "Launch is at nine"));
        ChatMessage second = emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_B, "See you there"));
        emulator.teams().editMessage(first.id(), "Launch is at ten");

        await().atMost(15, TimeUnit.SECONDS).until(() -> receiving.received().size() == 3);
        List<Exchange> received = receiving.received();
        assertThat(received).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE))
                .containsExactlyInAnyOrder("created", "created", "updated");
        Exchange edited = received.stream()
                .filter(e -> "updated".equals(e.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE))).findFirst()
                .orElseThrow();
        JsonNode body = GraphNotifications.JSON.readTree(edited.getMessage().getBody(String.class));
        assertThat(body.path("id").asText()).isEqualTo(first.id());
        assertThat(body.path("body").path("content").asText()).contains("Launch is at ten");
        assertThat(edited.getMessage().getHeader(GraphTeamsConstants.CHAT_ID)).isEqualTo(CHAT);
        assertThat(edited.getMessage().getHeader(GraphTeamsConstants.TENANT_ID)).isEqualTo(emulator.tenantId());
        assertThat(received).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))
                .contains(first.id(), second.id());
        assertThat(received).allMatch(e -> Boolean.TRUE.equals(
                e.getMessage().getHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED)));
    }

    @Test
    void channelMessagesAndRepliesArriveWithTeamAndChannelHeaders() throws Exception {
        receiving = ReceivingContext.start(receiveOnlyUri("teams/" + TEAM + "/channels/" + CHANNEL + "/messages"));
        subscribe("/teams/" + TEAM + "/channels/" + CHANNEL + "/messages");

        ChatMessage root = emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "Release notes?"));
        await().atMost(15, TimeUnit.SECONDS).until(() -> receiving.received().size() == 1);
        Exchange exchange = receiving.received().get(0);
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.TEAM_ID)).isEqualTo(TEAM);
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.CHANNEL_ID)).isEqualTo(CHANNEL);
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID)).isEqualTo(root.id());
        assertThat(exchange.getMessage().getBody(String.class)).contains("Release notes?");
    }

    @Test
    void v2ValidationTokensAreAcceptedToo() throws Exception {
        emulator.validationTokenVersion(io.camelgraphteams.emulator.delivery.ValidationTokenVersion.V2);
        try {
            receiving = ReceivingContext.start(receiveOnlyUri("chats/getAllMessages"));
            subscribe("/chats/getAllMessages");
            emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "v2 token"));
            await().atMost(15, TimeUnit.SECONDS).until(() -> receiving.received().size() == 1);
            assertThat(receiving.received().get(0).getMessage().getBody(String.class)).contains("v2 token");
        } finally {
            emulator.validationTokenVersion(io.camelgraphteams.emulator.delivery.ValidationTokenVersion.V1);
        }
    }
}
