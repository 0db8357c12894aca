package io.camelgraphteams.component;

import io.camelgraphteams.component.auth.GraphCredentials;
import io.camelgraphteams.component.auth.MsalTokenProvider;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.security.OpenIdSigningKeys;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of the graph-teams component and its endpoints. The component holds the shared values; each endpoint gets a
 * copy it can override.
 */
@UriParams
public class GraphTeamsConfiguration implements Cloneable {

    public static final long DEFAULT_MAX_BODY_SIZE = 16L * 1024 * 1024;

    @UriPath(description = "The Graph chatMessage resource to receive notifications for, e.g. chats/getAllMessages, "
                           + "teams/getAllMessages, teams/{team-id}/channels/{channel-id}/messages, chats/{chat-id}/messages, "
                           + "users/{user-id}/chats/getAllMessages or "
                           + "appCatalogs/teamsApps/{app-id}/installedToChats/getAllMessages")
    @Metadata(required = true)
    private String resource;

    @UriParam(label = "security", description = "The application (client) id registered in Microsoft Entra ID. It is "
                                                + "also the audience every validation token must carry. Several ids may "
                                                + "be given as a comma list (the first is the app's own).")
    private String clientId;
    @UriParam(label = "security", description = "The tenant (directory) id the app belongs to and authenticates in. "
                                                + "Which tenants notifications are accepted from is allowedTenantIds.")
    private String tenantId;
    @UriParam(label = "security", description = "Comma list of tenant ids notifications are accepted from. Empty: "
                                                + "tenantId when that is set, else any tenant whose tokens verify. "
                                                + "* accepts any tenant (multi-tenant apps that cannot list theirs).")
    private String allowedTenantIds;
    @UriParam(label = "security", defaultValue = "false",
              description = "Route Graph's own copy of every notified message (a GET with the endpoint's Graph "
                            + "credentials) instead of the content the notification carries. A notification proves "
                            + "that Graph sent a batch for this app within the token's life, not that its content is "
                            + "Graph's: this closes that gap at the cost of one Graph call per message.")
    private boolean verifyByGet;
    @UriParam(label = "security", secret = true, description = "The secret Graph echoes in every notification "
                                                              + "(at most 128 characters). Items whose clientState "
                                                              + "does not match are dropped.")
    private String clientState;
    @UriParam(defaultValue = "created,updated,deleted",
              description = "Comma list of the changes to be notified about: created, updated, deleted.")
    private String changeType = "created,updated,deleted";
    @UriParam(defaultValue = "true", description = "Whether notifications carry the encrypted chatMessage "
                                                   + "(needs a decryption key). Without it the body is Graph's "
                                                   + "resourceData reference.")
    private boolean includeResourceData = true;
    @UriParam(label = "consumer", defaultValue = "/graph/notifications",
              description = "The local HTTP path the consumer serves change notifications on (POST).")
    private String notificationPath = "/graph/notifications";
    @UriParam(label = "consumer", defaultValue = "/graph/lifecycle",
              description = "The local HTTP path the consumer serves lifecycle notifications on (POST).")
    private String lifecycleNotificationPath = "/graph/lifecycle";
    @UriParam(label = "security", description = "The key store (PKCS#12 or JKS) holding the private keys that "
                                                + "decrypt resource data: file:/path, classpath:path or a plain path.")
    private String keyStore;
    @UriParam(label = "security", secret = true, description = "The password of the key store and its keys.")
    private String keyStorePassword;
    @UriParam(label = "security", description = "The encryptionCertificateId(s) Graph knows the keys by: a comma "
                                                + "list of id or id=alias (alias of the key store entry). The first is "
                                                + "the current key; the others keep decrypting during rotation. Empty: "
                                                + "each key store alias is its own id. With PEM: the id of that key.")
    private String certificateId;
    @UriParam(label = "security", description = "PEM alternative to keyStore: the X.509 certificate (file:, "
                                                + "classpath:, path, or the PEM text itself).")
    private String certificate;
    @UriParam(label = "security", secret = true, description = "PEM alternative to keyStore: the RSA private key "
                                                              + "(PKCS#8 or PKCS#1; file:, classpath:, path, or the "
                                                              + "PEM text itself).")
    private String privateKey;
    @UriParam(label = "security", secret = true, description = "The password of an encrypted PEM private key.")
    private String privateKeyPassword;
    @UriParam(label = "security", defaultValue = OpenIdSigningKeys.MICROSOFT_COMMON_OPENID_CONFIGURATION,
              description = "The OpenID configuration whose jwks_uri holds the keys validation tokens are signed with.")
    private String openIdConfigurationUrl = OpenIdSigningKeys.MICROSOFT_COMMON_OPENID_CONFIGURATION;
    @UriParam(label = "security", defaultValue = "300000", javaType = "java.time.Duration",
              description = "Clock skew allowed when checking validation tokens' exp and nbf.")
    private long validationTokenClockSkew = 300_000;
    @UriParam(defaultValue = "true", description = "Whether this endpoint creates and renews its Graph subscription. "
                                                   + "false: receive only, for subscriptions managed elsewhere.")
    private boolean manageSubscription = true;
    @UriParam(label = "consumer", defaultValue = "16777216", description = "The largest notification batch accepted, "
                                                                          + "in bytes; larger ones get 413.")
    private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
    @UriParam(label = "consumer", defaultValue = "2500", javaType = "java.time.Duration",
              description = "Graph is answered by then, counted from a request's arrival: a batch whose exchanges have "
                            + "not completed is answered 503 (its exchanges go on; Graph's redelivery routes nothing "
                            + "twice, bar items that carry only Graph's reference, which have no version), and an "
                            + "upload still arriving is cut off. Graph counts answers after 2.9 s as "
                            + "slow and throttles, then drops, notifications to an endpoint with too many of them.")
    private long answerDeadline = 2500;
    @UriParam(label = "consumer", defaultValue = "false", description = "Whether lifecycle notifications are also "
                                                                       + "forwarded to the route (header "
                                                                       + "CamelGraphTeamsLifecycleEvent).")
    private boolean forwardLifecycleEvents;
    @UriParam(label = "consumer,advanced", description = "Threads that decrypt and route the items of notification "
                                                         + "batches (0 = twice the number of processors).")
    private int workerPoolSize;
    @UriParam(label = "consumer,advanced", description = "Notifications in progress (accepted, not yet routed) beyond "
                                                         + "which a new batch is answered 503 at once, so Graph retries "
                                                         + "it instead of waiting past its 3-second limit (0 = 1000 per "
                                                         + "processor, about one second of decryption work).")
    private int maxPendingNotifications;

