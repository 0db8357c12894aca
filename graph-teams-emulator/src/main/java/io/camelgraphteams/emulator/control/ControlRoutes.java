package io.camelgraphteams.emulator.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.delivery.ValidationTokenVersion;
import io.camelgraphteams.emulator.http.GraphApiException;
import io.camelgraphteams.emulator.http.GraphResponses;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.CertificateParser;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.teams.Channel;
import io.camelgraphteams.emulator.teams.Chat;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.Team;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.teams.User;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The control API under /emulator (no token needed): the same operations as the emulator's Java API,
 * for demos, scripts and tests in other languages. Routes are listed by GET /emulator and in the README.
 */
public final class ControlRoutes {

    /** Method, path and purpose of every route, served by GET /emulator. */
    public static final List<String[]> ROUTES = List.of(
            new String[] { "GET", "/emulator", "addresses, tenant, apps and this list" },
            new String[] { "GET", "/emulator/certificate", "the HTTPS certificate of the identity server (PEM)" },
            new String[] { "GET", "/emulator/apps", "registered apps" },
            new String[] { "POST", "/emulator/apps", "register an app {clientId, clientSecret?, certificatePem?, tenantId?, permissions?}" },
            new String[] { "POST", "/emulator/tokens", "an access token for {clientId} without the token endpoint" },
            new String[] { "GET", "/emulator/users", "users" },
            new String[] { "POST", "/emulator/users", "create a user {id?, displayName, tenantId?}" },
            new String[] { "GET", "/emulator/teams", "teams with their channels" },
            new String[] { "POST", "/emulator/teams", "create a team {id?, displayName, tenantId?}" },
            new String[] { "POST", "/emulator/teams/{teamId}/channels", "create a channel {id?, displayName}" },
            new String[] { "GET", "/emulator/chats", "chats" },
            new String[] { "POST", "/emulator/chats", "create a chat {id?, topic?, chatType?, members[], installedApps[]}" },
            new String[] { "POST", "/emulator/chats/{chatId}/installedApps", "install a Teams app in a chat {teamsAppId}" },
            new String[] { "POST", "/emulator/teams/{teamId}/channels/{channelId}/messages", "post {from, content, contentType?, subject?, mentions[]?}" },
            new String[] { "POST", "/emulator/teams/{teamId}/channels/{channelId}/messages/{messageId}/replies", "reply" },
            new String[] { "POST", "/emulator/chats/{chatId}/messages", "post in a chat" },
            new String[] { "PATCH", "/emulator/messages/{messageId}", "edit {content}" },
            new String[] { "DELETE", "/emulator/messages/{messageId}", "delete (soft, as Teams does)" },
            new String[] { "GET", "/emulator/subscriptions", "every live subscription of every app" },
            new String[] { "POST", "/emulator/subscriptions/{id}/lifecycle", "send {lifecycleEvent: reauthorizationRequired | subscriptionRemoved | missed}" },
            new String[] { "GET", "/emulator/deliveries", "delivery log (?kind=NOTIFICATION|LIFECYCLE|VALIDATION)" },
            new String[] { "DELETE", "/emulator/deliveries", "clear the delivery log" },
            new String[] { "GET", "/emulator/chaos", "chaos switches" },
            new String[] { "PUT", "/emulator/chaos", "set switches {duplicateDeliveries, dropDeliveries, deliveryDelayMillis, graphResponseDelayMillis, throttleGraphCalls, throttleNextGraphCalls, failGraphCalls, failNextGraphCalls, retryAfterSeconds}" },
            new String[] { "DELETE", "/emulator/chaos", "all switches off" },
            new String[] { "GET", "/emulator/clock", "the emulator's now and its offset" },
            new String[] { "POST", "/emulator/clock/advance", "move now forward {seconds}" },
            new String[] { "GET", "/emulator/settings", "settings" },
            new String[] { "PUT", "/emulator/settings", "{validationTokenVersion: V1 | V2}" });

    private final EmulatorControl emulator;

    public ControlRoutes(EmulatorControl emulator) {
        this.emulator = emulator;
    }

