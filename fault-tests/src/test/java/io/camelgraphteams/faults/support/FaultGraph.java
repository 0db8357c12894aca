package io.camelgraphteams.faults.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.GraphEmulatorBuilder;
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.GraphTimings;
import io.camelgraphteams.routes.EmbeddedGraph;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The Graph emulator the fault tests run against: the emulator's {@link DemoTenant} (the demo app, Contoso's users,
 * team, channels and chats), the PKCS#12 key store Graph encrypts message content for, and the graph-teams endpoint
 * options that point a managing consumer at it (real msal4j over the emulator's HTTPS identity platform).
 *
 * <p>Graph's times stay Graph's except the ones that would make a test wait for nothing: a short batch window and a
 * short retry backoff (Graph starts at about 10 s). Graph's slow and drop states for an endpoint are off: a fault test
 * that makes the app slow or unreachable would otherwise also measure those 10-minute penalties; Graph dropping
 * deliveries is a scenario of its own ({@code chaos().dropDeliveries}).
 */
public final class FaultGraph implements AutoCloseable {

    public static final String CLIENT_STATE = "fault-tests-client-state-31c9";
    public static final String CERTIFICATE_ID = "fault-tests-key";
    public static final String KEY_STORE_PASSWORD = "fault-tests-key-store-password";
    public static final String TRUST_STORE_PASSWORD = "fault-tests-trust-store-password";

    /** The bean name of the TLS settings that trust the emulator's self-signed identity platform certificate. */
    public static final String TLS_BEAN = "graphEmulatorTls";

    private final DemoTenant tenant;
    private final DecryptionKeyStore keyStore;

    private FaultGraph(DemoTenant tenant, DecryptionKeyStore keyStore) {
        this.tenant = tenant;
        this.keyStore = keyStore;
    }

    /** Graph's times with a 20 ms batch window and retries after 250 ms, doubling up to 2 s. */
    public static GraphTimings timings() {
        return GraphTimings.graphDefaults()
                .withBatchWindow(Duration.ofMillis(20))
                .withRetryBackoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    }

    /** Starts the emulator on free ports; the key store goes into {@code directory}. */
    public static FaultGraph start(Path directory) {
        return start(directory, builder -> {
        });
    }

    /** As {@link #start(Path)}; {@code customizer} may change the builder (batch size, chaos seed) before the start. */
    public static FaultGraph start(Path directory, Consumer<GraphEmulatorBuilder> customizer) {
        DecryptionKeyStore keyStore = DecryptionKeyStore.write(directory, CERTIFICATE_ID, KEY_STORE_PASSWORD);
        DemoTenant tenant = DemoTenant.start(builder -> {
            builder.timings(timings()).endpointHealthMinSamples(0).deliveryLogCapacity(20_000);
            customizer.accept(builder);
        });
        return new FaultGraph(tenant, keyStore);
    }

    public GraphEmulator emulator() {
        return tenant.emulator();
    }

    public TeamsStore teams() {
        return tenant.teams();
    }

    /**
     * The graph-teams endpoint options of a consumer that manages its subscription and receives on {@code port}
     * under {@code basePath} ({@code basePath}/notifications and {@code basePath}/lifecycle). The TLS settings are
     * referenced as {@link #TLS_BEAN}: bind {@link #tls()} (or, in another JVM, {@link #writeTrustStore}) under that
     * name.
     */
    public Map<String, String> endpointOptions(int port, String basePath) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("clientId", DemoTenant.CLIENT_ID);
        options.put("tenantId", tenant.tenantId());
        options.put("clientSecret", "RAW(" + tenant.clientSecret() + ")");
        options.put("authorityUrl", tenant.identityBaseUrl());
        options.put("graphBaseUrl", tenant.graphBaseUrl());
        options.put("sslContextParameters", "#" + TLS_BEAN);
        options.put("openIdConfigurationUrl", tenant.openIdConfigurationUrl());
        options.put("clientState", "RAW(" + CLIENT_STATE + ")");
        options.put("keyStore", "file:" + keyStore.file().toAbsolutePath());
        options.put("keyStorePassword", "RAW(" + KEY_STORE_PASSWORD + ")");
        options.put("certificateId", CERTIFICATE_ID);
        options.put("notificationPath", basePath + "/notifications");
        options.put("lifecycleNotificationPath", basePath + "/lifecycle");
        options.put("notificationUrl", "http://localhost:" + port + basePath + "/notifications");
        options.put("lifecycleNotificationUrl", "http://localhost:" + port + basePath + "/lifecycle");
        return options;
    }

    /**
     * The settings of the routes app (application.properties names) in real mode against this emulator, Graph posting
     * to {@code publicUrl} (an https base URL). The emulator's identity certificate must be trusted by the JVM (its
     * javax.net.ssl.trustStore: {@link #writeTrustStore}).
     */
    public Map<String, String> routesAppSettings(String publicUrl) {
        Map<String, String> settings = new LinkedHashMap<>(
                EmbeddedGraph.settingsFor(tenant, keyStore, CLIENT_STATE, publicUrl));
        settings.put("graph.mode", "real");
        return settings;
    }

    /** {@code graph-teams:resource?options}. */
    public static String uri(String resource, Map<String, String> options) {
        StringBuilder uri = new StringBuilder("graph-teams:").append(resource);
        char separator = '?';
        for (Map.Entry<String, String> option : options.entrySet()) {
            uri.append(separator).append(option.getKey()).append('=').append(option.getValue());
            separator = '&';
        }
        return uri.toString();
    }

    /** Camel TLS settings that trust the emulator's self-signed identity certificate. */
    public SSLContextParameters tls() {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setKeyStore(tenant.trustStore());
        return trusting(trustStore);
    }

    /** Camel TLS settings that trust what {@code trustStore} holds (in this JVM or, from a file, in another). */
    public static SSLContextParameters trusting(KeyStoreParameters trustStore) {
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }

    /** Writes the emulator's identity certificate as a PKCS#12 trust store, for an app in another JVM. */
    public Path writeTrustStore(Path file) {
        return tenant.writeTrustStore(file, TRUST_STORE_PASSWORD);
    }

    @Override
    public void close() {
        tenant.close();
    }
}