    // --- exactly once: dedup and backfill ---

    @UriParam(label = "consumer", description = "The store of the keys of delivered message versions (conversation, "
                                                + "message id, etag), so a notification Graph sends twice, or a "
                                                + "message the backfill finds again, reaches the route once. Any Camel "
                                                + "IdempotentRepository (file, JDBC, Kafka, ...). Default: in memory, "
                                                + "the 10,000 most recent keys; keys of live batches are also kept in "
                                                + "memory until their validation token expires, so a replay is caught "
                                                + "whatever the repository forgets. When none is set and the registry holds "
                                                + "exactly one IdempotentRepository bean, that one is used (Camel "
                                                + "autowiring).")
    @Metadata(autowired = true)
    private org.apache.camel.spi.IdempotentRepository idempotentRepository;
    @UriParam(label = "consumer", description = "Where the backfill keeps its watermarks and paging positions (a Camel "
                                                + "StateRepository<String, String>, e.g. FileStateRepository). Default: "
                                                + "in memory, or the registry's only StateRepository bean (Camel "
                                                + "autowiring).")
    @Metadata(autowired = true)
    private org.apache.camel.spi.StateRepository<String, String> stateRepository;
    @UriParam(label = "consumer", defaultValue = "true",
              description = "Whether messages that may have been missed are listed from Graph and routed (header "
                            + "CamelGraphTeamsSource=backfill): after subscriptionRemoved, missed or a lapsed "
                            + "subscription, and at a restart. Needs Graph credentials.")
    private boolean backfill = true;
    @UriParam(label = "consumer", defaultValue = "0", javaType = "java.time.Duration",
              description = "Also backfill on this schedule, finding notifications Graph never delivered (0 = off). "
                            + "Keep it below backfillOverlap to find every lost message.")
    private long backfillInterval;
    @UriParam(label = "consumer", defaultValue = "300000", javaType = "java.time.Duration",
              description = "Listings start this long before the watermark (the latest change delivered), so changes "
                            + "that arrived out of order are not missed; what was delivered already is skipped by the "
                            + "idempotentRepository.")
    private long backfillOverlap = 300_000;
    @UriParam(label = "consumer,advanced", defaultValue = "50",
              description = "Messages per page ($top) of the backfill's listing calls (1 to 50).")
    private int backfillPageSize = 50;
    @UriParam(label = "consumer,advanced", defaultValue = "5000",
              description = "Conversations (chats and channels) the backfill keeps watermarks for. Past it, the one "
                            + "idle longest is forgotten (no longer backfilled) to make room.")
    private int backfillMaxConversations = 5000;

