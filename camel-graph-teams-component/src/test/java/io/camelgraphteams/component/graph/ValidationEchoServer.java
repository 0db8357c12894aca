package io.camelgraphteams.component.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A notification endpoint that only does Graph's validation handshake: it answers {@code ?validationToken=} with 200,
 * text/plain and the decoded token, and anything else with 202. Counts handshakes per path.
 */
public final class ValidationEchoServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final Map<String, AtomicInteger> handshakes = new ConcurrentHashMap<>();

    private ValidationEchoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    public static ValidationEchoServer start() throws IOException {
        return new ValidationEchoServer();
    }

    /** http://127.0.0.1:{port}{path}: Graph accepts http for loopback addresses. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int handshakes(String path) {
        AtomicInteger n = handshakes.get(path);
        return n == null ? 0 : n.get();
    }

    public void clear() {
        handshakes.clear();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String token = validationToken(exchange.getRequestURI().getRawQuery());
            if (token == null) {
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            handshakes.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
            byte[] body = token.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String validationToken(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("validationToken=")) {
                return URLDecoder.decode(pair.substring("validationToken=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
