package io.camelgraphteams.component.auth;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.TokenSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph access tokens with msal4j client credentials (a client secret or a client certificate), from msal4j's token
 * cache while the cached token has more than 5 minutes left.
 * <p>
 * With a tenant id (GUID) the authority is given to msal4j as {@code oidcAuthority} ({@code <authorityUrl>/<tenant>/v2.0}):
 * its token cache then works on any port (msal4j's {@code authority} looks cached tokens up under host:port but stores
 * them under host, so never hits on a non-443 port). When the OpenID configuration's issuer differs from that
 * authority (a tenant given by domain name, some national clouds), the AAD {@code authority} form is used instead.
 * <p>
 * One token request per call at most: msal4j's internal retry is off and nothing here loops; callers decide whether
 * to try again ({@link GraphAuthenticationException#isTransient()}). Secrets never appear in messages or logs.
 */
public final class MsalTokenProvider implements GraphTokenProvider {

    /** The Microsoft identity platform of the global cloud. */
    public static final String MICROSOFT_AUTHORITY_URL = "https://login.microsoftonline.com";

    private static final Logger LOG = LoggerFactory.getLogger(MsalTokenProvider.class);

    private static final Pattern GUID
            = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    // hosts msal4j's instance discovery knows; any other host (the emulator, a proxy) is used as given
    private static final Set<String> MICROSOFT_LOGIN_HOSTS = Set.of("login.microsoftonline.com", "login.windows.net",
            "login.microsoft.com", "sts.windows.net", "login.microsoftonline.us", "login.usgovcloudapi.net",
            "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.microsoftonline.de");
    private static final int SHORTEST_SCRUBBED_SECRET = 6;

    private final String authorityUrl;
    private final String tenantId;
    private final String clientId;
    private final IClientCredential credential;
    private final String credentialOption;
    private final String secretToScrub;
    private final SSLSocketFactory sslSocketFactory;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration acquireTimeout;

    private final Object buildLock = new Object();
    private volatile ConfidentialClientApplication application;
    private volatile String authorityInUse;

    private final AtomicLong tokensFromIdentityPlatform = new AtomicLong();
    private final AtomicLong tokensFromCache = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private MsalTokenProvider(Builder b, IClientCredential credential, String credentialOption) {
        this.authorityUrl = b.authorityUrl;
        this.tenantId = b.tenantId.trim();
        this.clientId = b.clientId.trim();
        this.credential = credential;
        this.credentialOption = credentialOption;
        this.secretToScrub = b.clientSecret != null && b.clientSecret.length() >= SHORTEST_SCRUBBED_SECRET
                ? b.clientSecret : null;
        this.sslSocketFactory = b.sslSocketFactory;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.acquireTimeout = b.acquireTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A token for {@code scope} (default {@link #DEFAULT_SCOPE}): from msal4j's cache, or one request to the token
     * endpoint.
     *
     * @throws GraphAuthenticationException naming the option to fix; {@link GraphAuthenticationException#isTransient()}
     *                                      tells whether trying later may help
     */
    @Override
    public String accessToken(String scope) throws GraphAuthenticationException, InterruptedException {
        String wanted = scope == null || scope.isBlank() ? DEFAULT_SCOPE : scope.trim();
        ConfidentialClientApplication app = application();
        IAuthenticationResult result;
        try {
            result = app.acquireToken(ClientCredentialParameters.builder(Set.of(wanted)).build())
                    .get(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            failures.incrementAndGet();
            throw translate(e.getCause() != null ? e.getCause() : e);
        } catch (TimeoutException e) {
            failures.incrementAndGet();
            throw new GraphAuthenticationException("The Microsoft identity platform at " + authorityInUse
                                                   + " did not answer within " + acquireTimeout.toSeconds()
                                                   + " s for clientId " + clientId + "; try again later", clientId,
                    null, null, 0, true, e);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            throw translate(e);
        }
        boolean fromCache = result.metadata() != null && result.metadata().tokenSource() == TokenSource.CACHE;
        (fromCache ? tokensFromCache : tokensFromIdentityPlatform).incrementAndGet();
        LOG.debug("Graph access token for clientId {} scope {} from {}, expires {}", clientId, wanted,
                fromCache ? "msal4j's cache" : "the identity platform", result.expiresOnDate().toInstant());
        return result.accessToken();
    }

    /** Builds msal4j's client once; a failed build (network, TLS) is tried again at the next call. */
    private ConfidentialClientApplication application() throws GraphAuthenticationException {
        ConfidentialClientApplication app = application;
        if (app != null) {
            return app;
        }
        synchronized (buildLock) {
            if (application != null) {
                return application;
            }
            if (GUID.matcher(tenantId).matches()) {
                String oidcAuthority = authorityUrl + "/" + tenantId + "/v2.0";
                try {
                    application = newBuilder().oidcAuthority(oidcAuthority).build();
                    authorityInUse = oidcAuthority;
                    LOG.debug("msal4j uses oidcAuthority {} for clientId {}", oidcAuthority, clientId);
                    return application;
                } catch (MsalClientException e) {
                    if (!"issuer_validation".equals(e.errorCode())) {
                        failures.incrementAndGet();
                        authorityInUse = oidcAuthority;
                        throw translate(e);
                    }
                    LOG.debug("The OpenID configuration of {} names another issuer; msal4j uses the AAD authority form",
                            oidcAuthority);
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("authorityUrl '" + authorityUrl + "' with tenantId '" + tenantId
                                                       + "' is not a valid URL: " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    authorityInUse = oidcAuthority;
                    throw translate(e);
                }
            }
            String aadAuthority = authorityUrl + "/" + tenantId + "/";
            authorityInUse = aadAuthority;
            try {
                String host = URI.create(authorityUrl).getHost().toLowerCase(Locale.ROOT);
                application = newBuilder().authority(aadAuthority)
                        .instanceDiscovery(MICROSOFT_LOGIN_HOSTS.contains(host)).build();
                LOG.debug("msal4j uses authority {} for clientId {}", aadAuthority, clientId);
                return application;
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("authorityUrl '" + authorityUrl + "' with tenantId '" + tenantId
                                                   + "' is not a valid URL: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw translate(e);
            }
        }
    }

    private ConfidentialClientApplication.Builder newBuilder() {
        ConfidentialClientApplication.Builder b = ConfidentialClientApplication.builder(clientId, credential)
                .connectTimeoutForDefaultHttpClient((int) connectTimeout.toMillis())
                .readTimeoutForDefaultHttpClient((int) readTimeout.toMillis())
                .logPii(false);
        // one request per call: whether and when to try again is the caller's decision
        b.disableInternalRetries();
        if (sslSocketFactory != null) {
            b.sslSocketFactory(sslSocketFactory);
        }
        return b;
    }

    private GraphAuthenticationException translate(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String authority = authorityInUse != null ? authorityInUse : authorityUrl;
        if (t instanceof MsalServiceException s) {
            int status = s.statusCode() == null ? 0 : s.statusCode();
            String description = oneLine(s.getMessage());
            Integer code = aadstsCode(description);
            if (status >= 500 || status == 429) {
                return new GraphAuthenticationException(scrub("The Microsoft identity platform at " + authority
                                                              + " answered " + status + " for clientId " + clientId
                                                              + ": " + description + "; this is temporary, try again "
                                                              + "later"),
                        clientId, s.errorCode(), code, status, true, null);
            }
            return new GraphAuthenticationException(scrub("Microsoft identity platform refused the client credentials "
                                                          + "for clientId " + clientId + ": " + description + ", "
                                                          + hint(code, s.errorCode())),
                    clientId, s.errorCode(), code, status, false, null);
        }
        SSLException tls = causeOfType(t, SSLException.class);
        if (tls != null) {
            return new GraphAuthenticationException(scrub("The TLS connection to the Microsoft identity platform at "
                                                          + authority + " failed for clientId " + clientId + " ("
                                                          + oneLine(tls.getMessage()) + "); if its certificate is not "
                                                          + "trusted by this JVM, set sslContextParameters to trust it"),
                    clientId, null, null, 0, false, tls);
        }
        IOException io = causeOfType(t, IOException.class);
        if (io != null) {
            return new GraphAuthenticationException(scrub("Could not reach the Microsoft identity platform at "
                                                          + authority + " for clientId " + clientId + " ("
                                                          + io.getClass().getSimpleName() + ": "
                                                          + oneLine(io.getMessage()) + "); check authorityUrl, the "
                                                          + "network and any proxy"),
                    clientId, null, null, 0, true, io);
        }
        String error = t instanceof MsalClientException c ? c.errorCode() : null;
        return new GraphAuthenticationException(scrub("msal4j could not get a token for clientId " + clientId + " from "
                                                      + authority + ": " + oneLine(String.valueOf(t.getMessage()))
                                                      + "; check authorityUrl, tenantId and clientId"),
                clientId, error, null, 0, false, null);
    }

    private String hint(Integer code, String error) {
        if (code != null) {
            switch (code) {
                case 7000215:
                    return "check clientSecret: it must be the secret's Value from the app registration, not its "
                           + "Secret ID";
                case 7000222:
                    return "check clientSecret: it has expired; create a new client secret for the app and set "
                           + "clientSecret";
                case 7000218:
                    return "set clientSecret or clientCertificate";
                case 700027:
                case 700023:
                case 700021:
                    return "check clientCertificate: upload its certificate (public part) to the app registration "
                           + "under Certificates & secrets";
                case 700024:
                    return "check clientCertificate and the system clock: the signed client assertion is outside its "
                           + "validity period";
                case 700016:
                    return "check clientId and tenantId: the app is not registered in that tenant or has no admin "
                           + "consent there";
                case 90002:
                case 900023:
                    return "check tenantId: the tenant does not exist in this cloud (authorityUrl)";
                case 1002012:
                case 500011:
                case 70011:
                    return "check graphBaseUrl: the token scope is derived from it";
                default:
                    break;
            }
        }
        if ("invalid_client".equals(error)) {
            return "check " + credentialOption;
        }
        return "check clientId, tenantId and " + credentialOption;
    }

    private static Integer aadstsCode(String text) {
        Matcher m = AADSTS.matcher(text);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    private String scrub(String message) {
        return secretToScrub == null ? message : message.replace(secretToScrub, "****");
    }

    /** The authority msal4j was built with (null before the first call). */
    public String authorityInUse() {
        return authorityInUse;
    }

    public String clientId() {
        return clientId;
    }

    public String tenantId() {
        return tenantId;
    }

    /** Tokens that needed a request to the identity platform. */
    public long tokensFromIdentityPlatform() {
        return tokensFromIdentityPlatform.get();
    }

    /** Tokens msal4j answered from its cache. */
    public long tokensFromCache() {
        return tokensFromCache.get();
    }

    /** Calls that ended without a token. */
    public long failures() {
        return failures.get();
    }

    @Override
    public String toString() {
        return "MsalTokenProvider[clientId=" + clientId + ", tenantId=" + tenantId + ", authorityUrl=" + authorityUrl
               + ", credential=" + credentialOption + "]";
    }

    /** Options of an {@link MsalTokenProvider}; {@link #build()} checks them and names the one at fault. */
    public static final class Builder {
        private String authorityUrl = MICROSOFT_AUTHORITY_URL;
        private String tenantId;
        private String clientId;
        private String clientSecret;
        private ClientCertificate clientCertificate;
        private SSLSocketFactory sslSocketFactory;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration acquireTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * The identity platform's root, without tenant: https://login.microsoftonline.com (default), a national
         * cloud's (https://login.microsoftonline.us, https://login.chinacloudapi.cn) or the emulator's.
         */
        public Builder authorityUrl(String authorityUrl) {
            this.authorityUrl = authorityUrl;
            return this;
        }

        public Builder tenantId(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder clientCertificate(ClientCertificate clientCertificate) {
            this.clientCertificate = clientCertificate;
            return this;
        }

        /** Trust for the identity platform's TLS certificate (the emulator, a TLS-inspecting proxy). */
        public Builder sslSocketFactory(SSLSocketFactory sslSocketFactory) {
            this.sslSocketFactory = sslSocketFactory;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout);
            return this;
        }

        /** The longest one token call may take, all of msal4j's requests included (default 60 s). */
        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = Objects.requireNonNull(acquireTimeout);
            return this;
        }

        /** @throws IllegalArgumentException naming the missing or invalid option */
        public MsalTokenProvider build() {
            if (tenantId == null || tenantId.isBlank()) {
                throw new IllegalArgumentException("tenantId is not set: give the directory (tenant) id of the app "
                                                   + "registration");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("clientId is not set: give the application (client) id of the app "
                                                   + "registration");
            }
            boolean hasSecret = clientSecret != null && !clientSecret.isEmpty();
            if (hasSecret == (clientCertificate != null)) {
                throw new IllegalArgumentException(hasSecret
                        ? "Set either clientSecret or clientCertificate, not both"
                        : "clientSecret or clientCertificate is needed to authenticate clientId " + clientId.trim());
            }
            authorityUrl = normaliseAuthorityUrl(authorityUrl);
            IClientCredential credential = hasSecret
                    ? ClientCredentialFactory.createFromSecret(clientSecret)
                    : ClientCredentialFactory.createFromCertificateChain(clientCertificate.privateKey(),
                            clientCertificate.chain());
            return new MsalTokenProvider(this, credential, hasSecret ? "clientSecret" : "clientCertificate");
        }

        private static String normaliseAuthorityUrl(String url) {
            if (url == null || url.isBlank()) {
                return MICROSOFT_AUTHORITY_URL;
            }
            String trimmed = url.trim();
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("authorityUrl '" + url + "' is not a URL: give the identity "
                                                   + "platform's root such as " + MICROSOFT_AUTHORITY_URL);
            }
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("authorityUrl '" + url + "' must be an https URL with a host such "
                                                   + "as " + MICROSOFT_AUTHORITY_URL + " (msal4j refuses other "
                                                   + "schemes)");
            }
            return trimmed;
        }
    }
}
