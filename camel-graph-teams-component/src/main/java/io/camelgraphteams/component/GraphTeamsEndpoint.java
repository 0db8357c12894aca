package io.camelgraphteams.component;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import io.camelgraphteams.component.auth.GraphTokenProvider;
import io.camelgraphteams.component.auth.GraphTokenProviders;
import io.camelgraphteams.component.backfill.BackfillSettings;
import io.camelgraphteams.component.backfill.MessageFilter;
import io.camelgraphteams.component.crypto.DecryptionKeyLoader;
import io.camelgraphteams.component.crypto.DecryptionKeyRing;
import io.camelgraphteams.component.crypto.NotificationDecryptor;
import io.camelgraphteams.component.delivery.DeliverySettings;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.graph.RetryPolicy;
import io.camelgraphteams.component.notification.AcceptanceRules;
import io.camelgraphteams.component.notification.BatchDelivery;
import io.camelgraphteams.component.notification.ClientStateAlarm;
import io.camelgraphteams.component.notification.GraphMessageFetcher;
import io.camelgraphteams.component.notification.NotificationBatchParser;
import io.camelgraphteams.component.notification.NotificationBatchProcessor;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.security.ClientStateCheck;
import io.camelgraphteams.component.security.ValidationTokenVerifier;
import io.camelgraphteams.component.subscription.SubscriptionRules;
import io.camelgraphteams.component.subscription.SubscriptionSpec;
import io.camelgraphteams.component.support.Digests;
import io.camelgraphteams.component.webhook.BatchIntake;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.ExceptionHandler;
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
    /** The largest $top Graph accepts on channel delta and message listings. */
    static final int MAX_PAGE_SIZE = 50;
    /** How many keys the default idempotent repository keeps (the most recent ones). */
    static final int DEFAULT_DEDUP_CAPACITY = 10_000;
    private static final Pattern TENANT_GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
        if (configuration.getMaxBodySize() <= 0 || configuration.getMaxBodySize() > Integer.MAX_VALUE - 8
            || configuration.getAnswerDeadline() <= 0 || configuration.getBackfillMaxConversations() < 1) {
            throw new IllegalArgumentException("maxBodySize (below 2 GiB), answerDeadline and backfillMaxConversations "
                                               + "must be positive");
        }
        if (configuration.isVerifyByGet() && missingGraphCredentials() != null) {
            throw new IllegalArgumentException("verifyByGet=true gets every message from Graph: "
                                               + missingGraphCredentials());
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
        SubscriptionRules.check(configuration.getNotificationUrl(), configuration.getLifecycleNotificationUrl(),
                subscriptionLifetime(), renewBefore(), resource.kind(), configuration.getModel(),
                configuration.getSearch(), configuration.getFilter(), configuration.getMentionedUserId());
        if (!GraphClient.API_VERSIONS.contains(configuration.getApiVersion())) {
            throw new IllegalArgumentException("apiVersion '" + configuration.getApiVersion() + "' is unknown: use v1.0 "
                                               + "or beta");
        }
        GraphTokenProviders.requireCredentialOptions(configuration.graphCredentials());
    }

    /** The effective subscription lifetime: the option, or the longest Graph allows minus a safety margin. */
    public Duration subscriptionLifetime() {
        return SubscriptionRules.lifetime(configuration.getSubscriptionLifetime(),
                ObjectHelper.isNotEmpty(configuration.getLifecycleNotificationUrl()));
    }

    /** The effective renewal lead time: the option, or a third of the lifetime, at most 60 minutes. */
    public Duration renewBefore() {
        return SubscriptionRules.renewBefore(configuration.getRenewBefore(), subscriptionLifetime());
    }

    /** The subscription's resource as Graph takes it: the path with $search, $filter and model. */
    public String subscriptionResourceWithQuery() {
        return SubscriptionRules.resourceWithQuery(resource.subscriptionResource(), configuration.getSearch(),
                configuration.getMentionedUserId(), configuration.getFilter(), configuration.getModel());
    }

    /**
     * A Graph client for graphBaseUrl, apiVersion and sslContextParameters, authenticated as configured (tokenProvider
     * bean, or msal4j with a secret or certificate). Retries follow {@link RetryPolicy#defaults()}, or the single
     * {@link RetryPolicy} bean in the registry (time-compressed tests bind one with a {@link RetryPolicy#timeScale()}).
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public GraphClient createGraphClient() {
        SSLContext sslContext = sslContext();
        GraphTokenProvider tokens = GraphTokenProviders.of(getCamelContext(), configuration.graphCredentials(),
                sslContext);
        RetryPolicy retryPolicy = getCamelContext().getRegistry().findSingleByType(RetryPolicy.class);
        return GraphClient.builder()
                .graphBaseUrl(configuration.getGraphBaseUrl())
                .apiVersion(configuration.getApiVersion())
                .tokenProvider(tokens)
                .sslContext(sslContext)
                .retryPolicy(retryPolicy != null ? retryPolicy : RetryPolicy.defaults())
                .build();
    }

    /** The SSLContext sslContextParameters describes; null (the JVM's trust) when the option is not set. */
    private SSLContext sslContext() {
        if (configuration.getSslContextParameters() == null) {
            return null;
        }
        try {
            return configuration.getSslContextParameters().createSSLContext(getCamelContext());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("sslContextParameters could not create an SSLContext: " + e.getMessage(),
                    e);
        }
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
        return "graph-teams-" + kindName() + "-"
               + Digests.sha256Hex(subscriptionResourceWithQuery() + "|" + configuration.getNotificationUrl(), 6);
    }

    /**
     * The prefix of this endpoint's keys in the idempotent and state repositories, so several endpoints (or several
     * instances of one endpoint) can share one repository: the resource kind and a hash of the resource (with its query
     * options) and the tenant. Instances of the same endpoint share it; it does not change with notificationUrl.
     */
    public String stateNamespace() {
        String tenant = configuration.getTenantId() == null ? ""
                : configuration.getTenantId().trim().toLowerCase(Locale.ROOT);
        return "graph-teams." + kindName() + "." + Digests.sha256Hex(subscriptionResourceWithQuery() + "|" + tenant, 6);
    }

    private String kindName() {
        return resource.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
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

    /** What a backfill of this endpoint lists and emits. */
    public BackfillSettings backfillSettings() {
        return new BackfillSettings(Duration.ofMillis(configuration.getBackfillOverlap()),
                configuration.getBackfillPageSize(), new HashSet<>(changeTypes()), MessageFilter.of(
                        configuration.getSearch(), configuration.getMentionedUserId(), configuration.getFilter()));
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
     * A Graph client when the consumer calls Graph (to manage the subscription, backfill, or get the messages of
     * notifications without resource data) and has the credentials; null otherwise. A receive-only endpoint without
     * credentials still receives and deduplicates.
     */
    public GraphClient graphClientIfWanted() {
        // wanted whenever it can be had: even a resource-data endpoint gets the message of an item without content
        if (!configuration.isManageSubscription() && missingGraphCredentials() != null) {
            return null;
        }
        return createGraphClient();
    }

    /** Why the backfill is off, or null when it is on. */
    public String backfillOff(boolean canCallGraph) {
        if (!configuration.isBackfill()) {
            return "backfill is off (backfill=false)";
        }
        return canCallGraph ? null : "backfill is off: it lists messages from Graph and the endpoint has no Graph "
                                     + "credentials (tenantId, clientId and clientSecret or clientCertificate, or a "
                                     + "tokenProvider bean)";
    }

    /** What a user should know when the consumer starts: options that make it receive less than it could. */
    public List<String> startWarnings(boolean canCallGraph) {
        List<String> warnings = new ArrayList<>();
        if (!clientStateCheck.isConfigured()) {
            warnings.add("no clientState: notifications are not matched against a secret; set clientState to the "
                         + "value the subscription was created with");
        }
        String off = backfillOff(canCallGraph);
        if (off != null && configuration.isBackfill()) {
            warnings.add(off);
        }
        if (!configuration.isIncludeResourceData() && !canCallGraph) {
            warnings.add("notifications carry no resource data and the endpoint has no Graph credentials to get the "
                         + "messages: the body is Graph's resourceData reference");
        }
        if (ObjectHelper.isEmpty(configuration.getAllowedTenantIds())) {
            warnings.add(getAllowedTenantIds().isEmpty()
                    ? "allowedTenantIds is not set and tenantId names no single tenant: notifications from any tenant "
                      + "are accepted; list the tenants in allowedTenantIds"
                    : "allowedTenantIds is not set: only tenant " + configuration.getTenantId() + " (tenantId) is "
                      + "accepted; a multi-tenant app lists its tenants in allowedTenantIds (or * for any)");
        }
        String limitation = backfillSettings().filter().limitation();
        if (off == null && limitation != null) {
            warnings.add(limitation);
        }
        if (configuration.isManageSubscription() && configuration.getStateRepository() == null) {
            warnings.add("stateRepository is in memory: after a restart the clientState each subscription was created "
                         + "with is forgotten (a changed clientState is then adopted unnoticed) and so are the "
                         + "backfill watermarks; set a durable one, such as FileStateRepository");
        }
        getComponent().uploadBudgetWarning(configuration.getMaxBodySize()).ifPresent(warnings::add);
        return warnings;
    }

    /** Checks and opens this endpoint's batches; decryption and fetching run on {@code workers}. */
    public NotificationBatchProcessor notificationBatchProcessor(Executor workers, int parallelism,
                                                                 NotificationCounters counters, GraphClient graph,
                                                                 ClientStateAlarm alarm, ExceptionHandler errors) {
        AcceptanceRules rules = new AcceptanceRules(resource, getAllowedTenantIds(),
                configuration.isIncludeResourceData(), configuration.isVerifyByGet(),
                Duration.ofMillis(configuration.getValidationTokenClockSkew()));
        return new NotificationBatchProcessor(new NotificationBatchParser(configuration.getMaxBodySize()),
                tokenVerifier, decryptor, clientStateCheck, rules, graph == null ? null : new GraphMessageFetcher(graph),
                workers, parallelism, counters, alarm, errors, Clock.systemUTC());
    }

    /** What delivery needs to know of this endpoint. */
    public DeliverySettings deliverySettings() {
        return new DeliverySettings(stateNamespace(), resource, new HashSet<>(changeTypes()),
                configuration.isForwardLifecycleEvents(), configuration.getTenantId());
    }

    /** The receiving side of the webhook: budget, limits and answer deadline. */
    public BatchIntake batchIntake(NotificationBatchProcessor processor, BatchDelivery delivery, Executor intake,
                                   NotificationCounters counters) {
        return new BatchIntake(processor, delivery, intake, counters, getComponent().uploadBudget(),
                configuration.getMaxBodySize(), maxPendingNotifications(),
                Duration.ofMillis(configuration.getAnswerDeadline()));
    }

    /** maxPendingNotifications, or 1,000 per core when 0. */
    public int maxPendingNotifications() {
        return configuration.getMaxPendingNotifications() > 0 ? configuration.getMaxPendingNotifications()
                : 1000 * Runtime.getRuntime().availableProcessors();
    }

    /** Fetches the signing keys that verify validation tokens, on {@code executor}; a failure is only reported. */
    void warmUpSigningKeys(Executor executor, ExceptionHandler errors) {
        if (tokenVerifier == null || !configuration.isIncludeResourceData()) {
            return;
        }
        String url = configuration.getOpenIdConfigurationUrl();
        executor.execute(() -> {
            try {
                getComponent().signingKeys(url).refresh();
            } catch (Exception e) {
                // the first batch fetches them again
                errors.handleException("Could not fetch the validation token signing keys from " + url + " yet: "
                                       + e.getMessage(), e);
            }
        });
    }

    private String missingGraphCredentials() {
        try {
            GraphTokenProviders.requireCredentialOptions(configuration.graphCredentials());
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
        keyRing = DecryptionKeyRing.of(DecryptionKeyLoader.fromOptions(getCamelContext(), configuration.getKeyStore(),
                configuration.getKeyStorePassword(), configuration.getCertificateId(), configuration.getCertificate(),
                configuration.getPrivateKey(), configuration.getPrivateKeyPassword()));
        decryptor = new NotificationDecryptor(keyRing);
        clientStateCheck = new ClientStateCheck(configuration.getClientState());
        // without clientId no token can be checked: batches that carry tokens are then refused (401)
        tokenVerifier = audiences().isEmpty() ? null : new ValidationTokenVerifier(
                getComponent().signingKeys(configuration.getOpenIdConfigurationUrl()),
                audiences(), getAllowedTenantIds(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.systemUTC(), Duration.ofMillis(configuration.getValidationTokenClockSkew()));
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

    /**
     * The tenants accepted: allowedTenantIds, else tenantId when it is a tenant id (a GUID; a domain name or
     * {@code organizations} names no single tenant); empty for any (also for {@code *}).
     */
    public Set<String> getAllowedTenantIds() {
        List<String> listed = splitList(configuration.getAllowedTenantIds());
        if (listed.contains("*")) {
            return Set.of();
        }
        String tenantId = configuration.getTenantId();
        boolean guid = tenantId != null && TENANT_GUID.matcher(tenantId.trim()).matches();
        return new LinkedHashSet<>(!listed.isEmpty() ? listed : guid ? List.of(tenantId.trim()) : List.of());
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
