package io.camelgraphteams.emulator.http;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes answers the way Graph does: JSON bodies, request-id headers and the {@code error} envelope. */
public final class GraphResponses {

    private GraphResponses() {
    }

    public static void json(RoutingContext ctx, int status, JsonNode body) {
        json(ctx, status, body, "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
    }

    public static void json(RoutingContext ctx, int status, JsonNode body, String contentType) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        requestIds(ctx);
        response.setStatusCode(status).putHeader("Content-Type", contentType).end(Json.write(body));
    }

    public static void noContent(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        requestIds(ctx);
        ctx.response().setStatusCode(204).end();
    }

    public static void error(RoutingContext ctx, GraphApiException e, Clock clock) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        e.headers().forEach(response::putHeader);
        json(ctx, e.status(), errorBody(e.code(), e.getMessage(), requestId(ctx), clientRequestId(ctx), clock.instant()));
    }

    /** Graph's envelope: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
    public static ObjectNode errorBody(String code, String message, String requestId, String clientRequestId, Instant now) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", now.truncatedTo(ChronoUnit.SECONDS).toString());
        inner.put("request-id", requestId);
        inner.put("client-request-id", clientRequestId);
        return body;
    }

    private static void requestIds(RoutingContext ctx) {
        ctx.response().putHeader("request-id", requestId(ctx));
        ctx.response().putHeader("client-request-id", clientRequestId(ctx));
    }

    public static String requestId(RoutingContext ctx) {
        String id = ctx.get("request-id");
        if (id == null) {
            id = UUID.randomUUID().toString();
            ctx.put("request-id", id);
        }
        return id;
    }

    public static String clientRequestId(RoutingContext ctx) {
        String id = ctx.request().getHeader("client-request-id");
        return id != null ? id : requestId(ctx);
    }

    /** scheme://host:port as the caller addressed this server, so links in answers lead back to it. */
    public static String baseUrl(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String host = request.getHeader("Host");
        if (host == null || host.isBlank()) {
            host = request.localAddress().host() + ":" + request.localAddress().port();
        }
        return request.scheme() + "://" + host;
    }
}
