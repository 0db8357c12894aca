package io.camelgraphteams.emulator;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;

/**
 * Teams data loaded at start, as JSON (the "seed" object of the config file):
 *
 * <pre>
 * {
 *   "users":    [ {"id": "...", "displayName": "Adele Vance", "tenantId": "optional"} ],
 *   "teams":    [ {"id": "...", "displayName": "Contoso", "channels": [ {"id": "19:...@thread.tacv2", "displayName": "General"} ]} ],
 *   "chats":    [ {"id": "19:...@thread.v2", "topic": "Project", "chatType": "group", "members": ["user id", ...],
 *                  "installedApps": ["teams app id", ...]} ],
 *   "messages": [ {"teamId": "...", "channelId": "...", "from": "user id", "content": "hello", "mentions": ["user id"]},
 *                 {"chatId": "...", "from": "user id", "content": "hi"} ]
 * }
 * </pre>
 *
 * Seeded messages are posted after start, so they reach subscriptions only if some already exist (they do not on a
 * fresh emulator): they are history for list and delta calls.
 */
public final class SeedData {

    private final JsonNode tree;

    private SeedData(JsonNode tree) {
        this.tree = tree;
    }

    public static SeedData fromJson(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("seed data must be a JSON object");
        }
        return new SeedData(tree);
    }

    public static SeedData fromJson(String json) {
        return fromJson(Json.parseOrNull(json));
    }

    public static SeedData empty() {
        return new SeedData(Json.object());
    }

    public JsonNode tree() {
        return tree;
    }

    void applyTo(TeamsStore store) {
        for (JsonNode u : tree.path("users")) {
            store.createUser(Json.text(u, "id"), required(u, "displayName", "users"), Json.text(u, "tenantId"));
        }
        for (JsonNode t : tree.path("teams")) {
            String teamId = store.createTeam(Json.text(t, "id"), required(t, "displayName", "teams"),
                    Json.text(t, "tenantId")).id();
            for (JsonNode c : t.path("channels")) {
                store.createChannel(teamId, Json.text(c, "id"), required(c, "displayName", "channels"));
            }
        }
        for (JsonNode c : tree.path("chats")) {
            store.createChat(Json.text(c, "id"), Json.text(c, "topic"), Json.text(c, "chatType"), strings(c.path("members")),
                    strings(c.path("installedApps")));
        }
        for (JsonNode m : tree.path("messages")) {
            NewMessage.Builder message = NewMessage.from(required(m, "from", "messages"))
                    .content(required(m, "content", "messages"));
            if (m.hasNonNull("contentType")) {
                message.contentType(m.get("contentType").asText());
            }
            strings(m.path("mentions")).forEach(message::mention);
            if (m.hasNonNull("chatId")) {
                store.postChatMessage(m.get("chatId").asText(), message.build());
            } else if (m.hasNonNull("replyTo")) {
                store.postReply(required(m, "teamId", "messages"), required(m, "channelId", "messages"),
                        m.get("replyTo").asText(), message.build());
            } else {
                store.postChannelMessage(required(m, "teamId", "messages"), required(m, "channelId", "messages"),
                        message.build());
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String required(JsonNode node, String field, String section) {
        String value = Json.text(node, field);
        if (value == null) {
            throw new IllegalArgumentException("seed data: an entry of \"" + section + "\" lacks \"" + field + "\"");
        }
        return value;
    }
}
