package io.camelgraphteams.component.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP stand-in for the identity platform's key discovery, on 127.0.0.1 and a free port:
 * GET {@value #CONFIGURATION_PATH} (issuer, jwks_uri pointing here) and GET {@value #KEYS_PATH} (the JWKS, replaceable at
 * runtime to simulate key rotation). Counts requests per path; can answer with an error status or slowly.
 * <pre>{@code
 * try (OpenIdTestServer idp = OpenIdTestServer.start(issuer.jwkSetJson())) {
 *     OpenIdSigningKeys keys = new OpenIdSigningKeys(idp.openIdConfigurationUrl());
 *     ...
 *     assertThat(idp.keysRequests()).isEqualTo(1);
 * }
 * }</pre>
 */
public final class OpenIdTestServer implements AutoCloseable {

    public static final String CONFIGURATION_PATH = "/common/.well-known/openid-configuration";
    public static final String KEYS_PATH = "/common/discovery/keys";
    /** What Azure AD's v1 common configuration names as issuer. */
    public static final String ISSUER = "https://sts.windows.net/{tenantid}/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, Integer> failureStatus = new ConcurrentHashMap<>();
    private volatile String keysJson;
    private volatile String configurationJson;
    private volatile Duration keysDelay = Duration.ZERO;

    private OpenIdTestServer(String jwkSetJson) throws IOException {
        this.keysJson = jwkSetJson;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "openid-test-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.configurationJson = defaultConfiguration();
    }

    /** Starts serving {@code jwkSetJson} at {@link #KEYS_PATH}. */
    public static OpenIdTestServer start(String jwkSetJson) {
        try {
            return new OpenIdTestServer(jwkSetJson);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the OpenID test server on 127.0.0.1", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String openIdConfigurationUrl() {
        return baseUrl() + CONFIGURATION_PATH;
    }

    public String jwksUrl() {
        return baseUrl() + KEYS_PATH;
    }

    /** Replaces the JWKS (key rotation). */
    public void serveKeys(String jwkSetJson) {
        this.keysJson = jwkSetJson;
    }

    /** Replaces the OpenID configuration document (e.g. one without jwks_uri). */
    public void serveConfiguration(String json) {
        this.configurationJson = json;
    }

    /** Answers every request to {@code path} with {@code status} and an OAuth2-shaped error body, until {@link #recover()}. */
    public void failWith(String path, int status) {
        failureStatus.put(path, status);
    }

    public void recover() {
        failureStatus.clear();
    }

    /** Answers key requests only after {@code delay} (to make concurrent fetches overlap). */
    public void delayKeys(Duration delay) {
        this.keysDelay = delay;
    }

    public int requestCount(String path) {
        AtomicInteger count = requestCounts.get(path);
        return count == null ? 0 : count.get();
    }

    public int configurationRequests() {
        return requestCount(CONFIGURATION_PATH);
    }

    public int keysRequests() {
        return requestCount(KEYS_PATH);
    }

    private String defaultConfiguration() {
        return "{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + jwksUrl() + "\","
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                + "\"token_endpoint\":\"" + baseUrl() + "/common/oauth2/token\"}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"method_not_allowed\"}");
                return;
            }
            Integer failure = failureStatus.get(path);
            if (failure != null) {
                respond(exchange, failure, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"test failure\"}");
                return;
            }
            switch (path) {
                case CONFIGURATION_PATH -> respond(exchange, 200, configurationJson);
                case KEYS_PATH -> {
                    sleep(keysDelay);
                    respond(exchange, 200, keysJson);
                }
                default -> respond(exchange, 404, "{\"error\":\"not_found\"}");
            }
        }
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
