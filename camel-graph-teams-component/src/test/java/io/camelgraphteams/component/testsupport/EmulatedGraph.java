package io.camelgraphteams.component.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.GraphTimings;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.teams.TeamsStore;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * A running Graph emulator with one app, two users, a team with a channel and a chat, and the endpoint options that
 * point a managing graph-teams consumer at it (real msal4j over the emulator's HTTPS identity platform).
 */
public final class EmulatedGraph implements AutoCloseable {

    public static final String APP = "c0c0c0c0-0000-4000-8000-0000000000a4";
    public static final String SECRET = "managed-subscription-secret";
    public static final String USER_A = "u0000000-0000-4000-8000-0000000000a1";
    public static final String USER_B = "u0000000-0000-4000-8000-0000000000a2";
    public static final String TEAM = "t0000000-0000-4000-8000-0000000000a4";
    public static final String CHANNEL = "19:managedchannel@thread.tacv2";
    public static final String CHAT = "19:managedchat@thread.v2";
    public static final String INSTALLED_APP = "a0000000-0000-4000-8000-0000000000a4";
    public static final String SSL_BEAN = "emulatorTls";

    private final GraphEmulator emulator;

    private EmulatedGraph(GraphEmulator emulator) {
        this.emulator = emulator;
    }

    public static EmulatedGraph start() {
        return start(GraphTimings.graphDefaults().withBatchWindow(Duration.ofMillis(20)));
    }

    public static EmulatedGraph start(GraphTimings timings) {
        GraphEmulator emulator = GraphEmulator.builder()
                .registerApp(RegisteredApp.withSecret(APP, SECRET))
                .timings(timings)
                .start();
        TeamsStore teams = emulator.teams();
        teams.createUser(USER_A, "Adele Vance", null);
        teams.createUser(USER_B, "Megan Bowen", null);
        teams.createTeam(TEAM, "Contoso", null);
        teams.createChannel(TEAM, CHANNEL, "General");
        teams.createChat(CHAT, "Launch", "group", List.of(USER_A, USER_B), List.of());
        return new EmulatedGraph(emulator);
    }

    public GraphEmulator emulator() {
        return emulator;
    }

    /** Binds the TLS settings that trust the emulator's self-signed identity certificate as {@link #SSL_BEAN}. */
    public void bindTls(CamelContext context) {
        context.getRegistry().bind(SSL_BEAN, trusting(emulator));
    }

    /** Camel TLS settings that trust the emulator's self-signed identity certificate. */
    public static SSLContextParameters trusting(GraphEmulator emulator) {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setKeyStore(emulator.trustStore());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }

    /**
     * Endpoint options for a consumer that manages its subscription against this emulator and receives on
     * {@code port}: credentials, Graph and identity URLs, TLS trust, the decryption key and the notification URLs.
     */
    public String managedOptions(int port, Path keyStoreDir) {
        return "clientId=" + APP + "&tenantId=" + emulator.tenantId() + "&clientSecret=RAW(" + SECRET + ")"
               + "&authorityUrl=" + emulator.identityBaseUrl() + "&graphBaseUrl=" + emulator.graphBaseUrl()
               + "&sslContextParameters=#" + SSL_BEAN
               + "&openIdConfigurationUrl=" + emulator.graphBaseUrl() + "/common/.well-known/openid-configuration"
               + "&clientState=RAW(" + ReceivingContext.CLIENT_STATE + ")"
               + "&keyStore=file:" + ReceivingContext.keyStore(keyStoreDir)
               + "&keyStorePassword=RAW(" + ReceivingContext.KEY_STORE_PASSWORD + ")"
               + "&certificateId=" + ReceivingContext.CERTIFICATE_ID
               + "&notificationUrl=http://localhost:" + port + "/graph/notifications"
               + "&lifecycleNotificationUrl=http://localhost:" + port + "/graph/lifecycle";
    }

    @Override
    public void close() {
        emulator.stop();
    }
}
