package io.camelgraphteams.component;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.camelgraphteams.component.delivery.RecentKeys;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.preflight.Preflight;
import io.camelgraphteams.component.preflight.PreflightReport;
import io.camelgraphteams.component.preflight.PreflightSource;
import io.camelgraphteams.component.security.OpenIdSigningKeys;
import io.camelgraphteams.component.subscription.SubscriptionSpec;
import io.camelgraphteams.component.webhook.BatchIntake;
import io.camelgraphteams.component.webhook.NotificationHttpRoutes;
import io.camelgraphteams.component.webhook.PlatformHttpWebhook;
import io.camelgraphteams.component.webhook.UploadAdmission;
import io.camelgraphteams.component.webhook.UploadBudget;
import io.camelgraphteams.component.webhook.WebhookHttpServer;
import io.camelgraphteams.component.webhook.WebhookPaths;
import org.apache.camel.Endpoint;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graph-teams component: Microsoft Teams messages from Microsoft Graph change notifications.
 */
@Component("graph-teams")
public class GraphTeamsComponent extends HealthCheckComponent implements PreflightSource {

    private static final Logger LOG = LoggerFactory.getLogger(GraphTeamsComponent.class);

    static {
        // Camel masks passwords in logged URIs by key name; clientState is a secret it does not know (privateKey it
        // does). One call only: each call replaces the extra keywords of the previous one
        try {
            URISupport.addSanitizeKeywords("clientState");
        } catch (NoSuchMethodError e) {
            // Camel before 4.15 (e.g. the 4.14 LTS on Karaf) has no extra keywords: URIs mask only its own list there
        }
    }

    @Metadata(description = "Options shared by every graph-teams endpoint; each endpoint may override them.")
    private GraphTeamsConfiguration configuration = new GraphTeamsConfiguration();
    @Metadata(label = "consumer,advanced",
              description = "Port of the platform-http (Vert.x) server the consumers register their paths on. When the "
                            + "application runs no platform-http server on this port, graph-teams starts one there. "
                            + "0 (default): use the application's only platform-http server and fail start-up if there is none.")
    private int serverPort;
    @Metadata(label = "consumer,advanced",
              description = "TLS on the server graph-teams starts on serverPort (Graph posts only to https URLs), for "
                            + "hosts without a proxy that terminates TLS: a PEM certificate chain (with serverPrivateKey) "
                            + "or a PKCS#12 key store (with serverKeyStorePassword), as a path or file: URL. TLS 1.2 and "
                            + "1.3. The files are re-read when they change (serverCertificateReloadInterval).")
    private String serverCertificate;
    @Metadata(label = "consumer,advanced", description = "The PEM private key of a PEM serverCertificate.")
    private String serverPrivateKey;
    @Metadata(label = "consumer,advanced", secret = true,
              description = "The password of a PKCS#12 serverCertificate.")
    private String serverKeyStorePassword;
    @Metadata(label = "consumer,advanced", defaultValue = "60000", javaType = "java.time.Duration",
              description = "How often the serverCertificate files are looked at for a renewed certificate, which new "
                            + "connections then get without a restart (0: never).")
    private long serverCertificateReloadInterval = 60_000;
    @Metadata(label = "consumer,advanced",
              description = "Bytes of notification request bodies every graph-teams consumer of this component may hold "
                            + "at once, counted from each request's Content-Length (twice maxBodySize when it gives none) "
                            + "before the body is read. A request beyond it is answered 503 at once (Graph retries). "
                            + "Bodies larger than a sixteenth of it may together hold at most three quarters, so "
                            + "ordinary batches always find room. 0 (default): a quarter of the maximum heap.")
    private long maxInFlightBytes;
    @Metadata(label = "consumer,advanced", defaultValue = "512",
              description = "Notification requests every graph-teams consumer of this component receives or works on "
                            + "at once; a further one is answered 503 at once (Graph retries).")
    private int maxConcurrentUploads = 512;

    private final Map<String, OpenIdSigningKeys> signingKeys = new ConcurrentHashMap<>();
    private UploadBudget uploadBudget;
    private RecentKeys recentKeys;
    // router name + path → consumer serving it, so two consumers never silently share a path
    // the consumer serving each path of each server (a Vert.x router by name, or the platform-http engine)
    private final Map<String, Map<String, GraphTeamsConsumer>> servedPaths = new HashMap<>();
    // the intake of each path served through a platform-http engine, read by a host's servlet filter on every request
    private final Map<String, BatchIntake> platformHttpIntakes = new ConcurrentHashMap<>();

