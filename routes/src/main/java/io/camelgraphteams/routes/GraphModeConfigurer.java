package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.camelgraphteams.component.GraphTeamsComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
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

    static final String IDEMPOTENT_REPOSITORY_BEAN = "graphTeamsIdempotentRepository";
    static final String STATE_REPOSITORY_BEAN = "graphTeamsStateRepository";
    /** Set by the configurer, read by the YAML routes; not meant to be set by hand. */
    static final String IDEMPOTENT_REPOSITORY_PROPERTY = "graph.idempotent-repository";
    static final String STATE_REPOSITORY_PROPERTY = "graph.state-repository";

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
        int port = port(properties, GraphSettings.HTTP_PORT, GraphSettings.DEFAULT_HTTP_PORT, false);
        String host = properties.resolveProperty(GraphSettings.HTTP_HOST).orElse("0.0.0.0").trim();
        checkPortFree(host, port, GraphSettings.HTTP_PORT);
        addManagementServer(context, properties, port);
        if (emulator) {
            startEmulator(main, context, properties, port);
        } else {
            LOG.info("Real mode: Microsoft Graph at {}, tenant {}, notifications to {}/graph/notifications",
                    properties.resolveProperty(GraphSettings.BASE_URL).orElse("?"),
                    properties.resolveProperty(GraphSettings.TENANT_ID).orElse("?"),
                    properties.resolveProperty(GraphSettings.PUBLIC_URL).orElse("?"));
        }
        Optional<String> tlsCertificate = properties.resolveProperty(GraphSettings.HTTP_TLS_CERTIFICATE)
                .map(String::trim).filter(value -> !value.isEmpty());
        if (tlsCertificate.isPresent()) {
            // HTTPS without a proxy: graph-teams' own server, which re-reads a renewed certificate without a restart
            GraphTeamsComponent component = context.getComponent("graph-teams", GraphTeamsComponent.class);
            component.setServerPort(port);
            component.setServerCertificate(tlsCertificate.get());
            component.setServerPrivateKey(properties.resolveProperty(GraphSettings.HTTP_TLS_PRIVATE_KEY).orElse(null));
            component.setServerKeyStorePassword(properties.resolveProperty(GraphSettings.HTTP_TLS_KEY_STORE_PASSWORD)
                    .orElse(null));
            LOG.info("HTTPS on port {} with {}", port, tlsCertificate.get());
        } else {
            addHttpServer(context, host, port);
        }
        configureStorage(context, properties, emulator);
    }

    /**
     * Where the graph-teams routes keep their dedup keys and backfill watermarks: {@code graph.storage=file} (the
     * default in real mode) puts a FileIdempotentRepository and a FileStateRepository under {@code graph.data-dir},
     * so a restart routes nothing twice and backfills what it missed; {@code postgres} shares them, and the leadership
     * of the subscriptions, between every instance on one PostgreSQL ({@link PostgresStorage}); {@code memory} (the
     * default with the emulator, which starts afresh each time) keeps them in memory. Both routes share them (their
     * keys are namespaced).
     */
    private static void configureStorage(CamelContext context, PropertiesComponent properties, boolean emulator) {
        String storage = properties.resolveProperty(GraphSettings.STORAGE)
                .orElse(emulator ? GraphSettings.STORAGE_MEMORY : GraphSettings.STORAGE_FILE).trim()
                .toLowerCase(Locale.ROOT);
        if (GraphSettings.STORAGE_MEMORY.equals(storage)) {
            return;
        }
        if (GraphSettings.STORAGE_POSTGRES.equals(storage)) {
            PostgresStorage.configure(context, properties);
            properties.addOverrideProperty(IDEMPOTENT_REPOSITORY_PROPERTY, "#" + IDEMPOTENT_REPOSITORY_BEAN);
            properties.addOverrideProperty(STATE_REPOSITORY_PROPERTY, "#" + STATE_REPOSITORY_BEAN);
            return;
        }
        if (!GraphSettings.STORAGE_FILE.equals(storage)) {
            throw new IllegalArgumentException(GraphSettings.STORAGE + " (env "
                                               + GraphSettings.environmentVariable(GraphSettings.STORAGE) + ") is '"
                                               + storage + "': use " + GraphSettings.STORAGE_FILE + ", "
                                               + GraphSettings.STORAGE_POSTGRES + " or " + GraphSettings.STORAGE_MEMORY);
        }
        Path dataDir = Path.of(properties.resolveProperty(GraphSettings.DATA_DIR).orElse("data/graph-teams").trim());
        int keys = Integer.parseInt(properties.resolveProperty(GraphSettings.DEDUP_KEYS).orElse("100000").trim());
        try {
            Files.createDirectories(dataDir);
            // the file repository keeps its last `keys` keys in memory and the file; its default (1,000) is small
            FileIdempotentRepository dedup = (FileIdempotentRepository) FileIdempotentRepository
                    .fileIdempotentRepository(dataDir.resolve("dedup-keys.dat").toFile(), keys, 100L * keys * 1024);
            FileStateRepository state = FileStateRepository.fileStateRepository(
                    dataDir.resolve("state.dat").toFile());
            context.addService(dedup, true, true);
            context.addService(state, true, true);
            context.getRegistry().bind(IDEMPOTENT_REPOSITORY_BEAN, dedup);
            context.getRegistry().bind(STATE_REPOSITORY_BEAN, state);
        } catch (Exception e) {
            throw new IllegalStateException("Could not set up " + GraphSettings.STORAGE + "=file under " + dataDir
                                            + ": " + e.getMessage(), e);
        }
        properties.addOverrideProperty(IDEMPOTENT_REPOSITORY_PROPERTY, "#" + IDEMPOTENT_REPOSITORY_BEAN);
        properties.addOverrideProperty(STATE_REPOSITORY_PROPERTY, "#" + STATE_REPOSITORY_BEAN);
        LOG.info("Dedup keys (the last {}) and backfill watermarks are kept under {}", keys, dataDir.toAbsolutePath());
    }

    /**
     * The health endpoints Kubernetes' probes call ({@link ManagementHttpServer}), unless {@code management.enabled} is
     * false or {@code management.port} is 0. Their own port: the public one reaches Graph (and anyone) through the
     * ingress, and the full listing's details are for operators only.
     */
    private static void addManagementServer(CamelContext context, PropertiesComponent properties, int httpPort) {
        boolean enabled = properties.resolveProperty(GraphSettings.MANAGEMENT_ENABLED).map(String::trim)
                .map(Boolean::parseBoolean).orElse(true);
        int port = port(properties, GraphSettings.MANAGEMENT_PORT, GraphSettings.DEFAULT_MANAGEMENT_PORT, true);
        if (!enabled || port == 0) {
            LOG.info("No health endpoints for probes ({}=false or {}=0)", GraphSettings.MANAGEMENT_ENABLED,
                    GraphSettings.MANAGEMENT_PORT);
            return;
        }
        if (port == httpPort) {
            throw new IllegalArgumentException(GraphSettings.MANAGEMENT_PORT + " (env "
                                               + GraphSettings.environmentVariable(GraphSettings.MANAGEMENT_PORT)
                                               + ") is " + port + ", the port Graph posts to (" + GraphSettings.HTTP_PORT
                                               + "): give the health endpoints another one");
        }
        String host = properties.resolveProperty(GraphSettings.MANAGEMENT_HOST).orElse("0.0.0.0").trim();
        checkPortFree(host, port, GraphSettings.MANAGEMENT_PORT);
        try {
            // a service added now starts with the CamelContext, before the routes: probes get an answer while the
            // routes start (DOWN until they are ready)
            context.addService(new ManagementHttpServer(context, host, port), true, false);
        } catch (Exception e) {
            throw new IllegalStateException("Could not add the health endpoints on port " + port + ": "
                                            + e.getMessage(), e);
        }
    }

    /**
     * Camel's Vert.x server only logs a WARN when its port is taken, and Graph's handshake would then time out against
     * whatever holds the port: say so at once instead.
     */
    private static void checkPortFree(String host, int port, String property) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on " + host + " is not free (" + e.getMessage()
                                            + "): stop what uses it or set " + property + " (env "
                                            + GraphSettings.environmentVariable(property) + ") to a free port");
        }
    }

    private static int port(PropertiesComponent properties, String property, int defaultPort, boolean zeroAllowed) {
        String value = properties.resolveProperty(property).orElse(Integer.toString(defaultPort)).trim();
        try {
            int port = Integer.parseInt(value);
            if ((port > 0 || zeroAllowed && port == 0) && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property + " (env " + GraphSettings.environmentVariable(property) + ") is '"
                                           + value + "': use a port number between " + (zeroAllowed ? 0 : 1)
                                           + " and 65535" + (zeroAllowed ? " (0: off)" : ""));
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
