package io.camelgraphteams.testsupport.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The one public URL in front of several instances, as an ingress or load balancer gives them: each request goes to
 * the next instance in turn; an instance that does not answer, or answers 404 (its route is gone, so the request was
 * not processed), is skipped for the next one. Every other answer, 503 included, goes back to the caller (Graph).
 * With an {@link SSLContext} it is the HTTPS front a real deployment has (Graph posts only to https URLs), and
 * forwards plain HTTP to the instances, as an ingress that terminates TLS does.
 */
public final class RoundRobinLoadBalancer implements AutoCloseable {

    private final HttpServer server;
    // a thread per request in flight, as an ingress takes as many connections as Graph opens: a small pool would queue
    // requests behind slow answers and make Graph's timings the balancer's, not the instances'
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Integer> instancePorts;
    private final String scheme;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Integer, AtomicLong> answeredBy = new ConcurrentHashMap<>();

    private RoundRobinLoadBalancer(List<Integer> instancePorts, SSLContext tls) throws IOException {
        this.instancePorts = List.copyOf(instancePorts);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
            scheme = "https";
        }
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /** Balances over the instances listening on these ports of 127.0.0.1. */
    public static RoundRobinLoadBalancer start(List<Integer> instancePorts) throws IOException {
        return new RoundRobinLoadBalancer(instancePorts, null);
    }

    /** Balances over the instances listening on these ports of 127.0.0.1, serving HTTPS with {@code tls}. */
    public static RoundRobinLoadBalancer startHttps(List<Integer> instancePorts, SSLContext tls) throws IOException {
        return new RoundRobinLoadBalancer(instancePorts, tls);
    }

    /** The public URL of {@code path}, as notificationUrl and lifecycleNotificationUrl name it. */
    public String url(String path) {
        return scheme + "://localhost:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests the instance on this port answered (any status but 404). */
    public long answeredBy(int instancePort) {
        AtomicLong count = answeredBy.get(instancePort);
        return count == null ? 0 : count.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            int first = Math.floorMod(next.getAndIncrement(), instancePorts.size());
            for (int i = 0; i < instancePorts.size(); i++) {
                int port = instancePorts.get((first + i) % instancePorts.size());
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .timeout(Duration.ofSeconds(15))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                if (contentType != null) {
                    request.header("Content-Type", contentType);
                }
                HttpResponse<byte[]> answer;
                try {
                    answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (answer.statusCode() == 404) {
                    continue;
                }
                answeredBy.computeIfAbsent(port, p -> new AtomicLong()).incrementAndGet();
                answer.headers().firstValue("Content-Type")
                        .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                byte[] out = answer.body();
                exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(out);
                    }
                }
                return;
            }
            exchange.sendResponseHeaders(502, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
