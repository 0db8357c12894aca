package io.camelgraphteams.faults.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The Graph emulator the fault tests run against: one app, three users, a team with two channels, two chats, the
 * PKCS#12 key store Graph encrypts message content for, and the graph-teams endpoint options that point a managing
 * consumer at it (real msal4j over the emulator's HTTPS identity platform).
 *
 * <p>Graph's times stay Graph's except the ones that would make a test wait for nothing: a short batch window and a
 * short retry backoff (Graph starts at about 10 s). Graph's slow and drop states for an endpoint are off: a fault test
 * that makes the app slow or unreachable would otherwise also measure those 10-minute penalties; Graph dropping
 * deliveries is a scenario of its own ({@code chaos().dropDeliveries}).
 */
public final class FaultGraph implements AutoCloseable {

    public static final String APP = "f0f0f0f0-0000-4000-8000-0000000000f6";
    public static final String SECRET = "fault-tests-client-secret";
    public static final String CLIENT_STATE = "fault-tests-client-state-31c9";
    public static final String CERTIFICATE_ID = "fault-tests-key";
    public static final String KEY_STORE_PASSWORD = "fault-tests-key-store-password";
    public static final String TRUST_STORE_PASSWORD = "fault-tests-trust-store-password";

    public static final String ADELE = "a0000000-0000-4000-8000-0000000000f1";
    public static final String MEGAN = "a0000000-0000-4000-8000-0000000000f2";
    public static final String NESTOR = "a0000000-0000-4000-8000-0000000000f3";
    public static final String TEAM = "b0000000-0000-4000-8000-0000000000f1";
    public static final String GENERAL = "19:general-faults@thread.tacv2";
    public static final String RELEASES = "19:releases-faults@thread.tacv2";
    public static final String LAUNCH_CHAT = "19:launch-faults@thread.v2";
    public static final String ONE_ON_ONE = "19:adele-megan-faults@unq.gbl.spaces";

    /** The bean name of the TLS settings that trust the emulator's self-signed identity platform certificate. */
    public static final String TLS_BEAN = "graphEmulatorTls";

    private final GraphEmulator emulator;
    private final Path keyStore;

    private FaultGraph(GraphEmulator emulator, Path keyStore) {
        this.emulator = emulator;
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
    public static FaultGraph start(Path directory, Consumer<GraphEmulator.Builder> customizer) {
        Path keyStore = writeKeyStore(directory.resolve(CERTIFICATE_ID + ".p12"));
        GraphEmulator.Builder builder = GraphEmulator.builder()
                .registerApp(RegisteredApp.withSecret(APP, SECRET))
                .timings(timings())
                .endpointHealthMinSamples(0)
                .deliveryLogCapacity(20_000);
        customizer.accept(builder);
        GraphEmulator emulator = builder.start();
        TeamsStore teams = emulator.teams();
        teams.createUser(ADELE, "Adele Vance", null);
        teams.createUser(MEGAN, "Megan Bowen", null);
        teams.createUser(NESTOR, "Nestor Wilke", null);
        teams.createTeam(TEAM, "Contoso", null);
        teams.createChannel(TEAM, GENERAL, "General");
        teams.createChannel(TEAM, RELEASES, "Releases");
        teams.createChat(LAUNCH_CHAT, "Launch", "group", List.of(ADELE, MEGAN, NESTOR), List.of());
        teams.createChat(ONE_ON_ONE, null, "oneOnOne", List.of(ADELE, MEGAN), List.of());
        return new FaultGraph(emulator, keyStore);
    }

    public GraphEmulator emulator() {
        return emulator;
    }

    public TeamsStore teams() {
        return emulator.teams();
    }

    /**
     * The graph-teams endpoint options of a consumer that manages its subscription and receives on {@code port}
     * under {@code basePath} ({@code basePath}/notifications and {@code basePath}/lifecycle). The TLS settings are
     * referenced as {@link #TLS_BEAN}: bind {@link #tls()} (or, in another JVM, {@link #writeTrustStore}) under that
     * name.
     */
    public Map<String, String> endpointOptions(int port, String basePath) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("clientId", APP);
        options.put("tenantId", emulator.tenantId());
        options.put("clientSecret", "RAW(" + SECRET + ")");
        options.put("authorityUrl", emulator.identityBaseUrl());
        options.put("graphBaseUrl", emulator.graphBaseUrl());
        options.put("sslContextParameters", "#" + TLS_BEAN);
        options.put("openIdConfigurationUrl", emulator.graphBaseUrl() + "/common/.well-known/openid-configuration");
        options.put("clientState", "RAW(" + CLIENT_STATE + ")");
        options.put("keyStore", "file:" + keyStore.toAbsolutePath());
        options.put("keyStorePassword", "RAW(" + KEY_STORE_PASSWORD + ")");
        options.put("certificateId", CERTIFICATE_ID);
        options.put("notificationPath", basePath + "/notifications");
        options.put("lifecycleNotificationPath", basePath + "/lifecycle");
        options.put("notificationUrl", "http://localhost:" + port + basePath + "/notifications");
        options.put("lifecycleNotificationUrl", "http://localhost:" + port + basePath + "/lifecycle");
        return options;
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
        trustStore.setKeyStore(emulator.trustStore());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }

    /** Writes the emulator's identity certificate as a PKCS#12 trust store, for an app in another JVM. */
    public Path writeTrustStore(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            emulator.trustStore().store(out, TRUST_STORE_PASSWORD.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store", e);
        }
    }

    /** One RSA 2048 key with a self-signed certificate under alias {@link #CERTIFICATE_ID}, as keytool would make. */
    private static Path writeKeyStore(Path file) {
        SelfSignedCertificate key = SelfSignedCertificate.generate("CN=" + CERTIFICATE_ID, 2048);
        try {
            Files.createDirectories(file.getParent());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(CERTIFICATE_ID, key.privateKey(), KEY_STORE_PASSWORD.toCharArray(),
                    new Certificate[] { key.certificate() });
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, KEY_STORE_PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the notification key store", e);
        }
    }

    @Override
    public void close() {
        emulator.stop();
    }
}
