package io.camelgraphteams.component;

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

    /** Microsoft's OpenID configuration for all tenants; its jwks_uri signs Graph's validation tokens. */
    public static final String MICROSOFT_OPENID_CONFIGURATION
            = "https://login.microsoftonline.com/common/.well-known/openid-configuration";
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
    @UriParam(label = "security", description = "Comma list of tenant ids notifications are accepted from. Empty "
                                                + "accepts any tenant whose tokens verify (multi-tenant apps).")
    private String allowedTenantIds;
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
    @UriParam(label = "security", defaultValue = MICROSOFT_OPENID_CONFIGURATION,
              description = "The OpenID configuration whose jwks_uri holds the keys validation tokens are signed with.")
    private String openIdConfigurationUrl = MICROSOFT_OPENID_CONFIGURATION;
    @UriParam(label = "security", defaultValue = "300000", javaType = "java.time.Duration",
              description = "Clock skew allowed when checking validation tokens' exp and nbf.")
    private long validationTokenClockSkew = 300_000;
    @UriParam(defaultValue = "true", description = "Whether this endpoint creates and renews its Graph subscription. "
                                                   + "false: receive only, for subscriptions managed elsewhere.")
    private boolean manageSubscription = true;
    @UriParam(label = "consumer", defaultValue = "16777216", description = "The largest notification batch accepted, "
                                                                          + "in bytes; larger ones get 413.")
    private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
    @UriParam(label = "consumer", defaultValue = "false", description = "Whether lifecycle notifications are also "
                                                                       + "forwarded to the route (header "
                                                                       + "CamelGraphTeamsLifecycleEvent).")
    private boolean forwardLifecycleEvents;
    @UriParam(label = "consumer,advanced", description = "Threads that decrypt and route the items of notification "
                                                         + "batches (0 = twice the number of processors).")
    private int workerPoolSize;

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

    public int getWorkerPoolSize() {
        return workerPoolSize;
    }

    public void setWorkerPoolSize(int workerPoolSize) {
        this.workerPoolSize = workerPoolSize;
    }

    public GraphTeamsConfiguration copy() {
        try {
            return (GraphTeamsConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
