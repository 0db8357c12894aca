package io.camelgraphteams.component;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.crypto.DecryptionKeyLoader;
import io.camelgraphteams.component.crypto.DecryptionKeyRing;
import io.camelgraphteams.component.crypto.NotificationDecryptor;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.security.ClientStateCheck;
import io.camelgraphteams.component.security.ValidationTokenVerifier;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;

/**
 * Receive Microsoft Teams messages (chatMessage change notifications) from Microsoft Graph.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "graph-teams", title = "Microsoft Graph Teams",
             syntax = "graph-teams:resource", consumerOnly = true,
             category = { Category.CLOUD, Category.API, Category.CHAT }, headersClass = GraphTeamsConstants.class)
public class GraphTeamsEndpoint extends DefaultEndpoint {

    static final Set<String> CHANGE_TYPES = Set.of("created", "updated", "deleted");
    static final int MAX_CLIENT_STATE_LENGTH = 128;

    @UriParam
    private GraphTeamsConfiguration configuration;

    private GraphResource resource;
    private DecryptionKeyRing keyRing = DecryptionKeyRing.empty();
    private NotificationDecryptor decryptor;
    private ValidationTokenVerifier tokenVerifier;
    private ClientStateCheck clientStateCheck;

    public GraphTeamsEndpoint(String uri, GraphTeamsComponent component, GraphTeamsConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public GraphTeamsComponent getComponent() {
        return (GraphTeamsComponent) super.getComponent();
    }

    public GraphTeamsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(GraphTeamsConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(
                "graph-teams only receives notifications: use it in from(...), not to(...)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        GraphTeamsConsumer consumer = new GraphTeamsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * Refuses a configuration that cannot work, naming the option at fault. Called when the endpoint is created, so a
     * route with a bad URI never starts.
     */
    void validateConfiguration() {
        resource = GraphResource.parse(configuration.getResource());
        for (String changeType : changeTypes()) {
            if (!CHANGE_TYPES.contains(changeType)) {
                throw new IllegalArgumentException("changeType '" + changeType
                                                   + "' is unknown: use a comma list of created, updated, deleted");
            }
        }
        if (changeTypes().isEmpty()) {
            throw new IllegalArgumentException("changeType is empty: use a comma list of created, updated, deleted");
        }
        String clientState = configuration.getClientState();
        if (clientState != null && clientState.length() > MAX_CLIENT_STATE_LENGTH) {
            throw new IllegalArgumentException("clientState is " + clientState.length()
                                               + " characters long; Graph accepts at most " + MAX_CLIENT_STATE_LENGTH);
        }
        if (configuration.getMaxBodySize() <= 0) {
            throw new IllegalArgumentException("maxBodySize must be a positive number of bytes");
        }
        checkPath("notificationPath", configuration.getNotificationPath());
        checkPath("lifecycleNotificationPath", configuration.getLifecycleNotificationPath());
        if (configuration.isIncludeResourceData()) {
            if (audiences().isEmpty()) {
                throw new IllegalArgumentException("includeResourceData=true needs clientId: validation tokens are "
                                                   + "checked against the app's client id");
            }
            boolean pem = ObjectHelper.isNotEmpty(configuration.getCertificate())
                          || ObjectHelper.isNotEmpty(configuration.getPrivateKey());
            if (ObjectHelper.isEmpty(configuration.getKeyStore()) && !pem) {
                throw new IllegalArgumentException("includeResourceData=true needs a decryption key: set keyStore "
                                                   + "(with keyStorePassword and certificateId) or certificate and "
                                                   + "privateKey (PEM)");
            }
        }
    }

    private static void checkPath(String option, String path) {
        if (path == null || !path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains("*")) {
            throw new IllegalArgumentException(option + " '" + path + "' must be a plain absolute path such as "
                                               + "/graph/notifications");
        }
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (resource == null) {
            validateConfiguration();
        }
        keyRing = DecryptionKeyRing.of(loadKeys());
        decryptor = new NotificationDecryptor(keyRing);
        clientStateCheck = new ClientStateCheck(configuration.getClientState());
        // without clientId no token can be checked: batches that carry tokens are then refused (401)
        tokenVerifier = audiences().isEmpty() ? null : new ValidationTokenVerifier(
                getComponent().signingKeys(configuration.getOpenIdConfigurationUrl()),
                audiences(), getAllowedTenantIds(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.systemUTC(), Duration.ofMillis(configuration.getValidationTokenClockSkew()));
    }

    private List<DecryptionKey> loadKeys() {
        boolean keyStore = ObjectHelper.isNotEmpty(configuration.getKeyStore());
        boolean pem = ObjectHelper.isNotEmpty(configuration.getCertificate())
                      || ObjectHelper.isNotEmpty(configuration.getPrivateKey());
        if (keyStore && pem) {
            throw new IllegalArgumentException("Set either keyStore or certificate and privateKey (PEM), not both; "
                                               + "a key store holds several keys for rotation");
        }
        if (keyStore) {
            return DecryptionKeyLoader.fromKeyStore(getCamelContext(), configuration.getKeyStore(),
                    configuration.getKeyStorePassword(), configuration.getCertificateId());
        }
        if (pem) {
            if (ObjectHelper.isEmpty(configuration.getCertificate()) || ObjectHelper.isEmpty(configuration.getPrivateKey())) {
                throw new IllegalArgumentException("certificate and privateKey (PEM) must be set together");
            }
            List<String> ids = splitList(configuration.getCertificateId());
            if (ids.size() != 1) {
                throw new IllegalArgumentException("certificateId must name exactly one id with certificate and "
                                                   + "privateKey (PEM): the encryptionCertificateId Graph sends back");
            }
            return List.of(DecryptionKeyLoader.fromPem(getCamelContext(), ids.get(0), configuration.getCertificate(),
                    configuration.getPrivateKey(), configuration.getPrivateKeyPassword()));
        }
        return List.of();
    }

    public GraphResource getResource() {
        return resource;
    }

    public List<String> changeTypes() {
        return splitList(configuration.getChangeType());
    }

    public List<String> audiences() {
        return splitList(configuration.getClientId());
    }

    public Set<String> getAllowedTenantIds() {
        return new LinkedHashSet<>(splitList(configuration.getAllowedTenantIds()));
    }

    public DecryptionKeyRing getKeyRing() {
        return keyRing;
    }

    public NotificationDecryptor getDecryptor() {
        return decryptor;
    }

    /** Null when no clientId is configured. */
    public ValidationTokenVerifier getTokenVerifier() {
        return tokenVerifier;
    }

    public ClientStateCheck getClientStateCheck() {
        return clientStateCheck;
    }

    static List<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
