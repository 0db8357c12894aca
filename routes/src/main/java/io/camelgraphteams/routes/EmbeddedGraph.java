package io.camelgraphteams.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.teams.TeamsStore;
import org.apache.camel.Service;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emulator mode: the Graph emulator running in this JVM on free ports, with the demo app registered (a fresh secret),
 * a few users, a team with two channels, two chats, and a fresh decryption key. {@link #settings(int)} gives the
 * graph.* property values that point the YAML routes at it. As a Camel {@link Service} it stops with the CamelContext,
 * after the routes.
 */
public final class EmbeddedGraph implements Service, AutoCloseable {

    public static final String APP_CLIENT_ID = "e5e5e5e5-0000-4000-8000-0000000000d1";
    public static final String TLS_BEAN = "graphEmulatorTls";

    public static final String ADELE = "a0a0a0a0-1111-4111-8111-000000000001";
    public static final String MEGAN = "a0a0a0a0-1111-4111-8111-000000000002";
    public static final String ALEX = "a0a0a0a0-1111-4111-8111-000000000003";
    public static final String DIEGO = "a0a0a0a0-1111-4111-8111-000000000004";
    public static final String TEAM = "b0b0b0b0-2222-4222-8222-000000000001";
    public static final String GENERAL_CHANNEL = "19:demo0general0channel000000000001@thread.tacv2";
    public static final String LAUNCH_CHANNEL = "19:demo0launch0channel0000000000001@thread.tacv2";
    public static final String GROUP_CHAT = "19:demo0launch0plan0chat00000000001@thread.v2";
    public static final String ONE_ON_ONE_CHAT = "19:demo0megan0diego0chat00000000001@thread.v2";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedGraph.class);

    private final GraphEmulator emulator;
    private final String clientSecret;
    private final String clientState;
    private final Path keyDir;
    private final DemoDecryptionKey key;

    private EmbeddedGraph(GraphEmulator emulator, String clientSecret, Path keyDir, DemoDecryptionKey key) {
        this.emulator = emulator;
        this.clientSecret = clientSecret;
        this.clientState = DemoDecryptionKey.randomSecret();
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
        DemoDecryptionKey key = DemoDecryptionKey.create(keyDir);
        String secret = DemoDecryptionKey.randomSecret();
        GraphEmulator emulator = GraphEmulator.builder()
                .registerApp(RegisteredApp.withSecret(APP_CLIENT_ID, secret))
                .start();
        try {
            seed(emulator.teams());
        } catch (RuntimeException e) {
            emulator.stop();
            throw e;
        }
        LOG.info("Emulator mode: Graph emulator at {} (identity {}), tenant {}, demo app {}", emulator.graphBaseUrl(),
                emulator.identityBaseUrl(), emulator.tenantId(), APP_CLIENT_ID);
        return new EmbeddedGraph(emulator, secret, keyDir, key);
    }

    private static void seed(TeamsStore teams) {
        teams.createUser(ADELE, "Adele Vance", null);
        teams.createUser(MEGAN, "Megan Bowen", null);
        teams.createUser(ALEX, "Alex Wilber", null);
        teams.createUser(DIEGO, "Diego Siciliani", null);
        teams.createTeam(TEAM, "Contoso", null);
        teams.createChannel(TEAM, GENERAL_CHANNEL, "General");
        teams.createChannel(TEAM, LAUNCH_CHANNEL, "Launch");
        teams.createChat(GROUP_CHAT, "Launch plan", "group", List.of(ADELE, MEGAN, ALEX), List.of());
        teams.createChat(ONE_ON_ONE_CHAT, null, "oneOnOne", List.of(MEGAN, DIEGO), List.of());
    }

    public GraphEmulator emulator() {
        return emulator;
    }

    /**
     * The graph.* settings that point the routes at this emulator; the consumers receive on
     * http://localhost:{httpPort} (Graph allows http for localhost).
     */
    public Properties settings(int httpPort) {
        Properties settings = new Properties();
        settings.setProperty(GraphSettings.TENANT_ID, emulator.tenantId());
        settings.setProperty(GraphSettings.CLIENT_ID, APP_CLIENT_ID);
        settings.setProperty(GraphSettings.CLIENT_SECRET, clientSecret);
        settings.setProperty(GraphSettings.AUTHORITY_URL, emulator.identityBaseUrl());
        settings.setProperty(GraphSettings.BASE_URL, emulator.graphBaseUrl());
        // the same OpenID documents over the Graph port's plain HTTP, so fetching the signing keys needs no trust setup
        settings.setProperty(GraphSettings.OPEN_ID_CONFIGURATION_URL,
                emulator.graphBaseUrl() + "/common/.well-known/openid-configuration");
        settings.setProperty(GraphSettings.SSL_CONTEXT_PARAMETERS, "#" + TLS_BEAN);
        settings.setProperty(GraphSettings.CLIENT_STATE, clientState);
        settings.setProperty(GraphSettings.KEY_STORE, "file:" + key.keyStore().toAbsolutePath());
        settings.setProperty(GraphSettings.KEY_STORE_PASSWORD, key.password());
        settings.setProperty(GraphSettings.CERTIFICATE_ID, key.certificateId());
        settings.setProperty(GraphSettings.PUBLIC_URL, "http://localhost:" + httpPort);
        return settings;
    }

    /** TLS settings that trust the emulator's self-signed identity certificate (msal4j talks HTTPS to it). */
    public SSLContextParameters tls() {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setKeyStore(emulator.trustStore());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
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
        if (emulator.isRunning()) {
            emulator.stop();
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
