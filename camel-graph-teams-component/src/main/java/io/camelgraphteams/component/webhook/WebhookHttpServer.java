package io.camelgraphteams.component.webhook;

import java.io.File;
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
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SSLOptions;
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

    /**
     * TLS on the server (Graph posts only to https URLs): a PEM certificate chain and key, or a PKCS#12 key store
     * ({@code keyPath} null), re-read when the files change so a renewed certificate needs no restart.
     *
     * @param certificatePath the PEM certificate chain, or the PKCS#12 file
     * @param keyPath         the PEM private key; null for PKCS#12
     * @param password        the PKCS#12 password; null for PEM
     * @param reloadInterval  how often the files are looked at; zero: never
     */
    public record Tls(String certificatePath, String keyPath, String password, Duration reloadInterval) {

        KeyCertOptions keyCertOptions() {
            return keyPath != null ? new PemKeyCertOptions().setCertPath(certificatePath).setKeyPath(keyPath)
                    : new PfxOptions().setPath(certificatePath).setPassword(password);
        }

        long lastModified() {
            long certificate = new File(certificatePath).lastModified();
            return keyPath == null ? certificate : Math.max(certificate, new File(keyPath).lastModified());
        }
    }

    // Graph requires TLS 1.2 or later
    private static final Set<String> TLS_VERSIONS = Set.of("TLSv1.2", "TLSv1.3");

    private final int port;
    private final Limits limits;
    private final Tls tls;
    private volatile long tlsFilesModified;
    private volatile long tlsFilesSeen;
    private long reloadTimer = -1;
    private final AtomicInteger openConnections = new AtomicInteger();
    // per connection waiting for a request's headers: the timer that closes it
    private final Map<HttpConnection, Long> headerTimers = new ConcurrentHashMap<>();
    private CamelContext camelContext;
    private Vertx vertx;
    private boolean ownVertx;
    private HttpServer server;
    private String routerName;

    public WebhookHttpServer(int port, Limits limits) {
        this(port, limits, null);
    }

    /** @param tls null for plain HTTP (behind a proxy that terminates TLS) */
    public WebhookHttpServer(int port, Limits limits, Tls tls) {
        this.port = port;
        this.limits = limits;
        this.tls = tls;
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
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(tls.keyCertOptions()).setEnabledSecureTransportProtocols(TLS_VERSIONS);
            tlsFilesModified = tls.lastModified();
        }
        server = vertx.createHttpServer(options)
                .connectionHandler(this::connected)
                .requestHandler(request -> {
                    cancelHeaderTimer(request.connection());
                    router.handle(request);
                });
        server.listen(port).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (tls != null && !tls.reloadInterval().isZero()) {
            reloadTimer = vertx.setPeriodic(tls.reloadInterval().toMillis(), id -> reloadCertificateIfChanged());
        }
        LOG.info("graph-teams HTTP server listening on port {} (at most {} connections, {} ms for a request's "
                 + "headers, idle timeout {} s)", port, limits.maxConnections(), limits.headerTimeout().toMillis(),
                limits.idleTimeout().toSeconds());
    }

    @Override
    protected void doStop() throws Exception {
        if (reloadTimer >= 0 && vertx != null) {
            vertx.cancelTimer(reloadTimer);
            reloadTimer = -1;
        }
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

    /**
     * A renewed certificate (the files changed, and stayed so for one interval: a renewal that replaces the key and
     * the certificate one after the other is not taken half done) is served to new connections; a broken one leaves
     * the old in use.
     */
    private void reloadCertificateIfChanged() {
        HttpServer current = server;
        long modified = tls.lastModified();
        if (current == null || modified == tlsFilesModified) {
            return;
        }
        if (modified != tlsFilesSeen) {
            tlsFilesSeen = modified;
            return;
        }
        tlsFilesModified = modified;
        current.updateSSLOptions(new SSLOptions().setKeyCertOptions(tls.keyCertOptions())
                .setEnabledSecureTransportProtocols(TLS_VERSIONS), true).onComplete(result -> {
                    if (result.succeeded()) {
                        LOG.info("The graph-teams HTTP server took the renewed certificate {}", tls.certificatePath());
                    } else {
                        LOG.warn("The renewed certificate {} could not be loaded, the previous one stays in use: {}",
                                tls.certificatePath(), result.cause().getMessage());
                    }
                });
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
