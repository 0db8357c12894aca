package io.camelgraphteams.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import org.apache.camel.Service;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emulator mode: the emulator's {@link DemoTenant} running in this JVM on free ports, the demo app registered with a
 * fresh secret, and a fresh decryption key in a temporary directory. {@link #settings(int)} gives the graph.* property
 * values that point the YAML routes at it. As a Camel {@link Service} it stops with the CamelContext, after the routes.
 */
public final class EmbeddedGraph implements Service, AutoCloseable {

    public static final String TLS_BEAN = "graphEmulatorTls";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedGraph.class);

    private final DemoTenant tenant;
    private final String clientState;
    private final Path keyDir;
    private final DecryptionKeyStore key;

    private EmbeddedGraph(DemoTenant tenant, Path keyDir, DecryptionKeyStore key) {
        this.tenant = tenant;
        this.clientState = DemoTenant.randomSecret();
        this.keyDir = keyDir;
        this.key = key;
    }

    /** Starts the emulator with the demo tenant and writes the decryption key to a temporary directory. */
    public static EmbeddedGraph startEmulator() {
        Path keyDir;
        try {
            keyDir = Files.createTempDirectory("camel-graph-teams-demo-key");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for the demo decryption key", e);
        }
        DecryptionKeyStore key = DemoTenant.writeDecryptionKey(keyDir);
        DemoTenant tenant = DemoTenant.start(DemoTenant.randomSecret(), builder -> {
        });
        LOG.info("Emulator mode: Graph emulator at {} (identity {}), tenant {}, demo app {}", tenant.graphBaseUrl(),
                tenant.identityBaseUrl(), tenant.tenantId(), DemoTenant.CLIENT_ID);
        return new EmbeddedGraph(tenant, keyDir, key);
    }

    public GraphEmulator emulator() {
        return tenant.emulator();
    }

    /**
     * The graph.* settings that point the routes at this emulator; the consumers receive on
     * http://localhost:{httpPort} (Graph allows http for localhost).
     */
    public Properties settings(int httpPort) {
        Properties settings = new Properties();
        settings.putAll(settingsFor(tenant, key, clientState, "http://localhost:" + httpPort));
        settings.setProperty(GraphSettings.SSL_CONTEXT_PARAMETERS, "#" + TLS_BEAN);
        return settings;
    }

    /**
     * The graph.* settings that point the routes at an emulator's demo tenant (this JVM's or a test's), decrypting
     * with {@code key} and Graph posting to {@code publicUrl}. Trusting the emulator's self-signed identity certificate
     * is the caller's: graph.ssl-context-parameters, or the JVM's trust store.
     */
    public static Map<String, String> settingsFor(DemoTenant tenant, DecryptionKeyStore key, String clientState,
                                                  String publicUrl) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(GraphSettings.TENANT_ID, tenant.tenantId());
        settings.put(GraphSettings.CLIENT_ID, DemoTenant.CLIENT_ID);
        settings.put(GraphSettings.CLIENT_SECRET, tenant.clientSecret());
        settings.put(GraphSettings.AUTHORITY_URL, tenant.identityBaseUrl());
        settings.put(GraphSettings.BASE_URL, tenant.graphBaseUrl());
        settings.put(GraphSettings.OPEN_ID_CONFIGURATION_URL, tenant.openIdConfigurationUrl());
        settings.put(GraphSettings.CLIENT_STATE, clientState);
        settings.put(GraphSettings.KEY_STORE, "file:" + key.file().toAbsolutePath());
        settings.put(GraphSettings.KEY_STORE_PASSWORD, key.password());
        settings.put(GraphSettings.CERTIFICATE_ID, key.alias());
        settings.put(GraphSettings.PUBLIC_URL, publicUrl);
        return settings;
    }

    /** TLS settings that trust the emulator's self-signed identity certificate (msal4j talks HTTPS to it). */
    public SSLContextParameters tls() {
        return trusting(tenant.trustStore());
    }

    /** TLS settings that trust the certificates of {@code trustStore} (an emulator's, for the calls to it). */
    static SSLContextParameters trusting(KeyStore trustStore) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(trustStore);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }

    @Override
    public void start() {
        // already running: started by startEmulator(), before the routes that need it exist
    }

    /** Stops the emulator and deletes the key. Safe to call twice. */
    @Override
    public void stop() {
        if (tenant.emulator().isRunning()) {
            tenant.close();
            LOG.info("Graph emulator stopped");
        }
        deleteKeyDir();
    }

    @Override
    public void close() {
        stop();
    }

    private void deleteKeyDir() {
        if (!Files.exists(keyDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(keyDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", keyDir, e.getMessage());
        }
    }
}
