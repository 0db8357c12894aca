package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before Camel Main reads the YAML routes: starts the HTTP server the graph-teams consumers serve on (port
 * {@code http.port}), then sets the application up for {@code graph.mode}: "emulator" starts the Graph emulator in
 * this JVM and points the graph.* settings at it; "real" checks that every setting Microsoft Graph needs is there and
 * fails naming each one that is not. Also fails when {@code messages.sink} names no sink.
 */
public final class GraphModeConfigurer extends MainListenerSupport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphModeConfigurer.class);

    private volatile EmbeddedGraph embeddedGraph;

    /** The emulator of emulator mode, once started; null in real mode. */
    public EmbeddedGraph embeddedGraph() {
        return embeddedGraph;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        String mode = properties.resolveProperty(GraphSettings.MODE).orElse(GraphSettings.MODE_EMULATOR)
                .trim().toLowerCase(Locale.ROOT);
        boolean emulator = GraphSettings.MODE_EMULATOR.equals(mode);
        if (!emulator && !GraphSettings.MODE_REAL.equals(mode)) {
            throw new IllegalArgumentException(GraphSettings.MODE + " (env "
                                               + GraphSettings.environmentVariable(GraphSettings.MODE) + ") is '" + mode
                                               + "': use " + GraphSettings.MODE_EMULATOR + " or "
                                               + GraphSettings.MODE_REAL);
        }
        GraphSettings.invalidSink(properties::resolveProperty).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        if (!emulator) {
            checkRealModeSettings(properties);
        }
        int port = httpPort(properties);
        String host = properties.resolveProperty(GraphSettings.HTTP_HOST).orElse("0.0.0.0").trim();
        checkPortFree(host, port);
        if (emulator) {
            startEmulator(main, context, properties, port);
        } else {
            LOG.info("Real mode: Microsoft Graph at {}, tenant {}, notifications to {}/graph/notifications",
                    properties.resolveProperty(GraphSettings.BASE_URL).orElse("?"),
                    properties.resolveProperty(GraphSettings.TENANT_ID).orElse("?"),
                    properties.resolveProperty(GraphSettings.PUBLIC_URL).orElse("?"));
        }
        addHttpServer(context, host, port);
    }

    /**
     * Camel's Vert.x server only logs a WARN when its port is taken, and Graph's handshake would then time out against
     * whatever holds the port: say so at once instead.
     */
    private static void checkPortFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on " + host + " is not free (" + e.getMessage()
                                            + "): stop what uses it or set " + GraphSettings.HTTP_PORT + " (env "
                                            + GraphSettings.environmentVariable(GraphSettings.HTTP_PORT)
                                            + ") to a free port");
        }
    }

    private static int httpPort(PropertiesComponent properties) {
        String value = properties.resolveProperty(GraphSettings.HTTP_PORT)
                .orElse(Integer.toString(GraphSettings.DEFAULT_HTTP_PORT)).trim();
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(GraphSettings.HTTP_PORT + " (env "
                                           + GraphSettings.environmentVariable(GraphSettings.HTTP_PORT) + ") is '"
                                           + value + "': use a port number between 1 and 65535");
    }

    /** camel-platform-http-main is not published for Camel 4.22, so the application adds the Vert.x server itself. */
    private static void addHttpServer(CamelContext context, String host, int port) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindPort(port);
        configuration.setBindHost(host);
        try {
            context.addService(new VertxPlatformHttpServer(configuration));
        } catch (Exception e) {
            throw new IllegalStateException("Could not add the HTTP server on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static void checkRealModeSettings(PropertiesComponent properties) {
        List<String> missing = GraphSettings.missingForRealMode(properties::resolveProperty);
        List<String> invalid = GraphSettings.invalidForRealMode(properties::resolveProperty);
        if (missing.isEmpty() && invalid.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing " + String.join(", ", missing));
        }
        problems.addAll(invalid);
        throw new IllegalStateException("graph.mode=real cannot start: " + String.join("; ", problems)
                                        + ". Set them in application.properties, as environment variables or as "
                                        + "-Dname=value (see the README, \"Run the demo\").");
    }

    private void startEmulator(BaseMainSupport main, CamelContext context, PropertiesComponent properties, int port) {
        EmbeddedGraph graph = EmbeddedGraph.startEmulator();
        embeddedGraph = graph;
        // the emulator's settings win over anything configured: emulator mode never talks to another Graph
        graph.settings(port).forEach((name, value) -> properties.addOverrideProperty((String) name, (String) value));
        context.getRegistry().bind(EmbeddedGraph.TLS_BEAN, graph.tls());
        try {
            // stopped with the CamelContext, after the routes
            context.addService(graph, true, false);
            if (properties.resolveProperty(GraphSettings.DEMO_TRAFFIC_ENABLED).map(String::trim)
                    .map(Boolean::parseBoolean).orElse(true)) {
                context.addStartupListener(startTrafficWhenStarted());
            } else {
                LOG.info("Simulated Teams traffic is off ({}=false)", GraphSettings.DEMO_TRAFFIC_ENABLED);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not register the Graph emulator with Camel: " + e.getMessage(), e);
        }
        main.configure().addRoutesBuilder(new SimulatedTeamsTraffic(graph.emulator().teams()));
    }

    private static ExtendedStartupListener startTrafficWhenStarted() {
        return new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext camelContext, boolean alreadyStarted) {
                // wait for onCamelContextFullyStarted: by then every route's subscription exists
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext camelContext, boolean alreadyStarted) throws Exception {
                camelContext.getRouteController().startRoute(SimulatedTeamsTraffic.ROUTE_ID);
                LOG.info("Simulated Teams traffic started: messages, mentions, edits and deletes in 2 channels and "
                         + "2 chats");
            }
        };
    }

    /** Stops the emulator if the application did not get far enough for Camel to stop it. */
    @Override
    public void close() {
        EmbeddedGraph graph = embeddedGraph;
        if (graph != null) {
            graph.stop();
        }
    }
}
