package io.camelgraphteams.component.testsupport;

import java.nio.file.Path;
import java.time.Duration;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The emulator's demo tenant ({@link DemoTenant}: the demo app, users, the team Contoso with its channels, the chats)
 * and the endpoint options that point a managing graph-teams consumer at it (real msal4j over the emulator's HTTPS
 * identity platform). The decryption key is the component tests' own ({@link ReceivingContext#keyStore(Path)}).
 */
public final class EmulatedGraph implements AutoCloseable {

    // the names the component's tests give the demo tenant's ids
    public static final String APP = DemoTenant.CLIENT_ID;
    public static final String SECRET = DemoTenant.CLIENT_SECRET;
    public static final String USER_A = DemoTenant.ADELE;
    public static final String USER_B = DemoTenant.MEGAN;
    public static final String TEAM = DemoTenant.TEAM;
    public static final String CHANNEL = DemoTenant.GENERAL_CHANNEL;
    public static final String CHAT = DemoTenant.GROUP_CHAT;
    /** A Teams app that tests install in {@link #CHAT} for the appCatalogs resource; the tenant has none of its own. */
    public static final String INSTALLED_APP = "a0000000-0000-4000-8000-0000000000a4";
    public static final String SSL_BEAN = "emulatorTls";

    private final DemoTenant tenant;

    private EmulatedGraph(DemoTenant tenant) {
        this.tenant = tenant;
    }

    public static EmulatedGraph start() {
        return start(GraphTimings.graphDefaults().withBatchWindow(Duration.ofMillis(20)));
    }

    public static EmulatedGraph start(GraphTimings timings) {
        return new EmulatedGraph(DemoTenant.start(builder -> builder.timings(timings)));
    }

    public GraphEmulator emulator() {
        return tenant.emulator();
    }

    /** Binds the TLS settings that trust the emulator's self-signed identity certificate as {@link #SSL_BEAN}. */
    public void bindTls(CamelContext context) {
        context.getRegistry().bind(SSL_BEAN, trusting(tenant.emulator()));
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
        return "clientId=" + APP + "&tenantId=" + tenant.tenantId() + "&clientSecret=RAW(" + SECRET + ")"
               + "&authorityUrl=" + tenant.identityBaseUrl() + "&graphBaseUrl=" + tenant.graphBaseUrl()
               + "&sslContextParameters=#" + SSL_BEAN
               + "&openIdConfigurationUrl=" + tenant.openIdConfigurationUrl()
               + "&clientState=RAW(" + ReceivingContext.CLIENT_STATE + ")"
               + "&keyStore=file:" + ReceivingContext.keyStore(keyStoreDir)
               + "&keyStorePassword=RAW(" + ReceivingContext.KEY_STORE_PASSWORD + ")"
               + "&certificateId=" + ReceivingContext.CERTIFICATE_ID
               + "&notificationUrl=http://localhost:" + port + "/graph/notifications"
               + "&lifecycleNotificationUrl=http://localhost:" + port + "/graph/lifecycle";
    }

    @Override
    public void close() {
        tenant.close();
    }
}
