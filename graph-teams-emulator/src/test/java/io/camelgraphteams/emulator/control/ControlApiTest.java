package io.camelgraphteams.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.GraphClient;
import io.camelgraphteams.emulator.support.GraphClient.Answer;

/** The control API over HTTP: build a tenant, post, edit and delete, and read it back through Graph. */
class ControlApiTest {

    private static EmulatorFixture f;
    private static GraphClient control;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(EmulatorFixture.fastTimings());
        control = new GraphClient(f.emulator.controlUrl(), null);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void indexListsAddressesAndEveryRoute() {
        JsonNode index = control.get("").json();
        assertThat(index.get("graph").asText()).isEqualTo(f.emulator.graphV1Url());
        assertThat(index.get("oidcAuthority").asText()).isEqualTo(f.emulator.oidcAuthority());
        assertThat(index.get("routes")).hasSize(ControlRoutes.ROUTES.size());
    }

    @Test
    void buildsATenantAndPostsEditsAndDeletesMessages() {
        String user = control.post("/users", "{\"displayName\":\"Lee Gu\"}").json().get("id").asText();
        String team = control.post("/teams", "{\"displayName\":\"Mark 8\"}").json().get("id").asText();
        Answer channel = control.post("/teams/" + team + "/channels", "{\"displayName\":\"Design\"}");
        assertThat(channel.status()).isEqualTo(201);
        String channelId = channel.json().get("id").asText();
        assertThat(channelId).startsWith("19:").endsWith("@thread.tacv2");
        String chat = control.post("/chats", "{\"topic\":\"x\",\"members\":[\"" + user + "\"]}").json().get("id").asText();

        Answer posted = control.post("/teams/" + team + "/channels/" + channelId + "/messages",
                "{\"from\":\"" + user + "\",\"content\":\"hello\"}");
        assertThat(posted.status()).isEqualTo(201);
        String id = posted.json().get("id").asText();
        assertThat(posted.json().get("resource").asText())
                .isEqualTo("teams('" + team + "')/channels('" + channelId + "')/messages('" + id + "')");
        Answer reply = control.post("/teams/" + team + "/channels/" + channelId + "/messages/" + id + "/replies",
                "{\"from\":\"" + user + "\",\"content\":\"re\"}");
        assertThat(reply.json().get("replyToId").asText()).isEqualTo(id);
        Answer chatMessage = control.post("/chats/" + chat + "/messages", "{\"from\":\"" + user + "\",\"content\":\"hi\"}");
        assertThat(chatMessage.json().get("chatId").asText()).isEqualTo(chat);

        assertThat(control.patch("/messages/" + id, "{\"content\":\"hello again\"}").status()).isEqualTo(200);
        assertThat(f.graph.get("/teams/" + team + "/channels/" + channelId + "/messages/" + id).json().get("body")
                .get("content").asText()).isEqualTo("hello again");
        assertThat(control.delete("/messages/" + id).json().get("deletedDateTime").isNull()).isFalse();
    }

    @Test
    void unknownIdsAnswer404AndBadBodies400() {
        assertThat(control.post("/teams/nope/channels", "{\"displayName\":\"x\"}").status()).isEqualTo(404);
        assertThat(control.post("/users", "{}").status()).isEqualTo(400);
        assertThat(control.post("/users", "not json").status()).isEqualTo(400);
        assertThat(control.post("/subscriptions/nope/lifecycle", "{\"lifecycleEvent\":\"missed\"}").status())
                .isEqualTo(404);
        assertThat(control.put("/settings", "{\"validationTokenVersion\":\"v3\"}").status()).isEqualTo(400);
    }

    @Test
    void chaosAndSettingsAndClockAreSwitchable() {
        Answer chaos = control.put("/chaos", "{\"dropDeliveries\":0.5,\"throttleNextGraphCalls\":2}");
        assertThat(chaos.json().get("dropDeliveries").asDouble()).isEqualTo(0.5);
        assertThat(control.delete("/chaos").json().get("dropDeliveries").asDouble()).isZero();
        assertThat(control.put("/settings", "{\"validationTokenVersion\":\"v2\"}").json().get("validationTokenVersion")
                .asText()).isEqualTo("V2");
        control.put("/settings", "{\"validationTokenVersion\":\"v1\"}");
        double before = control.get("/clock").json().get("offsetSeconds").asDouble();
        double after = control.post("/clock/advance", "{\"seconds\":60}").json().get("offsetSeconds").asDouble();
        assertThat(after - before).isEqualTo(60.0);
        control.post("/clock/advance", "{\"seconds\":-60}");
    }

    @Test
    void tokensAndCertificateAreServed() {
        String token = control.post("/tokens", "{\"clientId\":\"" + EmulatorFixture.APP + "\"}").json()
                .get("access_token").asText();
        assertThat(new GraphClient(f.emulator.graphV1Url(), token).get("/subscriptions").status()).isEqualTo(200);
        assertThat(control.get("/certificate").raw().body()).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
