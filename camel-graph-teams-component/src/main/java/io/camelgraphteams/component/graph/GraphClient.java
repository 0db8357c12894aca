package io.camelgraphteams.component.graph;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.auth.GraphTokenProvider;
import io.camelgraphteams.component.support.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Microsoft Graph's REST API as this component uses it: subscriptions (create, list, get, renew, reauthorize,
 * delete), reading messages, and plain GETs for listing and delta paging. Built on the JDK HttpClient and Jackson.
 * <p>
 * Every call gets a token from the {@link GraphTokenProvider} (cached there), and is retried per the
 * {@link RetryPolicy}: 429 and 503 after Retry-After, other 5xx and I/O errors after a jittered backoff, never other
 * 4xx. Failures become {@link GraphApiException}s with Graph's code, message and request-id. Thread-safe; tokens and
 * request bodies (clientState) are never logged.
 */
public final class GraphClient {

    public static final String DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com";

    private static final Logger LOG = LoggerFactory.getLogger(GraphClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Graph API versions the apiVersion option accepts. */
    public static final Set<String> API_VERSIONS = Set.of("v1.0", "beta");
    static final String JDK_WIRE_LOG_PROPERTY = "jdk.httpclient.HttpClient.log";

    private final URI root;
    private final String apiVersion;
    private final String scope;
    private final GraphRequests requests;
    private final GraphTokenProvider tokenProvider;
    // every write asks it first (a cluster's lease); none by default
    private volatile SubscriptionWriteGuard writeGuard = () -> {
    };

    private GraphClient(Builder b, URI root) {
        this.root = root;
        this.apiVersion = b.apiVersion;
        this.scope = b.scope != null ? b.scope : defaultScope(root);
        HttpClient.Builder hb = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.tokenProvider = b.tokenProvider;
        this.requests = new GraphRequests(root, apiVersion, scope, b.tokenProvider, b.retryPolicy, b.requestTimeout,
                b.clock, hb.build());
        jdkWireLogWarning(System.getProperty(JDK_WIRE_LOG_PROPERTY)).ifPresent(LOG::warn);
    }

    /**
     * The JDK HTTP client's own wire log is no logger level but a JVM system property; with {@code headers} (or
     * {@code all}) it prints every request header, the {@code Authorization: Bearer} access token included, and offers
     * no filter. graph-teams cannot stop it, so it says so.
     */
    static Optional<String> jdkWireLogWarning(String setting) {
        if (setting == null) {
            return Optional.empty();
        }
        for (String part : setting.toLowerCase(Locale.ROOT).split(",")) {
            String level = part.trim();
            if (level.equals("headers") || level.equals("all")) {
                return Optional.of("The system property " + JDK_WIRE_LOG_PROPERTY + "=" + setting
                                             + " makes the JDK HTTP client log every request header, including the"
                                             + " Authorization header with the Graph access token: use it only"
                                             + " while debugging, without 'headers' and 'all' otherwise");
            }
        }
        return Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** From now on every write to Graph's subscriptions is sent only when {@code guard} lets it. */
    public void guardSubscriptionWrites(SubscriptionWriteGuard guard) {
        this.writeGuard = Objects.requireNonNull(guard, "guard");
    }

    private void checkWrite(String write) {
        try {
            writeGuard.check();
        } catch (Exception e) {
            throw new IllegalStateException(write + " was not sent to Graph: " + e.getMessage(), e);
        }
    }

    // ---- subscriptions ----

    /** POST /subscriptions. Graph validates notificationUrl (and lifecycleNotificationUrl) before it answers. */
    public Subscription createSubscription(SubscriptionRequest request) throws GraphApiException, InterruptedException {
        checkWrite("POST /subscriptions");
        ObjectNode body = JSON.createObjectNode();
        body.put("changeType", request.changeType());
        body.put("notificationUrl", request.notificationUrl());
        if (request.lifecycleNotificationUrl() != null) {
            body.put("lifecycleNotificationUrl", request.lifecycleNotificationUrl());
        }
        body.put("resource", request.resource());
        body.put("expirationDateTime", graphDateTime(request.expirationDateTime()));
        if (request.clientState() != null) {
            body.put("clientState", request.clientState());
        }
        if (request.includeResourceData()) {
            body.put("includeResourceData", true);
            body.put("encryptionCertificate", request.encryptionCertificate());
            body.put("encryptionCertificateId", request.encryptionCertificateId());
        }
        return Subscription.fromJson(requests.send("POST", "subscriptions", body, request.resource()).body());
    }

    /** GET /subscriptions, every page. Graph lists only the calling app's subscriptions. */
    public List<Subscription> listSubscriptions() throws GraphApiException, InterruptedException {
        List<Subscription> subscriptions = new ArrayList<>();
        for (JsonNode item : getAll("subscriptions")) {
            subscriptions.add(Subscription.fromJson(item));
        }
        return subscriptions;
    }

    /** GET /subscriptions/{id}; a subscription that is gone gives a GraphApiException with isNotFound(). */
    public Subscription getSubscription(String id) throws GraphApiException, InterruptedException {
        return Subscription.fromJson(requests.send("GET", GraphPaths.subscriptionPath(id), null, null).body());
    }

    /** PATCH /subscriptions/{id} with a new expirationDateTime (also reauthorizes, per Graph). */
    public Subscription renewSubscription(String id, Instant expiration) throws GraphApiException, InterruptedException {
        return renewSubscription(id, expiration, null, null);
    }

    /**
     * PATCH /subscriptions/{id} with a new expirationDateTime and, when given, a new encryption certificate (base64
     * DER) and its id: certificate rotation happens at renewal.
     */
    public Subscription renewSubscription(String id, Instant expiration, String encryptionCertificate,
                                          String encryptionCertificateId)
            throws GraphApiException, InterruptedException {
        Objects.requireNonNull(expiration, "expiration");
        if ((encryptionCertificate == null) != (encryptionCertificateId == null)) {
            throw new IllegalArgumentException("encryptionCertificate and encryptionCertificateId go together");
        }
        checkWrite("PATCH /subscriptions/" + id);
        ObjectNode body = JSON.createObjectNode();
        body.put("expirationDateTime", graphDateTime(expiration));
        if (encryptionCertificate != null) {
            body.put("encryptionCertificate", encryptionCertificate);
            body.put("encryptionCertificateId", encryptionCertificateId);
        }
        return Subscription.fromJson(requests.send("PATCH", GraphPaths.subscriptionPath(id), body, null).body());
    }

    /** POST /subscriptions/{id}/reauthorize, the answer to a reauthorizationRequired lifecycle event. */
    public void reauthorize(String id) throws GraphApiException, InterruptedException {
        checkWrite("POST /subscriptions/" + id + "/reauthorize");
        requests.send("POST", GraphPaths.subscriptionPath(id) + "/reauthorize", null, null);
    }

    /** DELETE /subscriptions/{id}. */
    public void deleteSubscription(String id) throws GraphApiException, InterruptedException {
        checkWrite("DELETE /subscriptions/" + id);
        requests.send("DELETE", GraphPaths.subscriptionPath(id), null, null);
    }

    // ---- messages and generic reads ----

    /**
     * GET one chatMessage by its resource path, in either of Graph's spellings: {@code chats('x')/messages('y')} as
     * notifications carry it, or {@code teams/{t}/channels/{c}/messages/{m}} (also {@code .../replies/{r}}).
     */
    public JsonNode getMessage(String resourcePath) throws GraphApiException, InterruptedException {
        return getMessage(resourcePath, Deadline.none());
    }

    /**
     * As {@link #getMessage(String)}, given up by {@code deadline}: while Graph waits for our answer to a
     * notification, a GET that would finish later (retries included) fails instead.
     */
    public JsonNode getMessage(String resourcePath, Deadline deadline) throws GraphApiException, InterruptedException {
        if (resourcePath == null || resourcePath.isBlank()) {
            throw new IllegalArgumentException("resourcePath is required, e.g. chats('{chat-id}')/messages('{id}')");
        }
        String path = GraphPaths.toSlashPath(resourcePath);
        return requests.send("GET", path, null, path, deadline).body();
    }

    /**
     * GET a path under the service root ({@code chats/{id}/messages?$top=50}, query percent-encoded) or an absolute
     * {@code @odata.nextLink} / {@code @odata.deltaLink}, which must point at graphBaseUrl's host: the token is never
     * sent anywhere else.
     */
    public JsonNode get(String pathOrAbsoluteLink) throws GraphApiException, InterruptedException {
        return requests.send("GET", pathOrAbsoluteLink, null, pathOrAbsoluteLink).body();
    }

    /** GET a collection and follow {@code @odata.nextLink} to the end; the items of every page's {@code value}. */
    public List<JsonNode> getAll(String pathOrAbsoluteLink) throws GraphApiException, InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = pathOrAbsoluteLink;
        while (next != null && seen.add(next)) {
            JsonNode page = get(next);
            page.path("value").forEach(items::add);
            next = GraphPaths.link(page, "@odata.nextLink");
        }
        if (next != null) {
            LOG.warn("Graph repeated the nextLink of {}; stopped paging there", requests.describe(next));
        }
        return items;
    }

    /** The service root calls are made under, e.g. https://graph.microsoft.com/v1.0. */
    public String serviceRoot() {
        return root + "/" + apiVersion;
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** The scope tokens are asked for: graphBaseUrl + "/.default". */
    public String scope() {
        return scope;
    }

    /** Where this client gets its access tokens (the preflight asks it directly, to read what it refuses). */
    public GraphTokenProvider tokenProvider() {
        return tokenProvider;
    }

    public GraphClientCounters counters() {
        return requests.counters();
    }

    private static String graphDateTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String defaultScope(URI root) {
        String origin = root.getScheme() + "://" + root.getRawAuthority();
        return origin.equalsIgnoreCase(DEFAULT_GRAPH_BASE_URL) ? GraphTokenProvider.DEFAULT_SCOPE : origin + "/.default";
    }

    @Override
    public String toString() {
        return "GraphClient[" + serviceRoot() + "]";
    }

    /** Options of a {@link GraphClient}; {@link #build()} checks them and names the one at fault. */
    public static final class Builder {
        private String graphBaseUrl = DEFAULT_GRAPH_BASE_URL;
        private String apiVersion = "v1.0";
        private String scope;
        private GraphTokenProvider tokenProvider;
        private SSLContext sslContext;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Graph's service root without version: https://graph.microsoft.com (default), a national cloud's, the emulator's. */
        public Builder graphBaseUrl(String graphBaseUrl) {
            this.graphBaseUrl = graphBaseUrl;
            return this;
        }

        /** v1.0 (default) or beta. */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        /** The scope tokens are asked for; default graphBaseUrl + "/.default". */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder tokenProvider(GraphTokenProvider tokenProvider) {
            this.tokenProvider = tokenProvider;
            return this;
        }

        /** Trust for graphBaseUrl's TLS certificate; default the JVM's. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        /** The longest one attempt may take; a subscription create includes Graph's validation handshakes. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout);
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy);
            return this;
        }

        /** The clock Retry-After dates are read against. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** @throws IllegalArgumentException naming the option at fault */
        public GraphClient build() {
            if (tokenProvider == null) {
                throw new IllegalArgumentException("a GraphTokenProvider is required");
            }
            if (apiVersion == null || apiVersion.isBlank()) {
                apiVersion = "v1.0";
            }
            apiVersion = apiVersion.trim();
            if (!API_VERSIONS.contains(apiVersion)) {
                throw new IllegalArgumentException("apiVersion must be v1.0 or beta, was '" + apiVersion + "'");
            }
            return new GraphClient(this, root(graphBaseUrl));
        }

        private static URI root(String url) {
            String base = url == null || url.isBlank() ? DEFAULT_GRAPH_BASE_URL : url.trim();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(base);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("graphBaseUrl '" + url + "' is not a URL: give Graph's service root "
                                                   + "such as " + DEFAULT_GRAPH_BASE_URL);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new IllegalArgumentException("graphBaseUrl '" + url + "' must be an https URL such as "
                                                   + DEFAULT_GRAPH_BASE_URL);
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            for (String version : API_VERSIONS) {
                if (path.endsWith("/" + version)) {
                    throw new IllegalArgumentException("graphBaseUrl '" + url + "' ends with the API version: give the "
                                                       + "service root (e.g. " + DEFAULT_GRAPH_BASE_URL
                                                       + ") and set apiVersion=" + version);
                }
            }
            if (scheme.equals("http") && !isLoopback(uri.getHost())) {
                LOG.warn("graphBaseUrl {} is plain http: access tokens travel unencrypted", base);
            }
            return uri;
        }

        private static boolean isLoopback(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
        }
    }
}