    // --- subscription management (manageSubscription=true) ---

    @UriParam(label = "subscription", description = "The public HTTPS URL Graph posts change notifications to; it must "
                                                    + "reach this consumer's notificationPath. http is accepted only "
                                                    + "for localhost (the emulator, tests).")
    private String notificationUrl;
    @UriParam(label = "subscription", description = "The public HTTPS URL Graph posts lifecycle notifications to; it "
                                                    + "must reach this consumer's lifecycleNotificationPath. Required "
                                                    + "for subscriptions living longer than one hour.")
    private String lifecycleNotificationUrl;
    @UriParam(label = "subscription", javaType = "java.time.Duration",
              description = "How long each subscription (and each renewal) lasts. 0 (default): the longest Graph "
                            + "allows minus a safety margin: 4,260 minutes with lifecycleNotificationUrl, else 55 "
                            + "minutes.")
    private long subscriptionLifetime;
    @UriParam(label = "subscription", javaType = "java.time.Duration",
              description = "How long before expiry the subscription is renewed (a random jitter of up to 10% is "
                            + "added). 0 (default): a third of the lifetime, at most 60 minutes.")
    private long renewBefore;
    @UriParam(label = "subscription", defaultValue = "false",
              description = "Whether the subscription is deleted when the consumer stops. Default false: Graph retries "
                            + "a down endpoint for hours, so a restart loses nothing.")
    private boolean deleteOnStop;
    @UriParam(label = "subscription,advanced", defaultValue = "600000", javaType = "java.time.Duration",
              description = "Graph's rule: never renew (PATCH) and reauthorize one subscription within this interval. "
                            + "Only tests compress it.")
    private long reauthorizationInterval = 600_000;
    @UriParam(label = "subscription", description = "Only messages matching this text ($search on channel and chat "
                                                    + "resources).")
    private String search;
    @UriParam(label = "subscription", description = "A Graph $filter on the resource, e.g. the mentions filter. "
                                                    + "Prefer mentionedUserId for mentions.")
    private String filter;
    @UriParam(label = "subscription", description = "Only messages that mention this user id (builds Graph's "
                                                    + "mentions $filter).")
    private String mentionedUserId;
    @UriParam(label = "subscription", enums = "A,B", description = "The licensing and payment model for the "
                                                                  + "tenant-wide resources: A or B. Empty: evaluation "
                                                                  + "mode.")
    private String model;
    @UriParam(label = "subscription", defaultValue = GraphClient.DEFAULT_GRAPH_BASE_URL,
              description = "The Microsoft Graph service root (national clouds, the emulator).")
    private String graphBaseUrl = GraphClient.DEFAULT_GRAPH_BASE_URL;
    @UriParam(label = "subscription", defaultValue = "v1.0", enums = "v1.0,beta",
              description = "The Graph API version: v1.0 or beta.")
    private String apiVersion = "v1.0";
    @UriParam(label = "security", defaultValue = MsalTokenProvider.MICROSOFT_AUTHORITY_URL,
              description = "The Microsoft identity platform authority host (national clouds, the emulator); the "
                            + "tenantId is appended.")
    private String authorityUrl = MsalTokenProvider.MICROSOFT_AUTHORITY_URL;
    @UriParam(label = "security", secret = true, description = "The app's client secret, for client-credentials "
                                                              + "authentication.")
    private String clientSecret;
    @UriParam(label = "security", description = "The app's client certificate for client-credentials authentication "
                                                + "instead of a secret: a PKCS#12 file (file:, classpath:, path) or a "
                                                + "PEM certificate (with clientPrivateKey).")
    private String clientCertificate;
    @UriParam(label = "security", secret = true, description = "The password of the PKCS#12 clientCertificate.")
    private String clientCertificatePassword;
    @UriParam(label = "security", secret = true, description = "The PEM private key that goes with a PEM "
                                                              + "clientCertificate.")
    private String clientPrivateKey;
    @UriParam(label = "security,advanced", description = "A custom source of Graph access tokens (a bean of type "
                                                         + "GraphTokenProvider), for credentials msal4j does not "
                                                         + "cover. Default: the registry's only GraphTokenProvider bean, "
                                                         + "else msal4j client credentials.")
    @Metadata(autowired = true)
    private io.camelgraphteams.component.auth.GraphTokenProvider tokenProvider;
    @UriParam(label = "security,advanced", description = "TLS settings for the calls to Graph and the identity "
                                                         + "platform (e.g. to trust the emulator's certificate). Default: "
                                                         + "the registry's only SSLContextParameters bean, if any.")
    @Metadata(autowired = true)
    private org.apache.camel.support.jsse.SSLContextParameters sslContextParameters;

