package io.camelgraphteams.component.webhook;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server graph-teams starts itself (component option serverPort) when the application runs none on that
 * port: a Vert.x server whose router is registered as the port's platform-http router, so other platform-http routes
 * may share it, listening with limits the application's own server cannot be given from a route: a cap on open
 * connections, a time limit on a request's headers (a client that dribbles them byte by byte is cut off), an idle
 * timeout, bounded header and request-line sizes, HTTP/1.1 only. Request bodies are bounded by
 * {@link NotificationHttpRoutes} on any server.
 */
public final class WebhookHttpServer extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHttpServer.class);
    private static final int MAX_HEADER_SIZE = 16 * 1024;
    private static final int MAX_INITIAL_LINE_LENGTH = 8 * 1024;

    /**
     * @param maxConnections connections open at once; a further one is closed at once
     * @param headerTimeout  how long a connection may take to send a request's headers (from connecting, or from the
     *                       previous answer on a kept-alive connection)
     * @param idleTimeout    a connection silent this long is closed
     */
    public record Limits(int maxConnections, Duration headerTimeout, Duration idleTimeout) {

        public static Limits defaults() {
            return new Limits(1024, Duration.ofSeconds(10), Duration.ofSeconds(60));
        }
    }

    private final int port;
    private final Limits limits;
    private final AtomicInteger openConnections = new AtomicInteger();
    // per connection waiting for a request's headers: the timer that closes it
    private final Map<HttpConnection, Long> headerTimers = new ConcurrentHashMap<>();
    private CamelContext camelContext;
    private Vertx vertx;
    private boolean ownVertx;
    private HttpServer server;
    private String routerName;

    public WebhookHttpServer(int port, Limits limits) {
        this.port = port;
        this.limits = limits;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public int openConnections() {
        return openConnections.get();
    }

    @Override
    protected void doStart() throws Exception {
        Set<Vertx> shared = camelContext.getRegistry().findByType(Vertx.class);
        ownVertx = shared.size() != 1;
        vertx = ownVertx ? Vertx.vertx() : shared.iterator().next();
        Router router = Router.router(vertx);
        // first on every request: once it is answered, a kept-alive connection has headerTimeout for its next one
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpConnection connection = ctx.request().connection();
            ctx.addEndHandler(done -> {
                // failed: the connection closed before the answer, and its close handler has run already
                if (done.succeeded()) {
                    awaitHeaders(connection);
                }
            });
            ctx.next();
        });
        routerName = VertxPlatformHttpRouter.getRouterNameFromPort(port);
        camelContext.getRegistry().bind(routerName, new VertxPlatformHttpRouter(null, vertx, router, routerName));
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) Math.max(1, limits.idleTimeout().toSeconds()))
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
                // one request per connection at a time, closed cleanly when graph-teams cuts an upload off
                .setHttp2ClearTextEnabled(false);
        server = vertx.createHttpServer(options)
                .connectionHandler(this::connected)
                .requestHandler(request -> {
                    cancelHeaderTimer(request.connection());
                    router.handle(request);
                });
        server.listen(port).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("graph-teams HTTP server listening on port {} (at most {} connections, {} ms for a request's "
                 + "headers, idle timeout {} s)", port, limits.maxConnections(), limits.headerTimeout().toMillis(),
                limits.idleTimeout().toSeconds());
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("The graph-teams HTTP server did not close cleanly: {}", e.getMessage());
            }
            server = null;
        }
        if (routerName != null) {
            camelContext.getRegistry().unbind(routerName);
            routerName = null;
        }
        if (ownVertx && vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        vertx = null;
    }

    private void connected(HttpConnection connection) {
        if (openConnections.incrementAndGet() > limits.maxConnections()) {
            openConnections.decrementAndGet();
            LOG.debug("Closed a connection: {} are open already", limits.maxConnections());
            connection.close();
            return;
        }
        connection.closeHandler(closed -> {
            openConnections.decrementAndGet();
            cancelHeaderTimer(connection);
        });
        awaitHeaders(connection);
    }

    private void awaitHeaders(HttpConnection connection) {
        Vertx current = vertx;
        if (current == null) {
            return;
        }
        long timer = current.setTimer(limits.headerTimeout().toMillis(), id -> {
            if (headerTimers.remove(connection, id)) {
                LOG.debug("Closed a connection that sent no complete request headers within {} ms",
                        limits.headerTimeout().toMillis());
                connection.close();
            }
        });
        Long previous = headerTimers.put(connection, timer);
        if (previous != null) {
            current.cancelTimer(previous);
        }
    }

    private void cancelHeaderTimer(HttpConnection connection) {
        Long timer = headerTimers.remove(connection);
        Vertx current = vertx;
        if (timer != null && current != null) {
            current.cancelTimer(timer);
        }
    }
}
