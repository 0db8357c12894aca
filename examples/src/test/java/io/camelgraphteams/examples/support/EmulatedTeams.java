package io.camelgraphteams.examples.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * A running Graph emulator with a Contoso tenant (three users, a team with two channels, two chats), one registered
 * app, the key store Graph encrypts for, and the settings that point an example at it: the values its
 * application.properties leaves to the user, plus where Graph and the identity platform are.
 */
public final class EmulatedTeams implements AutoCloseable {

    public static final String APP = "e7e7e7e7-0000-4000-8000-0000000000e1";
    public static final String SECRET = "examples-client-secret";
    public static final String CLIENT_STATE = "examples-client-state-5d2c";
    public static final String KEY_STORE_PASSWORD = "examples-key-store-password";
    public static final String CERTIFICATE_ID = "teams-examples";

    public static final String ADELE = "a0000000-0000-4000-8000-0000000000e1";
    public static final String MEGAN = "a0000000-0000-4000-8000-0000000000e2";
    public static final String NESTOR = "a0000000-0000-4000-8000-0000000000e3";
    public static final String TEAM = "b0000000-0000-4000-8000-0000000000e1";
    public static final String GENERAL = "19:general-examples@thread.tacv2";
    public static final String RELEASES = "19:releases-examples@thread.tacv2";
    public static final String LAUNCH_CHAT = "19:launch-examples@thread.v2";
    public static final String ONE_ON_ONE = "19:adele-megan-examples@unq.gbl.spaces";

    /** The bean name of the TLS settings that trust the emulator's self-signed identity platform certificate. */
    public static final String TLS_BEAN = "graphEmulatorTls";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final GraphEmulator emulator;
    private final NotificationKeyStore keyStore;

    private EmulatedTeams(GraphEmulator emulator, NotificationKeyStore keyStore) {
        this.emulator = emulator;
        this.keyStore = keyStore;
    }

    /** Starts the emulator on free ports and writes the key store into {@code directory}. */
    public static EmulatedTeams start(Path directory) {
        return start(directory, 0, 0);
    }

    /** Starts the emulator on the given ports (0: free ones) and writes the key store into {@code directory}. */
    public static EmulatedTeams start(Path directory, int graphPort, int identityPort) {
        NotificationKeyStore keyStore = NotificationKeyStore.write(directory, CERTIFICATE_ID, KEY_STORE_PASSWORD);
        GraphEmulator emulator = GraphEmulator.builder()
                .graphPort(graphPort)
                .identityPort(identityPort)
                .registerApp(RegisteredApp.withSecret(APP, SECRET))
                // Graph collects changes for a moment before it posts a batch; keep that short in tests
                .timings(GraphTimings.graphDefaults().withBatchWindow(Duration.ofMillis(20)))
                .start();
        TeamsStore teams = emulator.teams();
        teams.createUser(ADELE, "Adele Vance", null);
        teams.createUser(MEGAN, "Megan Bowen", null);
        teams.createUser(NESTOR, "Nestor Wilke", null);
        teams.createTeam(TEAM, "Contoso", null);
        teams.createChannel(TEAM, GENERAL, "General");
        teams.createChannel(TEAM, RELEASES, "Releases");
        teams.createChat(LAUNCH_CHAT, "Launch", "group", List.of(ADELE, MEGAN, NESTOR), List.of());
        teams.createChat(ONE_ON_ONE, null, "oneOnOne", List.of(ADELE, MEGAN), List.of());
        return new EmulatedTeams(emulator, keyStore);
    }

    public GraphEmulator emulator() {
        return emulator;
    }

    public TeamsStore teams() {
        return emulator.teams();
    }

    public NotificationKeyStore keyStore() {
        return keyStore;
    }

    /**
     * Points an example application at this emulator, receiving on {@code httpPort}: the settings its
     * application.properties leaves to the user, and the component options that say where Graph, the identity
     * platform and the validation-token keys are (their defaults are Microsoft's cloud).
     */
    public void configure(Main application, int httpPort) {
        application.bind(TLS_BEAN, tls());
        settings(httpPort).forEach(application::addOverrideProperty);
        // Camel lets environment variables (GRAPH_CLIENT_ID, KAFKA_BROKERS) win over every property source; a machine
        // set up for the real thing must not point the tests or the demo there
        application.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                ((PropertiesComponent) main.getCamelContext().getPropertiesComponent())
                        .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
            }
        });
    }

    /** The settings of {@link #configure(Main, int)}, by property name. */
    public Map<String, String> settings(int httpPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("graph.tenant-id", emulator.tenantId());
        settings.put("graph.client-id", APP);
        settings.put("graph.client-secret", SECRET);
        settings.put("graph.client-state", CLIENT_STATE);
        settings.put("graph.key-store", "file:" + keyStore.file().toAbsolutePath());
        settings.put("graph.key-store-password", KEY_STORE_PASSWORD);
        settings.put("graph.certificate-id", CERTIFICATE_ID);
        settings.put("graph.public-base-url", "http://localhost:" + httpPort);
        settings.put("camel.component.graph-teams.server-port", Integer.toString(httpPort));
        String component = "camel.component.graph-teams.configuration.";
        settings.put(component + "authority-url", emulator.identityBaseUrl());
        settings.put(component + "graph-base-url", emulator.graphBaseUrl());
        settings.put(component + "open-id-configuration-url", openIdConfigurationUrl());
        settings.put(component + "ssl-context-parameters", "#bean:" + TLS_BEAN);
        return settings;
    }

    /** Where the validation tokens' signing keys are found (served over plain HTTP on the Graph port too). */
    public String openIdConfigurationUrl() {
        return emulator.graphBaseUrl() + "/common/.well-known/openid-configuration";
    }

    private SSLContextParameters tls() {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setKeyStore(emulator.trustStore());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }

    /** The live subscriptions of the examples' app. */
    public List<Subscription> subscriptions() {
        return emulator.subscriptions().live();
    }

    /**
     * What an application that manages subscriptions elsewhere does: POST /subscriptions with resource data,
     * encrypted for this key store. Graph's validation handshake reaches {@code notificationUrl} before it answers.
     *
     * @return the subscription id
     */
    public String subscribe(String resource, String notificationUrl, String lifecycleNotificationUrl) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("changeType", "created,updated,deleted");
        body.put("notificationUrl", notificationUrl);
        body.put("lifecycleNotificationUrl", lifecycleNotificationUrl);
        body.put("resource", resource);
        body.put("expirationDateTime", emulator.clock().instant().plus(Duration.ofHours(2)).toString());
        body.put("clientState", CLIENT_STATE);
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", Base64.getEncoder().encodeToString(keyStore.certificate().getEncoded()));
        body.put("encryptionCertificateId", CERTIFICATE_ID);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.graphV1Url() + "/subscriptions"))
                .header("Authorization", "Bearer " + emulator.accessToken(APP))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Graph refused the subscription: " + response.statusCode() + " "
                                            + response.body());
        }
        return JSON.readTree(response.body()).path("id").asText();
    }

    @Override
    public void close() {
        emulator.stop();
    }
}
