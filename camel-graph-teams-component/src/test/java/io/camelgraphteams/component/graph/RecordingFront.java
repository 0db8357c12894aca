package io.camelgraphteams.component.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;

/**
 * A recording reverse proxy in front of the emulator: every request passes through unchanged and is recorded (method,
 * path, time), so tests count what really went over the wire. The emulator builds absolute URLs from the Host it is
 * addressed by, so answers are rewritten to point back at the front. Used where the emulator keeps no request log
 * (token endpoint, Graph calls).
 */
public final class RecordingFront implements AutoCloseable {

    /** One request the front passed on. */
    public record Request(String method, String path, String query, long receivedNanos, int status) {
    }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient client;
    private final String target;
    private final String baseUrl;
    private final SSLContext clientTrust;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean rewriteLinks = true;

    private RecordingFront(String target, SSLContext targetTrust, boolean https) throws Exception {
        this.target = stripSlash(target);
        HttpClient.Builder cb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (targetTrust != null) {
            cb.sslContext(targetTrust);
        }
        this.client = cb.build();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        if (https) {
            SelfSignedCertificate certificate = SelfSignedCertificate.forLocalhost();
            char[] password = "front".toCharArray();
            KeyStore keyStore = certificate.keyStore(password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext serverContext = SSLContext.getInstance("TLS");
            serverContext.init(kmf.getKeyManagers(), null, null);
            HttpsServer s = HttpsServer.create(any, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(serverContext));
            this.server = s;
            this.clientTrust = certificate.trustingSslContext();
        } else {
            this.server = HttpServer.create(any, 0);
            this.clientTrust = null;
        }
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
        this.baseUrl = (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An HTTPS front (its own self-signed certificate, see {@link #clientTrust()}) for an HTTPS target. */
    public static RecordingFront https(String target, SSLContext targetTrust) throws Exception {
        return new RecordingFront(target, targetTrust, true);
    }

    /** A plain-HTTP front for a plain-HTTP target. */
    public static RecordingFront http(String target) throws Exception {
        return new RecordingFront(target, null, false);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Trusts the HTTPS front's certificate. */
    public SSLContext clientTrust() {
        return clientTrust;
    }

    /**
     * false: answers pass with the target's own URLs in them, as a front that the target does not know about would
     * leave them (an OpenID configuration then names an issuer other than the front's authority).
     */
    public RecordingFront rewriteLinks(boolean rewrite) {
        this.rewriteLinks = rewrite;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests with this method whose path ends with {@code pathSuffix}. */
    public List<Request> requests(String method, String pathSuffix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).toList();
    }

    public void clear() {
        requests.clear();
    }

    private void forward(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        boolean recorded = false;
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 && !hasBody(exchange)
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> rb.header(name, v));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            int status = answer.statusCode();
            byte[] out = answer.body();
            String type = answer.headers().firstValue("Content-Type").orElse("");
            if (rewriteLinks && out.length > 0 && (type.contains("json") || type.startsWith("text/"))) {
                out = new String(out, StandardCharsets.UTF_8).replace(target, baseUrl).getBytes(StandardCharsets.UTF_8);
            }
            answer.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("content-length") && !lower.equals("transfer-encoding") && !lower.equals("connection")
                        && !lower.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name,
                            rewriteLinks ? v.replace(target, baseUrl) : v));
                }
            });
            // recorded before the answer leaves, so a test that has its answer sees the record
            record(exchange, received, status);
            recorded = true;
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } finally {
            if (!recorded) {
                record(exchange, received, 502);
            }
        }
    }

    private void record(HttpExchange exchange, long received, int status) {
        URI uri = exchange.getRequestURI();
        requests.add(new Request(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), received, status));
    }

    private static boolean hasBody(HttpExchange exchange) {
        String m = exchange.getRequestMethod();
        return m.equals("POST") || m.equals("PATCH") || m.equals("PUT");
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
