package io.camelgraphteams.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The application's settings (property names as in application.properties; each can also be given as an environment
 * variable in Camel's form, e.g. GRAPH_TENANT_ID for graph.tenant-id, or as a -D system property), and the check that
 * real mode has all it needs.
 */
public final class GraphSettings {

    public static final String MODE = "graph.mode";
    public static final String MODE_EMULATOR = "emulator";
    public static final String MODE_REAL = "real";

    public static final String TENANT_ID = "graph.tenant-id";
    public static final String CLIENT_ID = "graph.client-id";
    public static final String CLIENT_SECRET = "graph.client-secret";
    public static final String CLIENT_CERTIFICATE = "graph.client-certificate";
    public static final String KEY_STORE = "graph.key-store";
    public static final String KEY_STORE_PASSWORD = "graph.key-store-password";
    public static final String CERTIFICATE_ID = "graph.certificate-id";
    public static final String CLIENT_STATE = "graph.client-state";
    public static final String PUBLIC_URL = "graph.public-url";
    public static final String AUTHORITY_URL = "graph.authority-url";
    public static final String BASE_URL = "graph.base-url";
    public static final String OPEN_ID_CONFIGURATION_URL = "graph.open-id-configuration-url";
    public static final String SSL_CONTEXT_PARAMETERS = "graph.ssl-context-parameters";
    public static final String STORAGE = "graph.storage";
    public static final String STORAGE_MEMORY = "memory";
    public static final String STORAGE_FILE = "file";
    public static final String STORAGE_POSTGRES = "postgres";
    /** graph.storage=postgres: the JDBC URL, user and password of the PostgreSQL every instance shares. */
    public static final String POSTGRES_URL = "graph.postgres.url";
    public static final String POSTGRES_USER = "graph.postgres.user";
    public static final String POSTGRES_PASSWORD = "graph.postgres.password";
    /** graph.storage=postgres: how long the leader's lease lasts (ms); a new leader takes over within about this. */
    public static final String CLUSTER_LEASE = "graph.cluster.lease";
    /**
     * graph.storage=postgres: this process's name in the lease table and on its in-flight claims; by default
     * {@code <hostname>-<pid>-<6 random hex>} ({@link ClusterMemberId}).
     */
    public static final String CLUSTER_MEMBER_ID = "graph.cluster.member-id";
    public static final String DATA_DIR = "graph.data-dir";
    public static final String DEDUP_KEYS = "graph.dedup-keys";
    public static final String CHATS_RESOURCE = "graph.chats.resource";
    public static final String CHANNELS_RESOURCE = "graph.channels.resource";

    /** Where forwarded notifications go: the sink route of src/main/resources/sinks/{value}.yaml is loaded. */
    public static final String MESSAGES_SINK = "messages.sink";
    public static final String SINK_FILE = "file";
    public static final String SINK_KAFKA = "kafka";
    public static final List<String> SINKS = List.of(SINK_FILE, SINK_KAFKA);
    public static final String KAFKA_BROKERS = "kafka.brokers";
    public static final String KAFKA_TOPIC = "kafka.topic";
    public static final String KAFKA_LINGER_MS = "kafka.linger-ms";

    /** Emulator mode: whether the simulated Teams traffic runs (default true). */
    public static final String DEMO_TRAFFIC_ENABLED = "demo.traffic.enabled";

    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_TLS_CERTIFICATE = "http.tls-certificate";
    public static final String HTTP_TLS_PRIVATE_KEY = "http.tls-private-key";
    public static final String HTTP_TLS_KEY_STORE_PASSWORD = "http.tls-key-store-password";
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** The health endpoints for Kubernetes' probes ({@link ManagementHttpServer}), on a port of their own. */
    public static final String MANAGEMENT_ENABLED = "management.enabled";
    public static final String MANAGEMENT_PORT = "management.port";
    public static final String MANAGEMENT_HOST = "management.host";
    /** Camel's own management server's default port. */
    public static final int DEFAULT_MANAGEMENT_PORT = 9876;

    /** Every setting real mode cannot run without (the client secret or certificate is checked on its own). */
    static final List<String> REQUIRED_IN_REAL_MODE = List.of(TENANT_ID, CLIENT_ID, KEY_STORE, KEY_STORE_PASSWORD,
            CERTIFICATE_ID, CLIENT_STATE, PUBLIC_URL);

    private GraphSettings() {
    }

    /** The environment variable Camel reads for a property: upper case, '.' and '-' as '_'. */
    public static String environmentVariable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The settings real mode lacks, each as "name (env NAME)"; empty when it can start. {@code lookup} answers a
     * property's value, or empty when it is not set.
     */
    public static List<String> missingForRealMode(Function<String, Optional<String>> lookup) {
        List<String> missing = new ArrayList<>();
        for (String property : REQUIRED_IN_REAL_MODE) {
            if (isBlank(lookup.apply(property))) {
                missing.add(describe(property));
            }
        }
        if (isBlank(lookup.apply(CLIENT_SECRET)) && isBlank(lookup.apply(CLIENT_CERTIFICATE))) {
            missing.add(describe(CLIENT_SECRET) + " or " + describe(CLIENT_CERTIFICATE));
        }
        return missing;
    }

    /** Real mode's settings problems that are not absences: a notification URL Graph would refuse. */
    public static List<String> invalidForRealMode(Function<String, Optional<String>> lookup) {
        List<String> invalid = new ArrayList<>();
        lookup.apply(PUBLIC_URL).filter(url -> !url.isBlank()).ifPresent(url -> {
            if (!url.toLowerCase(Locale.ROOT).startsWith("https://")) {
                invalid.add(describe(PUBLIC_URL) + " must be the public https:// base URL Graph posts to, not '" + url
                            + "'");
            }
        });
        return invalid;
    }

    /**
     * The problem with {@link #MESSAGES_SINK}, or empty when it names a sink. The value selects a YAML file by name,
     * so it is checked exactly (lower case, no spaces): anything else would load no sink route at all.
     */
    public static Optional<String> invalidSink(Function<String, Optional<String>> lookup) {
        String sink = lookup.apply(MESSAGES_SINK).orElse(SINK_FILE);
        if (SINKS.contains(sink)) {
            return Optional.empty();
        }
        return Optional.of(describe(MESSAGES_SINK) + " is '" + sink + "': use " + String.join(" or ", SINKS));
    }

    private static String describe(String property) {
        return property + " (env " + environmentVariable(property) + ")";
    }

    private static boolean isBlank(Optional<String> value) {
        return value.isEmpty() || value.get().isBlank();
    }
}
