package io.camelgraphteams.emulator.support;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.GraphEmulatorBuilder;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.GraphTimings;

/** An emulator with one app, two users, a team with two channels and a chat; plus a receiver and a Graph client. */
public final class EmulatorFixture implements AutoCloseable {

    public static final String APP = "c0c0c0c0-0000-4000-8000-000000000001";
    public static final String USER_A = "u0000000-0000-4000-8000-00000000000a";
    public static final String USER_B = "u0000000-0000-4000-8000-00000000000b";
    public static final String TEAM = "t0000000-0000-4000-8000-000000000001";
    public static final String CHANNEL = "19:channel0one@thread.tacv2";
    public static final String CHANNEL_2 = "19:channel0two@thread.tacv2";
    public static final String CHAT = "19:chat0one@thread.v2";

    public final GraphEmulator emulator;
    public final NotificationReceiver receiver;
    public final GraphClient graph;

    public EmulatorFixture(GraphTimings timings) throws Exception {
        this(GraphEmulator.builder().timings(timings));
    }

    public EmulatorFixture(GraphEmulatorBuilder builder) throws Exception {
        emulator = builder.registerApp(RegisteredApp.withSecret(APP, "secret")).start();
        TeamsStore teams = emulator.teams();
        teams.createUser(USER_A, "Adele Vance", null);
        teams.createUser(USER_B, "Megan Bowen", null);
        teams.createTeam(TEAM, "Contoso", null);
        teams.createChannel(TEAM, CHANNEL, "General");
        teams.createChannel(TEAM, CHANNEL_2, "Random");
        teams.createChat(CHAT, "Launch", "group", java.util.List.of(USER_A, USER_B), java.util.List.of());
        receiver = new NotificationReceiver();
        graph = new GraphClient(emulator.graphV1Url(), emulator.accessToken(APP));
    }

    /** Timings for fast tests: Graph's rules, but a 1 s handshake limit and a 20 ms batch window. */
    public static GraphTimings fastTimings() {
        return GraphTimings.graphDefaults().withHandshakeTimeout(Duration.ofSeconds(1)).withBatchWindow(Duration.ofMillis(20));
    }

    /** A valid creation body: 50 minutes ahead, so no lifecycle URL is needed. */
    public ObjectNode subscription(String resource, String changeType) {
        ObjectNode s = Json.object();
        s.put("changeType", changeType);
        s.put("notificationUrl", receiver.url("/notify"));
        s.put("resource", resource);
        s.put("expirationDateTime", emulator.clock().instant().plus(Duration.ofMinutes(50)).toString());
        s.put("clientState", "secretClientState");
        return s;
    }

    public String create(ObjectNode body) {
        GraphClient.Answer answer = graph.post("/subscriptions", Json.write(body));
        if (answer.status() != 201) {
            throw new AssertionError("subscription not created: " + answer.status() + " " + answer.json());
        }
        return answer.json().get("id").asText();
    }

    public Instant now() {
        return emulator.clock().instant();
    }

    public void deleteAllSubscriptions() {
        emulator.subscriptions().live().forEach(s -> emulator.subscriptions().remove(s.id()));
    }

    @Override
    public void close() {
        receiver.close();
        emulator.stop();
    }
}