    public String getResource() {
        return resource;
    }

    public void setResource(String resource) {
        this.resource = resource;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getAllowedTenantIds() {
        return allowedTenantIds;
    }

    public void setAllowedTenantIds(String allowedTenantIds) {
        this.allowedTenantIds = allowedTenantIds;
    }

    public String getClientState() {
        return clientState;
    }

    public void setClientState(String clientState) {
        this.clientState = clientState;
    }

    public String getChangeType() {
        return changeType;
    }

    public void setChangeType(String changeType) {
        this.changeType = changeType;
    }

    public boolean isIncludeResourceData() {
        return includeResourceData;
    }

    public void setIncludeResourceData(boolean includeResourceData) {
        this.includeResourceData = includeResourceData;
    }

    public String getNotificationPath() {
        return notificationPath;
    }

    public void setNotificationPath(String notificationPath) {
        this.notificationPath = notificationPath;
    }

    public String getLifecycleNotificationPath() {
        return lifecycleNotificationPath;
    }

    public void setLifecycleNotificationPath(String lifecycleNotificationPath) {
        this.lifecycleNotificationPath = lifecycleNotificationPath;
    }

    public String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    public String getCertificateId() {
        return certificateId;
    }

    public void setCertificateId(String certificateId) {
        this.certificateId = certificateId;
    }

    public String getCertificate() {
        return certificate;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public String getPrivateKey() {
        return privateKey;
    }

    public void setPrivateKey(String privateKey) {
        this.privateKey = privateKey;
    }

    public String getPrivateKeyPassword() {
        return privateKeyPassword;
    }

    public void setPrivateKeyPassword(String privateKeyPassword) {
        this.privateKeyPassword = privateKeyPassword;
    }

    public String getOpenIdConfigurationUrl() {
        return openIdConfigurationUrl;
    }

    public void setOpenIdConfigurationUrl(String openIdConfigurationUrl) {
        this.openIdConfigurationUrl = openIdConfigurationUrl;
    }

    public long getValidationTokenClockSkew() {
        return validationTokenClockSkew;
    }

    public void setValidationTokenClockSkew(long validationTokenClockSkew) {
        this.validationTokenClockSkew = validationTokenClockSkew;
    }

    public boolean isManageSubscription() {
        return manageSubscription;
    }

    public void setManageSubscription(boolean manageSubscription) {
        this.manageSubscription = manageSubscription;
    }

    public long getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public boolean isForwardLifecycleEvents() {
        return forwardLifecycleEvents;
    }

    public void setForwardLifecycleEvents(boolean forwardLifecycleEvents) {
        this.forwardLifecycleEvents = forwardLifecycleEvents;
    }

    public int getMaxPendingNotifications() {
        return maxPendingNotifications;
    }

    public void setMaxPendingNotifications(int maxPendingNotifications) {
        this.maxPendingNotifications = maxPendingNotifications;
    }

    public int getWorkerPoolSize() {
        return workerPoolSize;
    }

    public void setWorkerPoolSize(int workerPoolSize) {
        this.workerPoolSize = workerPoolSize;
    }

    public org.apache.camel.spi.IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    public void setIdempotentRepository(org.apache.camel.spi.IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public org.apache.camel.spi.StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    public void setStateRepository(org.apache.camel.spi.StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    public boolean isBackfill() {
        return backfill;
    }

    public void setBackfill(boolean backfill) {
        this.backfill = backfill;
    }

    public long getBackfillInterval() {
        return backfillInterval;
    }

    public void setBackfillInterval(long backfillInterval) {
        this.backfillInterval = backfillInterval;
    }

    public long getBackfillOverlap() {
        return backfillOverlap;
    }

    public void setBackfillOverlap(long backfillOverlap) {
        this.backfillOverlap = backfillOverlap;
    }

    public int getBackfillPageSize() {
        return backfillPageSize;
    }

    public void setBackfillPageSize(int backfillPageSize) {
        this.backfillPageSize = backfillPageSize;
    }

    public String getNotificationUrl() {
        return notificationUrl;
    }

    public void setNotificationUrl(String notificationUrl) {
        this.notificationUrl = notificationUrl;
    }

    public String getLifecycleNotificationUrl() {
        return lifecycleNotificationUrl;
    }

    public void setLifecycleNotificationUrl(String lifecycleNotificationUrl) {
        this.lifecycleNotificationUrl = lifecycleNotificationUrl;
    }

    public long getSubscriptionLifetime() {
        return subscriptionLifetime;
    }

    public void setSubscriptionLifetime(long subscriptionLifetime) {
        this.subscriptionLifetime = subscriptionLifetime;
    }

    public long getRenewBefore() {
        return renewBefore;
    }

    public void setRenewBefore(long renewBefore) {
        this.renewBefore = renewBefore;
    }

    public boolean isDeleteOnStop() {
        return deleteOnStop;
    }

    public void setDeleteOnStop(boolean deleteOnStop) {
        this.deleteOnStop = deleteOnStop;
    }

    public long getReauthorizationInterval() {
        return reauthorizationInterval;
    }

    public void setReauthorizationInterval(long reauthorizationInterval) {
        this.reauthorizationInterval = reauthorizationInterval;
    }

    public String getSearch() {
        return search;
    }

    public void setSearch(String search) {
        this.search = search;
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    public String getMentionedUserId() {
        return mentionedUserId;
    }

    public void setMentionedUserId(String mentionedUserId) {
        this.mentionedUserId = mentionedUserId;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getGraphBaseUrl() {
        return graphBaseUrl;
    }

    public void setGraphBaseUrl(String graphBaseUrl) {
        this.graphBaseUrl = graphBaseUrl;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getAuthorityUrl() {
        return authorityUrl;
    }

    public void setAuthorityUrl(String authorityUrl) {
        this.authorityUrl = authorityUrl;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getClientCertificate() {
        return clientCertificate;
    }

    public void setClientCertificate(String clientCertificate) {
        this.clientCertificate = clientCertificate;
    }

    public String getClientCertificatePassword() {
        return clientCertificatePassword;
    }

    public void setClientCertificatePassword(String clientCertificatePassword) {
        this.clientCertificatePassword = clientCertificatePassword;
    }

    public String getClientPrivateKey() {
        return clientPrivateKey;
    }

    public void setClientPrivateKey(String clientPrivateKey) {
        this.clientPrivateKey = clientPrivateKey;
    }

    public io.camelgraphteams.component.auth.GraphTokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(io.camelgraphteams.component.auth.GraphTokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public org.apache.camel.support.jsse.SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(org.apache.camel.support.jsse.SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    /** The credential options, for the token provider. */
    public GraphCredentials graphCredentials() {
        return new GraphCredentials(tenantId, clientId, clientSecret, clientCertificate, clientCertificatePassword,
                clientPrivateKey, authorityUrl, tokenProvider);
    }

    public boolean isVerifyByGet() {
        return verifyByGet;
    }

    public void setVerifyByGet(boolean verifyByGet) {
        this.verifyByGet = verifyByGet;
    }

    public long getAnswerDeadline() {
        return answerDeadline;
    }

    public void setAnswerDeadline(long answerDeadline) {
        this.answerDeadline = answerDeadline;
    }

    public int getBackfillMaxConversations() {
        return backfillMaxConversations;
    }

    public void setBackfillMaxConversations(int backfillMaxConversations) {
        this.backfillMaxConversations = backfillMaxConversations;
    }

    public GraphTeamsConfiguration copy() {
        try {
            return (GraphTeamsConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
