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
import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
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
 * The emulator's demo tenant ({@link DemoTenant}: Contoso's users, team, channels and chats, the demo app), the key
 * store Graph encrypts for, and the settings that point an example at it: the values its application.properties leaves
 * to the user, plus where Graph and the identity platform are.
 */
public final class EmulatedTeams implements AutoCloseable {

    public static final String CLIENT_STATE = "examples-client-state-5d2c";
    public static final String KEY_STORE_PASSWORD = "examples-key-store-password";
    /** The alias the examples' application.properties name. */
    public static final String CERTIFICATE_ID = "teams-examples";

    /** The bean name of the TLS settings that trust the emulator's self-signed identity platform certificate. */
    public static final String TLS_BEAN = "graphEmulatorTls";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final DemoTenant tenant;
    private final DecryptionKeyStore keyStore;

    private EmulatedTeams(DemoTenant tenant, DecryptionKeyStore keyStore) {
        this.tenant = tenant;
        this.keyStore = keyStore;
    }

    /** Starts the emulator on free ports and writes the key store into {@code directory}. */
    public static EmulatedTeams start(Path directory) {
        return start(directory, 0, 0);
    }

    /** Starts the emulator on the given ports (0: free ones) and writes the key store into {@code directory}. */
    public static EmulatedTeams start(Path directory, int graphPort, int identityPort) {
        DecryptionKeyStore keyStore = DecryptionKeyStore.write(directory, CERTIFICATE_ID, KEY_STORE_PASSWORD);
        DemoTenant tenant = DemoTenant.start(builder -> builder
                .graphPort(graphPort)
                .identityPort(identityPort)
                // Graph collects changes for a moment before it posts a batch; keep that short in tests
                .timings(GraphTimings.graphDefaults().withBatchWindow(Duration.ofMillis(20))));
        return new EmulatedTeams(tenant, keyStore);
    }

    public GraphEmulator emulator() {
        return tenant.emulator();
    }

    public TeamsStore teams() {
        return tenant.teams();
    }

    public DecryptionKeyStore keyStore() {
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
        settings.put("graph.tenant-id", tenant.tenantId());
        settings.put("graph.client-id", DemoTenant.CLIENT_ID);
        settings.put("graph.client-secret", tenant.clientSecret());
        settings.put("graph.client-state", CLIENT_STATE);
        settings.put("graph.key-store", "file:" + keyStore.file().toAbsolutePath());
        settings.put("graph.key-store-password", KEY_STORE_PASSWORD);
        settings.put("graph.certificate-id", CERTIFICATE_ID);
        settings.put("graph.public-url", "http://localhost:" + httpPort);
        settings.put("camel.component.graph-teams.server-port", Integer.toString(httpPort));
        String component = "camel.component.graph-teams.configuration.";
        settings.put(component + "authority-url", tenant.identityBaseUrl());
        settings.put(component + "graph-base-url", tenant.graphBaseUrl());
        settings.put(component + "open-id-configuration-url", tenant.openIdConfigurationUrl());
        settings.put(component + "ssl-context-parameters", "#bean:" + TLS_BEAN);
        return settings;
    }

    private SSLContextParameters tls() {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setKeyStore(tenant.trustStore());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }

    /** The live subscriptions of the examples' app. */
    public List<Subscription> subscriptions() {
        return tenant.emulator().subscriptions().live();
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
        body.put("expirationDateTime", tenant.emulator().clock().instant().plus(Duration.ofHours(2)).toString());
        body.put("clientState", CLIENT_STATE);
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", Base64.getEncoder().encodeToString(keyStore.certificate().getEncoded()));
        body.put("encryptionCertificateId", CERTIFICATE_ID);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(tenant.emulator().graphV1Url() + "/subscriptions"))
                .header("Authorization", "Bearer " + tenant.emulator().accessToken(DemoTenant.CLIENT_ID))
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
        tenant.close();
    }
}