    public GraphTeamsComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        GraphTeamsConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.setResource(remaining);
        GraphTeamsEndpoint endpoint = new GraphTeamsEndpoint(uri, this, endpointConfiguration);
        setProperties(endpoint, parameters);
        endpoint.validateConfiguration();
        return endpoint;
    }

    public GraphTeamsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(GraphTeamsConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getServerCertificate() {
        return serverCertificate;
    }

    public void setServerCertificate(String serverCertificate) {
        this.serverCertificate = serverCertificate;
    }

    public String getServerPrivateKey() {
        return serverPrivateKey;
    }

    public void setServerPrivateKey(String serverPrivateKey) {
        this.serverPrivateKey = serverPrivateKey;
    }

    public String getServerKeyStorePassword() {
        return serverKeyStorePassword;
    }

    public void setServerKeyStorePassword(String serverKeyStorePassword) {
        this.serverKeyStorePassword = serverKeyStorePassword;
    }

    public long getServerCertificateReloadInterval() {
        return serverCertificateReloadInterval;
    }

    public void setServerCertificateReloadInterval(long serverCertificateReloadInterval) {
        this.serverCertificateReloadInterval = serverCertificateReloadInterval;
    }

    public int getServerPort() {
        return serverPort;
    }

    public void setServerPort(int serverPort) {
        this.serverPort = serverPort;
    }

    public long getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    public void setMaxInFlightBytes(long maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
    }

    public int getMaxConcurrentUploads() {
        return maxConcurrentUploads;
    }

    public void setMaxConcurrentUploads(int maxConcurrentUploads) {
        this.maxConcurrentUploads = maxConcurrentUploads;
    }

    /**
     * The dedup keys of live batches, kept until their validation token expires: one store for every consumer (keys
     * carry their endpoint's namespace), about a thirty-second of the heap at most.
     */
    synchronized RecentKeys recentKeys() {
        if (recentKeys == null) {
            int capacity = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 32
                                                             / RecentKeys.BYTES_PER_KEY);
            recentKeys = new RecentKeys(Math.max(10_000, capacity), Clock.systemUTC());
        }
        return recentKeys;
    }

    /**
     * The preflight checklist of an endpoint of this component (see docs/azure-app-registration.md): what a first hour
     * with a real tenant trips on, each line passed or failed with its fix. Reads only: creates no subscription.
     */
    public PreflightReport preflight(GraphTeamsEndpoint endpoint) throws InterruptedException {
        GraphTeamsConfiguration c = endpoint.getConfiguration();
        GraphClient graph;
        try {
            graph = endpoint.createGraphClient();
        } catch (IllegalArgumentException noCredentials) {
            graph = null;
        }
        SubscriptionSpec spec = endpoint.subscriptionSpec();
        Preflight.Settings settings = new Preflight.Settings("graph-teams:" + endpoint.getResource().path(),
                endpoint.getResource(), c.getModel(), graph == null ? null : graph.tokenProvider(),
                graph == null ? null : graph.scope(), graph, c.isIncludeResourceData(), spec.encryptionKey(),
                c.getClientState(), c.getNotificationUrl(), c.getLifecycleNotificationUrl(),
                c.isManageSubscription() ? spec : null);
        return new Preflight(settings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build(), Clock.systemUTC()).run();
    }

    /** The preflight of every endpoint of this component in the CamelContext (the preflight dev console). */
    @Override
    public List<PreflightReport> preflightReports() throws InterruptedException {
        List<PreflightReport> reports = new ArrayList<>();
        for (Endpoint endpoint : getCamelContext().getEndpoints()) {
            if (endpoint instanceof GraphTeamsEndpoint graphTeams && graphTeams.getComponent() == this) {
                reports.add(preflight(graphTeams));
            }
        }
        return reports;
    }

    /** Why bodies of up to {@code maxBodySize} bytes may not all fit the budget; empty when they do. */
    Optional<String> uploadBudgetWarning(long maxBodySize) {
        long admissible = uploadBudget().largestAdmissible();
        return 2L * maxBodySize <= admissible ? Optional.empty()
                : Optional.of("the byte budget (maxInFlightBytes, a quarter of the heap by default) admits a body of "
                              + "at most " + admissible + " bytes: bodies without Content-Length are cut at half "
                              + "that, longer ones refused (413); lower maxBodySize or give the JVM more heap");
    }

    /**
     * The one budget every consumer of this component admits request bodies against; its bytes and uploads in flight
     * are there to be watched.
     */
    public synchronized UploadBudget uploadBudget() {
        if (uploadBudget == null) {
            long bytes = maxInFlightBytes > 0 ? maxInFlightBytes : Runtime.getRuntime().maxMemory() / 4;
            uploadBudget = new UploadBudget(bytes, maxConcurrentUploads);
        }
        return uploadBudget;
    }

    /** One key cache per OpenID configuration, shared by the endpoints that use it. */
    OpenIdSigningKeys signingKeys(String openIdConfigurationUrl) {
        return signingKeys.computeIfAbsent(openIdConfigurationUrl, OpenIdSigningKeys::new);
    }

    /**
     * Serves a consumer's paths: on a Vert.x platform-http router (the application's, or the server started on
     * serverPort) where there is one, else through the application's other platform-http engine (Spring Boot's).
     */
    synchronized WebhookPaths serve(GraphTeamsConsumer consumer, BatchIntake batches, String... configuredPaths)
            throws Exception {
        // Spring MVC and Vert.x both match absolute paths: "graph/x" is served, and admitted, as "/graph/x"
        String[] paths = Stream.of(configuredPaths).map(path -> path.startsWith("/") ? path : "/" + path).distinct()
                .toArray(String[]::new);
        VertxPlatformHttpRouter router = vertxRouter();
        String server = router != null ? router.getName() : "platform-http";
        for (String path : paths) {
            GraphTeamsConsumer owner = servedPaths.getOrDefault(server, Map.of()).get(path);
            if (owner != null && owner != consumer) {
                throw new IllegalStateException("The path " + path + " is already served by "
                                                + owner.getEndpoint().getEndpointUri()
                                                + ": give each graph-teams consumer its own notificationPath and "
                                                + "lifecycleNotificationPath");
            }
        }
        WebhookPaths served;
        if (router != null) {
            NotificationHttpRoutes routes = new NotificationHttpRoutes(batches);
            routes.register(router, paths);
            served = routes;
        } else {
            LOG.debug("No Vert.x platform-http server: graph-teams serves {} through the platform-http engine {}",
                    List.of(paths), platformHttpEngine().getClass().getName());
            PlatformHttpWebhook webhook = new PlatformHttpWebhook(batches);
            webhook.register(getCamelContext(), paths);
            served = webhook;
            // kept after the consumer stops: the engine may keep the path mapped, and its bodies must stay bounded
            Stream.of(paths).forEach(path -> platformHttpIntakes.put(path, batches));
        }
        for (String path : paths) {
            servedPaths.computeIfAbsent(server, any -> new HashMap<>()).put(path, consumer);
        }
        return served;
    }

    synchronized void release(GraphTeamsConsumer consumer, WebhookPaths paths) throws Exception {
        paths.unregister();
        servedPaths.values().forEach(byPath -> byPath.values().removeIf(owner -> owner == consumer));
    }

    /**
     * For a host whose engine reads a request's body before graph-teams sees it (the Spring Boot starter's servlet
     * filter): judges a POST to {@code path} from its headers, before its body is read, as the consumer serving the
     * path through platform-http would (503, 415, 413, the byte budget), and hands an admitted one on to that consumer
     * by {@link UploadAdmission#TICKET_HEADER}. Null when no graph-teams consumer serves the path that way.
     *
     * @param path           the path as the engine matches it (decoded, without path parameters)
     * @param declaredLength the Content-Length, -1 without one
     */
    public UploadAdmission admitUpload(String path, String contentType, long declaredLength) {
        BatchIntake batches = platformHttpIntakes.get(path);
        return batches == null ? null : batches.admit(path, contentType, declaredLength);
    }

    /** Whether a graph-teams consumer serves (or served) {@code path} through a platform-http engine. */
    public boolean admitsUploads(String path) {
        return platformHttpIntakes.containsKey(path);
    }

    /** Counts and logs a body the host found longer than its admission's limit, as the consumer's own refusals. */
    public void refusedOversizedBody(String path) {
        BatchIntake batches = platformHttpIntakes.get(path);
        if (batches != null) {
            batches.tooLarge();
        }
    }

    /**
     * The Vert.x platform-http router to serve on (starting a server when serverPort asks for one); null when the
     * application has no Vert.x server but another platform-http engine.
     */
    private VertxPlatformHttpRouter vertxRouter() throws Exception {
        if (serverPort > 0) {
            VertxPlatformHttpRouter router = lookupRouter(VertxPlatformHttpRouter.getRouterNameFromPort(serverPort));
            if (router == null) {
                LOG.info("No platform-http server on port {}: graph-teams starts a Vert.x one", serverPort);
                // Vert.x only logs when it cannot bind; Graph's handshake would then time out far from the cause
                ensurePortFree(serverPort);
                getCamelContext().addService(new WebhookHttpServer(serverPort, WebhookHttpServer.Limits.defaults(),
                        serverTls()), true, true);
                router = lookupRouter(VertxPlatformHttpRouter.getRouterNameFromPort(serverPort));
            }
            if (router == null) {
                throw new IllegalStateException("Could not start a platform-http server on serverPort " + serverPort);
            }
            return router;
        }
        Set<VertxPlatformHttpRouter> routers = getCamelContext().getRegistry().findByType(VertxPlatformHttpRouter.class);
        // a plain VertxPlatformHttpServer leaves the server type unset; only management servers are excluded
        routers.removeIf(GraphTeamsComponent::isManagementServer);
        if (routers.size() == 1) {
            return routers.iterator().next();
        }
        if (routers.isEmpty()) {
            if (platformHttpEngine() != null) {
                return null;
            }
            throw new IllegalStateException(
                    "graph-teams needs an HTTP server to receive Graph's notifications, and this application runs no "
                                            + "platform-http server. Add one (camel-platform-http-main, Spring Boot's "
                                            + "camel-platform-http-starter, Quarkus platform-http, or "
                                            + "context.addService(new VertxPlatformHttpServer(configuration))), or set "
                                            + "the graph-teams component option serverPort to let graph-teams start "
                                            + "one on that port.");
        }
        throw new IllegalStateException("Several platform-http servers run in this application: set the graph-teams "
                                        + "component option serverPort to the port graph-teams should serve on");
    }

    /**
     * The application's platform-http engine other than Vert.x (whose routers are used directly), or null: the one set
     * on the platform-http component, or the one in the registry (Spring Boot's starter binds one).
     */
    private PlatformHttpEngine platformHttpEngine() {
        if (getCamelContext().hasComponent("platform-http") instanceof PlatformHttpComponent component
            && component.getEngine() != null && !(component.getEngine() instanceof VertxPlatformHttpEngine)) {
            return component.getEngine();
        }
        return getCamelContext().getRegistry().findByType(PlatformHttpEngine.class).stream()
                .filter(engine -> !(engine instanceof VertxPlatformHttpEngine))
                .findFirst().orElse(null);
    }

    /** The TLS settings of the server started on serverPort; null without serverCertificate. */
    private WebhookHttpServer.Tls serverTls() {
        if (serverCertificate == null || serverCertificate.isBlank()) {
            return null;
        }
        if ((serverPrivateKey == null) == (serverKeyStorePassword == null)) {
            throw new IllegalArgumentException("serverCertificate needs serverPrivateKey (PEM) or serverKeyStorePassword "
                                               + "(PKCS#12), one of them");
        }
        return new WebhookHttpServer.Tls(localPath(serverCertificate), serverPrivateKey == null ? null
                : localPath(serverPrivateKey), serverKeyStorePassword, Duration.ofMillis(serverCertificateReloadInterval));
    }

    private static String localPath(String location) {
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }

    private static boolean isManagementServer(VertxPlatformHttpRouter router) {
        try {
            return router.isManagementServer();
        } catch (NoSuchMethodError e) {
            // Camel before 4.18 has no separate management server: every router is the main one
            return false;
        }
    }

    private static void ensurePortFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException("graph-teams could not start an HTTP server on serverPort " + port
                                            + ": the port is in use (" + e.getMessage() + ")", e);
        }
    }

    private VertxPlatformHttpRouter lookupRouter(String name) {
        return getCamelContext().getRegistry().lookupByNameAndType(name, VertxPlatformHttpRouter.class);
    }
}