    public void mount(Router router) {
        TeamsStore teams = emulator.teams();
        router.get("/emulator").handler(this::info);
        router.get("/emulator/certificate").handler(ctx -> ctx.response().putHeader("Content-Type", "application/x-pem-file")
                .end(emulator.tlsCertificatePem()));
        router.get("/emulator/apps").handler(ctx -> {
            ArrayNode apps = Json.array();
            emulator.apps().all().forEach(a -> apps.addObject().put("clientId", a.clientId()).put("tenantId", a.tenantId())
                    .put("displayName", a.displayName()).put("secrets", a.secrets().size())
                    .put("certificates", a.certificates().size())
                    .set("permissions", Json.MAPPER.valueToTree(a.permissions())));
            GraphResponses.json(ctx, 200, wrap(apps));
        });
        router.post("/emulator/apps").handler(ctx -> {
            JsonNode b = body(ctx);
            RegisteredApp.Builder app = RegisteredApp.builder(required(b, "clientId"));
            if (b.hasNonNull("tenantId")) {
                app.tenantId(b.get("tenantId").asText());
            }
            if (b.hasNonNull("clientSecret")) {
                app.secret(b.get("clientSecret").asText());
            }
            if (b.hasNonNull("certificatePem")) {
                app.certificate(CertificateParser.parse(b.get("certificatePem").asText()));
            }
            if (b.has("permissions")) {
                java.util.Set<String> permissions = new java.util.LinkedHashSet<>();
                b.get("permissions").forEach(p -> permissions.add(p.asText()));
                app.permissions(permissions);
            }
            RegisteredApp placed = emulator.registerApp(app.build());
            GraphResponses.json(ctx, 201, Json.object().put("clientId", placed.clientId()).put("tenantId", placed.tenantId()));
        });
        router.post("/emulator/tokens").handler(ctx -> GraphResponses.json(ctx, 200, Json.object()
                .put("token_type", "Bearer").put("access_token", emulator.accessToken(required(body(ctx), "clientId")))));
        router.get("/emulator/users").handler(ctx -> GraphResponses.json(ctx, 200, wrap(Json.MAPPER.valueToTree(teams.users()))));
        router.post("/emulator/users").handler(ctx -> {
            JsonNode b = body(ctx);
            User user = teams.createUser(Json.text(b, "id"), required(b, "displayName"), Json.text(b, "tenantId"));
            GraphResponses.json(ctx, 201, Json.MAPPER.valueToTree(user));
        });
        router.get("/emulator/teams").handler(ctx -> {
            ArrayNode list = Json.array();
            for (Team t : teams.teams()) {
                ObjectNode node = Json.MAPPER.valueToTree(t);
                node.set("channels", Json.MAPPER.valueToTree(teams.channels(t.id())));
                list.add(node);
            }
            GraphResponses.json(ctx, 200, wrap(list));
        });
        router.post("/emulator/teams").handler(ctx -> {
            JsonNode b = body(ctx);
            Team team = teams.createTeam(Json.text(b, "id"), required(b, "displayName"), Json.text(b, "tenantId"));
            GraphResponses.json(ctx, 201, Json.MAPPER.valueToTree(team));
        });
        router.post("/emulator/teams/:teamId/channels").handler(ctx -> {
            JsonNode b = body(ctx);
            Channel channel = teams.createChannel(ctx.pathParam("teamId"), Json.text(b, "id"), required(b, "displayName"));
            GraphResponses.json(ctx, 201, Json.MAPPER.valueToTree(channel));
        });
        router.get("/emulator/chats").handler(ctx -> GraphResponses.json(ctx, 200, wrap(Json.MAPPER.valueToTree(teams.chats()))));
        router.post("/emulator/chats").handler(ctx -> {
            JsonNode b = body(ctx);
            Chat chat = teams.createChat(Json.text(b, "id"), Json.text(b, "topic"), Json.text(b, "chatType"),
                    strings(b.path("members")), strings(b.path("installedApps")));
            GraphResponses.json(ctx, 201, Json.MAPPER.valueToTree(chat));
        });
        router.post("/emulator/chats/:chatId/installedApps").handler(ctx -> GraphResponses.json(ctx, 201,
                Json.MAPPER.valueToTree(teams.installApp(ctx.pathParam("chatId"), required(body(ctx), "teamsAppId")))));
        router.post("/emulator/teams/:teamId/channels/:channelId/messages").handler(ctx -> created(ctx,
                teams.postChannelMessage(ctx.pathParam("teamId"), ctx.pathParam("channelId"), newMessage(body(ctx)))));
        router.post("/emulator/teams/:teamId/channels/:channelId/messages/:messageId/replies").handler(ctx -> created(ctx,
                teams.postReply(ctx.pathParam("teamId"), ctx.pathParam("channelId"), ctx.pathParam("messageId"),
                        newMessage(body(ctx)))));
        router.post("/emulator/chats/:chatId/messages").handler(ctx -> created(ctx,
                teams.postChatMessage(ctx.pathParam("chatId"), newMessage(body(ctx)))));
        router.patch("/emulator/messages/:messageId").handler(ctx -> GraphResponses.json(ctx, 200,
                teams.editMessage(ctx.pathParam("messageId"), required(body(ctx), "content")).toJson()));
        router.delete("/emulator/messages/:messageId").handler(ctx -> GraphResponses.json(ctx, 200,
                teams.deleteMessage(ctx.pathParam("messageId")).toJson()));
        router.get("/emulator/subscriptions").handler(ctx -> {
            ArrayNode list = Json.array();
            emulator.subscriptions().live().forEach(s -> list.add(s.toJson(null, true).put("tenantId", s.tenantId())));
            GraphResponses.json(ctx, 200, wrap(list));
        });
        router.post("/emulator/subscriptions/:id/lifecycle").handler(ctx -> {
            LifecycleEvent event = LifecycleEvent.fromGraphName(required(body(ctx), "lifecycleEvent"));
            emulator.sendLifecycleEvent(ctx.pathParam("id"), event);
            GraphResponses.json(ctx, 202, Json.object().put("subscriptionId", ctx.pathParam("id"))
                    .put("lifecycleEvent", event.graphName()));
        });
        router.get("/emulator/deliveries").handler(ctx -> {
            String kind = ctx.request().getParam("kind");
            List<DeliveryRecord> records = kind == null ? emulator.deliveryLog().records()
                    : emulator.deliveryLog().records(DeliveryRecord.Kind.valueOf(kind.toUpperCase()));
            ArrayNode list = Json.array();
            records.forEach(r -> list.add(r.toJson()));
            GraphResponses.json(ctx, 200, wrap(list));
        });
        router.delete("/emulator/deliveries").handler(ctx -> {
            emulator.deliveryLog().clear();
            ctx.response().setStatusCode(204).end();
        });
        router.get("/emulator/chaos").handler(ctx -> GraphResponses.json(ctx, 200, emulator.chaos().toJson()));
        router.put("/emulator/chaos").handler(ctx -> GraphResponses.json(ctx, 200, emulator.chaos().apply(body(ctx)).toJson()));
        router.delete("/emulator/chaos").handler(ctx -> GraphResponses.json(ctx, 200, emulator.chaos().reset().toJson()));
        router.get("/emulator/clock").handler(this::clock);
        router.post("/emulator/clock/advance").handler(ctx -> {
            JsonNode b = body(ctx);
            if (!b.has("seconds")) {
                throw new IllegalArgumentException("give {\"seconds\": n}");
            }
            emulator.clock().advance(Duration.ofMillis((long) (b.get("seconds").asDouble() * 1000)));
            clock(ctx);
        });
        router.get("/emulator/settings").handler(this::settings);
        router.put("/emulator/settings").handler(ctx -> {
            JsonNode b = body(ctx);
            if (b.hasNonNull("validationTokenVersion")) {
                emulator.validationTokenVersion(ValidationTokenVersion.valueOf(b.get("validationTokenVersion").asText()
                        .toUpperCase()));
            }
            settings(ctx);
        });
    }

