package io.camelgraphteams.component;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.camelgraphteams.component.security.OpenIdSigningKeys;
import io.camelgraphteams.component.webhook.NotificationHttpRoutes;
import org.apache.camel.Endpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
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
public class GraphTeamsComponent extends HealthCheckComponent {

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

    private final Map<String, OpenIdSigningKeys> signingKeys = new ConcurrentHashMap<>();
    // router name + path → consumer serving it, so two consumers never silently share a path
    private final Map<String, GraphTeamsConsumer> servedPaths = new HashMap<>();

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

    public int getServerPort() {
        return serverPort;
    }

    public void setServerPort(int serverPort) {
        this.serverPort = serverPort;
    }

    /** One key cache per OpenID configuration, shared by the endpoints that use it. */
    OpenIdSigningKeys signingKeys(String openIdConfigurationUrl) {
        return signingKeys.computeIfAbsent(openIdConfigurationUrl, OpenIdSigningKeys::new);
    }

    synchronized void registerHttpRoutes(GraphTeamsConsumer consumer, NotificationHttpRoutes routes, String... paths)
            throws Exception {
        VertxPlatformHttpRouter router = router();
        for (String path : new LinkedHashSet<>(List.of(paths))) {
            GraphTeamsConsumer owner = servedPaths.get(router.getName() + path);
            if (owner != null && owner != consumer) {
                throw new IllegalStateException("The path " + path + " is already served by "
                                                + owner.getEndpoint().getEndpointUri()
                                                + ": give each graph-teams consumer its own notificationPath and "
                                                + "lifecycleNotificationPath");
            }
        }
        for (String path : new LinkedHashSet<>(List.of(paths))) {
            servedPaths.put(router.getName() + path, consumer);
        }
        routes.register(router, paths);
    }

    synchronized void unregisterHttpRoutes(GraphTeamsConsumer consumer, NotificationHttpRoutes routes) {
        routes.unregister();
        servedPaths.values().removeIf(owner -> owner == consumer);
    }

    /**
     * Finds the platform-http router to serve on, or starts a server when serverPort asks for one.
     */
    private VertxPlatformHttpRouter router() throws Exception {
        if (serverPort > 0) {
            VertxPlatformHttpRouter router = lookupRouter(VertxPlatformHttpRouter.getRouterNameFromPort(serverPort));
            if (router == null) {
                LOG.info("No platform-http server on port {}: graph-teams starts a Vert.x one", serverPort);
                VertxPlatformHttpServerConfiguration serverConfiguration = new VertxPlatformHttpServerConfiguration();
                serverConfiguration.setBindPort(serverPort);
                // graph-teams reads JSON bodies only: no uploads directory left behind in the working directory
                serverConfiguration.getBodyHandler().setHandleFileUploads(false);
                // Camel's server only logs when it cannot bind; Graph's handshake would then time out far from the cause
                ensurePortFree(serverPort);
                getCamelContext().addService(new VertxPlatformHttpServer(serverConfiguration), true, true);
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
            throw new IllegalStateException(
                    "graph-teams needs an HTTP server to receive Graph's notifications, and this application runs no "
                                            + "platform-http (Vert.x) server. Add one (camel-platform-http-main, Spring Boot "
                                            + "or Quarkus platform-http, or context.addService(new VertxPlatformHttpServer("
                                            + "configuration))), or set the graph-teams component option serverPort to let "
                                            + "graph-teams start one on that port.");
        }
        throw new IllegalStateException("Several platform-http servers run in this application: set the graph-teams "
                                        + "component option serverPort to the port graph-teams should serve on");
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
