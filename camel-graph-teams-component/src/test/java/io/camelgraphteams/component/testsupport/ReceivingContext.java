package io.camelgraphteams.component.testsupport;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;

/**
 * A real CamelContext with a real Vert.x platform-http server, a graph-teams route, and a java.net.http client that
 * POSTs to it the way Graph does. Every exchange that reaches the end of the route is recorded.
 */
public final class ReceivingContext implements AutoCloseable {

    public static final String APP_ID = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
    public static final String TENANT_ID = "2bcd9dfb-6a66-4236-98f9-e8fe4a675323";
    public static final String CLIENT_STATE = "client-state-secret-7f3a";
    public static final String CERTIFICATE_ID = "graph-teams-test-key";
    public static final String KEY_STORE_PASSWORD = "key-store-password-9c1e";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final CamelContext context;
    private final int port;
    private final List<Exchange> received = new CopyOnWriteArrayList<>();

    private ReceivingContext(CamelContext context, int port) {
        this.context = context;
        this.port = port;
    }

    /** Writes the cached test key to a PKCS#12 file in dir under alias = CERTIFICATE_ID. */
    public static Path keyStore(Path dir) {
        Path file = dir.resolve("graph-teams-test.p12");
        if (!Files.exists(file)) {
            TestKeys.writePkcs12(file, CERTIFICATE_ID, KEY_STORE_PASSWORD, TestKeys.cached(CERTIFICATE_ID));
        }
        return file;
    }

    /** The endpoint URI receiving chats/getAllMessages with resource data, keys and tokens from the test fixtures. */
    public static String chatsUri(Path keyStore, String openIdConfigurationUrl, String extraOptions) {
        return "graph-teams:chats/getAllMessages?manageSubscription=false&clientId=" + APP_ID
               + "&clientState=RAW(" + CLIENT_STATE + ")&keyStore=file:" + keyStore
               + "&keyStorePassword=RAW(" + KEY_STORE_PASSWORD + ")&certificateId=" + CERTIFICATE_ID
               + "&openIdConfigurationUrl=" + openIdConfigurationUrl
               + (extraOptions == null || extraOptions.isEmpty() ? "" : "&" + extraOptions);
    }

    /** Starts a context with a platform-http server and one route from the given URI to a recorder. */
    public static ReceivingContext start(String fromUri) throws Exception {
        return start(new RouteBuilder() {
            @Override
            public void configure() {
                from(fromUri).routeId("graph-teams-test").to("direct:received");
            }
        });
    }

    /**
     * Starts a context with a platform-http server and the given routes; routes end in "direct:received", which
     * records the exchange.
     */
    public static ReceivingContext start(RouteBuilder routes) throws Exception {
        return start(AvailablePortFinder.getNextAvailable(), context -> {
        }, routes);
    }

    /** A free port for {@link #start(int, java.util.function.Consumer, RouteBuilder)}. */
    public static int freePort() {
        return AvailablePortFinder.getNextAvailable();
    }

    /**
     * Starts a context whose platform-http server listens on {@code port}; {@code setup} runs before the routes are
     * added (to bind beans, configure the component).
     */
    public static ReceivingContext start(int port, java.util.function.Consumer<CamelContext> setup, RouteBuilder routes)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        setup.accept(context);
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(configuration));
        ReceivingContext receiving = new ReceivingContext(context, port);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:received").routeId("recorder").process(exchange -> receiving.received.add(exchange.copy()));
            }
        });
        context.addRoutes(routes);
        context.start();
        return receiving;
    }

    public CamelContext context() {
        return context;
    }

    public int port() {
        return port;
    }

    public List<Exchange> received() {
        return received;
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postBatch(byte[] body) throws Exception {
        return post("/graph/notifications", "application/json; charset=utf-8", body);
    }

    /** Graph's validation request: POST {url}?validationToken={url-encoded token}, text/plain, empty body. */
    public HttpResponse<String> handshake(String path, String token) throws Exception {
        return post(path + "?validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8), "text/plain",
                new byte[0]);
    }

    @Override
    public void close() {
        context.stop();
    }
}