    private void info(RoutingContext ctx) {
        ObjectNode info = Json.object();
        info.put("graph", emulator.graphV1Url());
        info.put("graphBeta", emulator.graphBetaUrl());
        info.put("authority", emulator.authority());
        info.put("oidcAuthority", emulator.oidcAuthority());
        info.put("tokenEndpoint", emulator.tokenEndpointUrl());
        info.put("openIdConfiguration", emulator.openIdConfigurationUrl());
        info.put("commonOpenIdConfiguration", emulator.commonOpenIdConfigurationUrl());
        info.put("jwks", emulator.jwksUrl());
        info.put("tenantId", emulator.tenantId());
        ArrayNode routes = info.putArray("routes");
        ROUTES.forEach(r -> routes.addObject().put("method", r[0]).put("path", r[1]).put("description", r[2]));
        GraphResponses.json(ctx, 200, info);
    }

    private void clock(RoutingContext ctx) {
        GraphResponses.json(ctx, 200, Json.object().put("now", emulator.clock().instant().toString())
                .put("offsetSeconds", emulator.clock().offset().toMillis() / 1000.0));
    }

    private void settings(RoutingContext ctx) {
        GraphResponses.json(ctx, 200, Json.object().put("validationTokenVersion", emulator.validationTokenVersion().name()));
    }

    private static void created(RoutingContext ctx, ChatMessage message) {
        ObjectNode json = message.toJson();
        json.put("resource", message.resourcePath());
        GraphResponses.json(ctx, 201, json);
    }

    private static NewMessage newMessage(JsonNode b) {
        NewMessage.Builder m = NewMessage.from(required(b, "from")).content(required(b, "content"));
        if (b.hasNonNull("contentType")) {
            m.contentType(b.get("contentType").asText());
        }
        if (b.hasNonNull("subject")) {
            m.subject(b.get("subject").asText());
        }
        if (b.hasNonNull("importance")) {
            m.importance(b.get("importance").asText());
        }
        strings(b.path("mentions")).forEach(m::mention);
        return m.build();
    }

    private static JsonNode body(RoutingContext ctx) {
        JsonNode body = Json.parseOrNull(ctx.body().asString());
        if (body == null || !body.isObject()) {
            throw GraphApiException.badRequest("BadRequest", "The request body must be a JSON object.");
        }
        return body;
    }

    private static String required(JsonNode body, String field) {
        String value = Json.text(body, field);
        if (value == null || value.isBlank()) {
            throw GraphApiException.badRequest("BadRequest", "\"" + field + "\" is required.");
        }
        return value;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static ObjectNode wrap(JsonNode list) {
        ObjectNode body = Json.object();
        body.set("value", list);
        return body;
    }
}
