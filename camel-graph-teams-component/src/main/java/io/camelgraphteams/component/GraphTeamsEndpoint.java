package io.camelgraphteams.component;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.camelgraphteams.component.auth.GraphTokenProviders;
import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.crypto.DecryptionKeyLoader;
import io.camelgraphteams.component.crypto.DecryptionKeyRing;
import io.camelgraphteams.component.crypto.NotificationDecryptor;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.security.ClientStateCheck;
import io.camelgraphteams.component.security.ValidationTokenVerifier;
import io.camelgraphteams.component.subscription.SubscriptionSpec;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.apache.camel.support.service.ServiceHelper;
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
    /** Graph's longest chatMessage subscription (4,320 minutes) and the margin kept below it. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(4320);
    static final Duration LIFETIME_MARGIN = Duration.ofMinutes(60);
    static final Duration SKEW_MARGIN = Duration.ofMinutes(2);
    /** The largest $top Graph accepts on channel delta and message listings. */
    static final int MAX_PAGE_SIZE = 50;
    /** How many keys the default idempotent repository keeps (the most recent ones). */
    static final int DEFAULT_DEDUP_CAPACITY = 10_000;

    @UriParam
    private GraphTeamsConfiguration configuration;

    private GraphResource resource;
    private DecryptionKeyRing keyRing = DecryptionKeyRing.empty();
    private NotificationDecryptor decryptor;
    private ValidationTokenVerifier tokenVerifier;
    private ClientStateCheck clientStateCheck;
    // the defaults when the options are not set: per endpoint, so they survive a route restart within the context
    private IdempotentRepository defaultIdempotentRepository;
    private StateRepository<String, String> defaultStateRepository;

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
        if (configuration.isManageSubscription()) {
            validateSubscriptionConfiguration();
        }
        if (configuration.getBackfillPageSize() < 1 || configuration.getBackfillPageSize() > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("backfillPageSize " + configuration.getBackfillPageSize()
                                               + " is out of range: Graph pages hold 1 to " + MAX_PAGE_SIZE + " messages");
        }
        if (configuration.getBackfillInterval() < 0 || configuration.getBackfillOverlap() < 0) {
            throw new IllegalArgumentException("backfillInterval and backfillOverlap cannot be negative");
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

    /** Graph's subscription rules, checked before any call (manageSubscription=true). */
    private void validateSubscriptionConfiguration() {
        checkPublicUrl("notificationUrl", configuration.getNotificationUrl(), true);
        checkPublicUrl("lifecycleNotificationUrl", configuration.getLifecycleNotificationUrl(), false);
        Duration lifetime = subscriptionLifetime();
        // asking for exactly Graph's limit fails by clock skew: keep a few minutes below it
        if (lifetime.compareTo(MAX_LIFETIME.minus(SKEW_MARGIN)) > 0) {
            throw new IllegalArgumentException("subscriptionLifetime " + lifetime + " is too long: Graph allows "
                                               + MAX_LIFETIME.toMinutes() + " minutes for chatMessage, and asking for "
                                               + "exactly that fails by clock skew; use at most "
                                               + MAX_LIFETIME.minus(SKEW_MARGIN).toMinutes() + " minutes");
        }
        if (ObjectHelper.isEmpty(configuration.getLifecycleNotificationUrl())
                && lifetime.compareTo(Duration.ofHours(1).minus(SKEW_MARGIN)) > 0) {
            throw new IllegalArgumentException("subscriptionLifetime " + lifetime + " is over 1 hour, which Graph "
                                               + "accepts only with lifecycleNotificationUrl: set lifecycleNotificationUrl "
                                               + "or a lifetime of at most 58 minutes");
        }
        if (renewBefore().compareTo(lifetime) >= 0) {
            throw new IllegalArgumentException("renewBefore " + renewBefore() + " must be shorter than "
                                               + "subscriptionLifetime " + lifetime);
        }
        String model = configuration.getModel();
        if (ObjectHelper.isNotEmpty(model) && !model.equals("A") && !model.equals("B")) {
            throw new IllegalArgumentException("model '" + model + "' is unknown: use A or B (or leave it empty for "
                                               + "evaluation mode)");
        }
        if (ObjectHelper.isNotEmpty(configuration.getFilter()) && ObjectHelper.isNotEmpty(configuration.getMentionedUserId())) {
            throw new IllegalArgumentException("Set either filter or mentionedUserId, not both: mentionedUserId builds "
                                               + "the $filter");
        }
        if (!GraphClient.API_VERSIONS.contains(configuration.getApiVersion())) {
            throw new IllegalArgumentException("apiVersion '" + configuration.getApiVersion() + "' is unknown: use v1.0 "
                                               + "or beta");
        }
        GraphTokenProviders.requireCredentialOptions(configuration);
    }

    private static void checkPublicUrl(String option, String url, boolean required) {
        if (ObjectHelper.isEmpty(url)) {
            if (required) {
                throw new IllegalArgumentException("manageSubscription=true needs " + option + ": the public HTTPS URL "
                                                   + "that reaches this consumer (or set manageSubscription=false)");
            }
            return;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + url + "' is not a URL");
        }
        String host = uri.getHost();
        boolean local = "localhost".equalsIgnoreCase(host) || "127.0.0.1".equals(host) || "[::1]".equals(host)
                        || "::1".equals(host);
        if ("https".equalsIgnoreCase(uri.getScheme()) && host != null) {
            return;
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && local) {
            return;
        }
        throw new IllegalArgumentException(option + " '" + url + "' must be https (Graph delivers only to HTTPS; http "
                                           + "is accepted for localhost only)");
    }

    /** The effective subscription lifetime: the option, or the longest Graph allows minus a safety margin. */
    public Duration subscriptionLifetime() {
        if (configuration.getSubscriptionLifetime() > 0) {
            return Duration.ofMillis(configuration.getSubscriptionLifetime());
        }
        // asking for exactly Graph's maximum fails by clock skew; stay a margin below
        return ObjectHelper.isNotEmpty(configuration.getLifecycleNotificationUrl())
                ? MAX_LIFETIME.minus(LIFETIME_MARGIN) : Duration.ofMinutes(55);
    }

    /** The effective renewal lead time: the option, or a third of the lifetime, at most 60 minutes. */
    public Duration renewBefore() {
        if (configuration.getRenewBefore() > 0) {
            return Duration.ofMillis(configuration.getRenewBefore());
        }
        Duration third = subscriptionLifetime().dividedBy(3);
        return third.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : third;
    }

    /** The subscription's resource as Graph takes it: the path with $search, $filter and model. */
    public String subscriptionResourceWithQuery() {
        List<String> query = new ArrayList<>();
        if (ObjectHelper.isNotEmpty(configuration.getSearch())) {
            query.add("$search=" + configuration.getSearch());
        }
        if (ObjectHelper.isNotEmpty(configuration.getMentionedUserId())) {
            query.add("$filter=mentions/any(u: u/mentioned/user/id eq '" + configuration.getMentionedUserId() + "')");
        } else if (ObjectHelper.isNotEmpty(configuration.getFilter())) {
            query.add("$filter=" + configuration.getFilter());
        }
        if (ObjectHelper.isNotEmpty(configuration.getModel())) {
            query.add("model=" + configuration.getModel());
        }
        return resource.subscriptionResource() + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /** A Graph client authenticated as configured (tokenProvider bean, or msal4j with a secret or certificate). */
    public GraphClient createGraphClient() {
        return GraphClient.fromConfiguration(getCamelContext(), configuration);
    }

    /** The desired state of this endpoint's subscription. */
    public SubscriptionSpec subscriptionSpec() {
        return new SubscriptionSpec(subscriptionResourceWithQuery(), String.join(",", changeTypes()),
                configuration.getNotificationUrl(), configuration.getLifecycleNotificationUrl(),
                configuration.getClientState(), configuration.isIncludeResourceData(),
                configuration.isIncludeResourceData() && !keyRing.isEmpty() ? keyRing.current() : null,
                subscriptionLifetime(), renewBefore(), Duration.ofMillis(configuration.getReauthorizationInterval()));
    }

    /**
     * The cluster namespace whose leader manages this endpoint's subscription: one per subscription (resource and
     * notificationUrl), readable, and safe as a file or lock name.
     */
    public String clusterNamespace() {
        String key = subscriptionResourceWithQuery() + "|" + configuration.getNotificationUrl();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "graph-teams-" + resource.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-"
                   + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The prefix of this endpoint's keys in the idempotent and state repositories, so several endpoints (or several
     * instances of one endpoint) can share one repository: the resource kind and a hash of the resource (with its query
     * options) and the tenant. Instances of the same endpoint share it; it does not change with notificationUrl.
     */
    public String stateNamespace() {
        String key = subscriptionResourceWithQuery() + "|" + (configuration.getTenantId() == null ? ""
                : configuration.getTenantId().trim().toLowerCase(java.util.Locale.ROOT));
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "graph-teams." + resource.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "."
                   + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The idempotentRepository option, or this endpoint's in-memory one (the 10,000 most recent keys). */
    public synchronized IdempotentRepository idempotentRepository() {
        if (configuration.getIdempotentRepository() != null) {
            return configuration.getIdempotentRepository();
        }
        if (defaultIdempotentRepository == null) {
            defaultIdempotentRepository = MemoryIdempotentRepository.memoryIdempotentRepository(DEFAULT_DEDUP_CAPACITY);
        }
        return defaultIdempotentRepository;
    }

    /** The stateRepository option, or this endpoint's in-memory one. */
    public synchronized StateRepository<String, String> stateRepository() {
        if (configuration.getStateRepository() != null) {
            return configuration.getStateRepository();
        }
        if (defaultStateRepository == null) {
            defaultStateRepository = new MemoryStateRepository();
        }
        return defaultStateRepository;
    }

    /**
     * Why this endpoint cannot call Graph, or null when it can: a tokenProvider bean, or tenantId, clientId and a
     * secret or certificate. Receive-only endpoints may have none; backfill and fetching messages need them.
     */
    public String missingGraphCredentials() {
        try {
            GraphTokenProviders.requireCredentialOptions(configuration);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Camel's file repositories load their file when started; starting a started (shared) one does nothing
        ServiceHelper.startService(idempotentRepository(), stateRepository());
    }

    @Override
    protected void doStop() throws Exception {
        // only the defaults: a repository bean may be shared with other endpoints, its owner stops it
        ServiceHelper.stopService(defaultIdempotentRepository, defaultStateRepository);
        super.doStop();
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
