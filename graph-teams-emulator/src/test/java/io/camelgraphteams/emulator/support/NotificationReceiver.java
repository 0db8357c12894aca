package io.camelgraphteams.emulator.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.camelgraphteams.emulator.http.Json;

/**
 * A subscriber's endpoint for tests: a plain JDK HttpServer that answers Graph's validation handshake (correctly by
 * default) and records every notification POST. Its answers can be made wrong, slow or failing.
 */
public final class NotificationReceiver implements AutoCloseable {

    /** One request the emulator made. */
    public record Received(String path, String query, String contentType, String body, Instant at) {
        public JsonNode json() {
            return Json.parseOrNull(body);
        }

        public String validationToken() {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                if (pair.startsWith("validationToken=")) {
                    return URLDecoder.decode(pair.substring("validationToken=".length()), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    public enum Handshake { ECHO, WRONG_ECHO, STATUS_500, JSON_CONTENT_TYPE, SLOW }

    private final HttpServer server;
    private final List<Received> handshakes = new CopyOnWriteArrayList<>();
    private final List<Received> notifications = new CopyOnWriteArrayList<>();
    private volatile Handshake handshake = Handshake.ECHO;
    private volatile Duration slowBy = Duration.ofSeconds(2);
    private volatile IntSupplier notificationStatus = () -> 202;
    private volatile java.util.function.Supplier<Duration> notificationDelay = () -> Duration.ZERO;

    public NotificationReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    public NotificationReceiver handshake(Handshake mode) {
        this.handshake = mode;
        return this;
    }

    public NotificationReceiver slowHandshakeBy(Duration delay) {
        this.handshake = Handshake.SLOW;
        this.slowBy = delay;
        return this;
    }

    /** Status for notification POSTs, asked per request (so a test can fail the first N). */
    public NotificationReceiver notificationStatus(IntSupplier status) {
        this.notificationStatus = status;
        return this;
    }

    /** How long to wait before answering a notification POST, asked per request. */
    public NotificationReceiver notificationDelay(java.util.function.Supplier<Duration> delay) {
        this.notificationDelay = delay;
        return this;
    }

    /** Back to: answer handshakes right, notifications 202 at once. */
    public NotificationReceiver reset() {
        handshake = Handshake.ECHO;
        notificationStatus = () -> 202;
        notificationDelay = () -> Duration.ZERO;
        return this;
    }

    public List<Received> handshakes() {
        return List.copyOf(handshakes);
    }

    /** Notification POSTs (not handshakes) to the given path. */
    public List<Received> notifications(String path) {
        return notifications.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> notifications() {
        return List.copyOf(notifications);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            URI uri = exchange.getRequestURI();
            Received received = new Received(uri.getPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, Instant.now());
            if (received.validationToken() != null) {
                handshakes.add(received);
                answerHandshake(exchange, received.validationToken());
                return;
            }
            notifications.add(received);
            pause(notificationDelay.get());
            exchange.sendResponseHeaders(notificationStatus.getAsInt(), -1);
        }
    }

    private void answerHandshake(HttpExchange exchange, String token) throws IOException {
        Handshake mode = handshake;
        if (mode == Handshake.SLOW) {
            pause(slowBy);
        }
        if (mode == Handshake.STATUS_500) {
            exchange.sendResponseHeaders(500, -1);
            return;
        }
        String answer = mode == Handshake.WRONG_ECHO ? "not-the-token" : token;
        exchange.getResponseHeaders().add("Content-Type",
                mode == Handshake.JSON_CONTENT_TYPE ? "application/json" : "text/plain; charset=utf-8");
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
