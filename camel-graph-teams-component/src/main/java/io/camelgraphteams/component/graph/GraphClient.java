package io.camelgraphteams.component.graph;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConfiguration;
import io.camelgraphteams.component.auth.GraphAuthenticationException;
import io.camelgraphteams.component.auth.GraphTokenProvider;
import io.camelgraphteams.component.auth.GraphTokenProviders;
import io.camelgraphteams.component.resource.GraphResource;
import org.apache.camel.CamelContext;
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
    // OData key syntax as in notification resources: chats('19:x@thread.v2')/messages('1700000000000')
    private static final Pattern ODATA_KEY = Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\('((?:[^']|'')*)'\\)");
    private static final Pattern MESSAGE_ITEM = Pattern.compile("(.*/messages)/[^/]+(/replies/[^/]+)?");
    private static final int LONGEST_ERROR_BODY_QUOTED = 300;
    static final String JDK_WIRE_LOG_PROPERTY = "jdk.httpclient.HttpClient.log";

    private final URI root;
    private final String apiVersion;
    private final String scope;
    private final GraphTokenProvider tokenProvider;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final Clock clock;
    private final HttpClient http;
    private final GraphClientCounters counters = new GraphClientCounters();

    private GraphClient(Builder b, URI root) {
        this.root = root;
        this.apiVersion = b.apiVersion;
        this.scope = b.scope != null ? b.scope : defaultScope(root);
        this.tokenProvider = b.tokenProvider;
        this.retryPolicy = b.retryPolicy;
        this.requestTimeout = b.requestTimeout;
        this.clock = b.clock;
        HttpClient.Builder hb = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.http = hb.build();
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

    /**
     * A client for the component's options: graphBaseUrl, apiVersion, sslContextParameters, and the token source
     * {@link GraphTokenProviders#fromConfiguration} picks (the tokenProvider bean, or msal4j with the credential
     * options). Retries follow {@link RetryPolicy#defaults()}, or the single {@link RetryPolicy} bean in the registry
     * (time-compressed tests bind one with a {@link RetryPolicy#timeScale()}).
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public static GraphClient fromConfiguration(CamelContext camelContext, GraphTeamsConfiguration configuration) {
        SSLContext sslContext = GraphTokenProviders.sslContext(camelContext, configuration);
        GraphTokenProvider tokens = GraphTokenProviders.fromConfiguration(camelContext, configuration, sslContext);
        RetryPolicy retryPolicy = camelContext.getRegistry().findSingleByType(RetryPolicy.class);
        return builder()
                .graphBaseUrl(configuration.getGraphBaseUrl())
                .apiVersion(configuration.getApiVersion())
                .tokenProvider(tokens)
                .sslContext(sslContext)
                .retryPolicy(retryPolicy != null ? retryPolicy : RetryPolicy.defaults())
                .build();
    }

    // ---- subscriptions ----

    /** POST /subscriptions. Graph validates notificationUrl (and lifecycleNotificationUrl) before it answers. */
    public Subscription createSubscription(SubscriptionRequest request) throws GraphApiException, InterruptedException {
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
        return Subscription.fromJson(send("POST", "subscriptions", body, request.resource()).body());
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
        return Subscription.fromJson(send("GET", subscriptionPath(id), null, null).body());
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
        ObjectNode body = JSON.createObjectNode();
        body.put("expirationDateTime", graphDateTime(expiration));
        if (encryptionCertificate != null) {
            body.put("encryptionCertificate", encryptionCertificate);
            body.put("encryptionCertificateId", encryptionCertificateId);
        }
        return Subscription.fromJson(send("PATCH", subscriptionPath(id), body, null).body());
    }

    /** POST /subscriptions/{id}/reauthorize, the answer to a reauthorizationRequired lifecycle event. */
    public void reauthorize(String id) throws GraphApiException, InterruptedException {
        send("POST", subscriptionPath(id) + "/reauthorize", null, null);
    }

    /** DELETE /subscriptions/{id}. */
    public void deleteSubscription(String id) throws GraphApiException, InterruptedException {
        send("DELETE", subscriptionPath(id), null, null);
    }

    // ---- messages and generic reads ----

    /**
     * GET one chatMessage by its resource path, in either of Graph's spellings: {@code chats('x')/messages('y')} as
     * notifications carry it, or {@code teams/{t}/channels/{c}/messages/{m}} (also {@code .../replies/{r}}).
     */
    public JsonNode getMessage(String resourcePath) throws GraphApiException, InterruptedException {
        if (resourcePath == null || resourcePath.isBlank()) {
            throw new IllegalArgumentException("resourcePath is required, e.g. chats('{chat-id}')/messages('{id}')");
        }
        String path = toSlashPath(resourcePath);
        return send("GET", path, null, path).body();
    }

    /**
     * GET a path under the service root ({@code chats/{id}/messages?$top=50}, query percent-encoded) or an absolute
     * {@code @odata.nextLink} / {@code @odata.deltaLink}, which must point at graphBaseUrl's host: the token is never
     * sent anywhere else.
     */
    public JsonNode get(String pathOrAbsoluteLink) throws GraphApiException, InterruptedException {
        return send("GET", pathOrAbsoluteLink, null, pathOrAbsoluteLink).body();
    }

    /**
     * The first page of a channel's message delta: root messages (with their replies, {@code $expand=replies}) changed
     * after {@code modifiedAfter}. Its last page carries the {@code @odata.deltaLink} of the next round.
     */
    public static String channelMessagesDeltaPath(String teamId, String channelId, Instant modifiedAfter, int top) {
        return "teams/" + encodeSegment(teamId) + "/channels/" + encodeSegment(channelId) + "/messages/delta?$top=" + top
               + "&$expand=replies&$filter=" + modifiedAfterFilter(modifiedAfter);
    }

    /** The first page of one chat's messages changed after {@code modifiedAfter}, newest first (Graph's only order). */
    public static String chatMessagesPath(String chatId, Instant modifiedAfter, int top) {
        return "chats/" + encodeSegment(chatId) + "/messages?$top=" + top
               + "&$orderby=lastModifiedDateTime%20desc&$filter=" + modifiedAfterFilter(modifiedAfter);
    }

    /** The first page of the messages of every chat of one user changed after {@code modifiedAfter}. */
    public static String userChatMessagesPath(String userId, Instant modifiedAfter, int top) {
        return "users/" + encodeSegment(userId) + "/chats/getAllMessages?$top=" + top + "&$filter="
               + modifiedAfterFilter(modifiedAfter);
    }

    private static String modifiedAfterFilter(Instant instant) {
        return "lastModifiedDateTime%20gt%20" + instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** GET a collection and follow {@code @odata.nextLink} to the end; the items of every page's {@code value}. */
    public List<JsonNode> getAll(String pathOrAbsoluteLink) throws GraphApiException, InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = pathOrAbsoluteLink;
        while (next != null && seen.add(next)) {
            JsonNode page = get(next);
            page.path("value").forEach(items::add);
            JsonNode link = page.get("@odata.nextLink");
            next = link == null || link.isNull() || link.asText().isBlank() ? null : link.asText();
        }
        if (next != null) {
            LOG.warn("Graph repeated the nextLink of {}; stopped paging there", describe(resolve(next)));
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

    public GraphClientCounters counters() {
        return counters;
    }

    // ---- the request loop ----

    record Answer(int status, HttpHeaders headers, JsonNode body) {
    }

    private Answer send(String method, String target, JsonNode body, String resource)
            throws GraphApiException, InterruptedException {
        URI uri = resolve(target);
        String path = uri.getRawPath();
        String what = method + " " + describe(uri);
        String clientRequestId = UUID.randomUUID().toString();
        byte[] payload = body == null ? null : write(body);
        long started = System.nanoTime();
        boolean earlierAttemptMayHaveArrived = false;
        for (int attempt = 1;; attempt++) {
            String token;
            try {
                token = tokenProvider.accessToken(scope);
                if (token == null || token.isBlank()) {
                    throw new IllegalStateException("the token provider " + tokenProvider.getClass().getName()
                                                    + " returned no token");
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                counters.authenticationFailures.incrementAndGet();
                GraphApiException failure = new GraphApiException("No access token for Graph (" + what + "): "
                                                                  + e.getMessage(), 0, null, null, null,
                        clientRequestId, method, path, null, attempt, true, e);
                if (!failure.isTransient()) {
                    throw failed(failure);
                }
                waitBeforeRetry(failure, retryPolicy.backoff(attempt), attempt, started, what);
                continue;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .header("client-request-id", clientRequestId)
                    .header("User-Agent", "camel-graph-teams");
            if (payload != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            counters.requests.incrementAndGet();
            long sent = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                counters.transportErrors.incrementAndGet();
                earlierAttemptMayHaveArrived = true;
                GraphApiException failure = new GraphApiException("No answer from Graph to " + what + " ("
                                                                  + e.getClass().getSimpleName()
                                                                  + (e.getMessage() == null ? "" : ": " + e.getMessage())
                                                                  + "); check graphBaseUrl, the network and any proxy",
                        0, null, null, null, clientRequestId, method, path, null, attempt, false, e);
                waitBeforeRetry(failure, retryPolicy.backoff(attempt), attempt, started, what);
                continue;
            }
            int status = response.statusCode();
            String requestId = response.headers().firstValue("request-id").orElse(null);
            LOG.debug("{} -> {} in {} ms (request-id {}, attempt {})", what, status,
                    (System.nanoTime() - sent) / 1_000_000, requestId, attempt);
            if (status >= 200 && status < 300) {
                return new Answer(status, response.headers(), parseBody(response, what, clientRequestId, method, path,
                        attempt));
            }
            Optional<Duration> retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                    clock);
            GraphApiException failure = fromAnswer(response, what, resource, clientRequestId, method, path,
                    retryAfter.orElse(null), attempt, earlierAttemptMayHaveArrived);
            Duration wait;
            if (status == 429 || status == 503) {
                (status == 429 ? counters.throttled : counters.unavailable).incrementAndGet();
                wait = retryAfter.isPresent() ? retryAfter.get() : retryPolicy.backoff(attempt);
            } else if (status >= 500) {
                counters.serverErrors.incrementAndGet();
                // a gateway error may come after Graph did the work: a retried create can then meet a 409
                earlierAttemptMayHaveArrived = true;
                wait = retryPolicy.backoff(attempt);
            } else {
                throw failed(failure);
            }
            waitBeforeRetry(failure, wait, attempt, started, what);
        }
    }

    private void waitBeforeRetry(GraphApiException failure, Duration wait, int attempt, long started, String what)
            throws GraphApiException, InterruptedException {
        if (attempt >= retryPolicy.maxAttempts()) {
            throw failed(failure.afterAttempts(attempt, "gave up after " + attempt + " attempt"
                                                        + (attempt == 1 ? "" : "s") + " in "
                                                        + seconds(Duration.ofNanos(System.nanoTime() - started))));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Duration realWait = retryPolicy.scaled(wait);
        Duration budget = retryPolicy.scaled(retryPolicy.maxElapsed());
        if (elapsed.plus(realWait).compareTo(budget) > 0) {
            String note = failure.retryAfter().isPresent()
                    ? "Graph asked to wait " + seconds(wait) + ", beyond the retry budget of "
                      + seconds(retryPolicy.maxElapsed()) + "; try again after that"
                    : "gave up after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": the retry budget of "
                      + seconds(retryPolicy.maxElapsed()) + " is spent";
            throw failed(failure.afterAttempts(attempt, note));
        }
        counters.retries.incrementAndGet();
        LOG.warn("{} failed ({}); retry {} of {} in {} ms", what, shortReason(failure), attempt,
                retryPolicy.maxAttempts() - 1, realWait.toMillis());
        Thread.sleep(realWait.toMillis(), (int) (realWait.toNanos() % 1_000_000));
    }

    private GraphApiException failed(GraphApiException e) {
        counters.failedCalls.incrementAndGet();
        return e;
    }

    private static String shortReason(GraphApiException e) {
        if (e.status() == 0) {
            return e.getCause() == null ? "no answer" : e.getCause().getClass().getSimpleName();
        }
        return e.status() + e.errorCode().map(c -> " " + c).orElse("");
    }

    private JsonNode parseBody(HttpResponse<String> response, String what, String clientRequestId, String method,
                               String path, int attempt) throws GraphApiException {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw failed(new GraphApiException("Graph answered " + response.statusCode() + " to " + what
                                               + " with a body that is not JSON: " + quote(text), response.statusCode(),
                    null, null, response.headers().firstValue("request-id").orElse(null), clientRequestId, method, path,
                    null, attempt, false, null));
        }
    }

    private GraphApiException fromAnswer(HttpResponse<String> response, String what, String resource,
                                         String clientRequestId, String method, String path, Duration retryAfter,
                                         int attempt, boolean earlierAttemptMayHaveArrived) {
        int status = response.statusCode();
        String code = null;
        String graphMessage = null;
        String requestId = response.headers().firstValue("request-id").orElse(null);
        JsonNode error = null;
        try {
            String text = response.body();
            error = text == null || text.isBlank() ? null : JSON.readTree(text).get("error");
        } catch (JsonProcessingException e) {
            // not Graph's envelope (a proxy's page): quoted below
        }
        if (error != null && error.isObject()) {
            code = textOrNull(error.get("code"));
            graphMessage = textOrNull(error.get("message"));
            JsonNode inner = error.has("innerError") ? error.get("innerError") : error.get("innererror");
            if (requestId == null && inner != null) {
                requestId = textOrNull(inner.get("request-id"));
            }
        }
        StringBuilder message = new StringBuilder("Graph answered ").append(status);
        if (code != null) {
            message.append(' ').append(code);
        }
        message.append(" to ").append(what);
        if (graphMessage != null) {
            message.append(": ").append(graphMessage);
        } else if (response.body() != null && !response.body().isBlank()) {
            message.append(": ").append(quote(response.body()));
        }
        String hint = hint(status, resource, earlierAttemptMayHaveArrived);
        if (hint != null) {
            message.append(". ").append(hint);
        }
        if (requestId != null) {
            message.append(" (request-id ").append(requestId).append(')');
        }
        return new GraphApiException(message.toString(), status, code, graphMessage, requestId, clientRequestId, method,
                path, retryAfter, attempt, false, null);
    }

    private String hint(int status, String resource, boolean earlierAttemptMayHaveArrived) {
        switch (status) {
            case 401:
                return "The access token was refused: check that the app's token is for " + scope
                       + " and comes from the tenant Graph serves (tenantId, authorityUrl, tokenProvider)";
            case 403:
                String permission = requiredPermission(resource);
                return permission == null
                        ? "The app lacks a permission for this request: grant it the application permission the "
                          + "resource needs, with admin consent"
                        : "The app needs the application permission " + permission + " for "
                          + normalisedResource(resource) + ", granted with admin consent";
            case 409:
                return earlierAttemptMayHaveArrived
                        ? "An earlier attempt of this request may have created it: list the subscriptions and adopt "
                          + "the one that matches"
                        : null;
            default:
                return null;
        }
    }

    /** The application permission a chatMessage resource needs (graph-protocol.md), or null for other paths. */
    static String requiredPermission(String resource) {
        if (resource == null) {
            return null;
        }
        String path = normalisedResource(resource);
        try {
            return GraphResource.parse(path).kind().applicationPermission();
        } catch (IllegalArgumentException notACollection) {
            Matcher item = MESSAGE_ITEM.matcher(path);
            if (item.matches()) {
                try {
                    return GraphResource.parse(item.group(1)).kind().applicationPermission();
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            return null;
        }
    }

    /** Without service root, version, query or leading slash, in slash syntax. */
    private static String normalisedResource(String resource) {
        String path = resource.trim();
        if (path.startsWith("http://") || path.startsWith("https://")) {
            path = URI.create(path).getRawPath();
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        path = stripVersion(stripSlashes(toSlashPath(path)));
        return path;
    }

    // ---- paths and URLs ----

    /** chats('a')/messages('b') becomes chats/a/messages/b, ids percent-encoded as path segments. */
    static String toSlashPath(String resourcePath) {
        String path = resourcePath.trim();
        Matcher m = ODATA_KEY.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "/" + encodeSegment(m.group(2)
                    .replace("''", "'"))));
        }
        m.appendTail(out);
        return stripSlashes(out.toString());
    }

    private static String subscriptionPath(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a subscription id is required");
        }
        return "subscriptions/" + encodeSegment(id.trim());
    }

    private URI resolve(String target) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("a Graph path is required");
        }
        String t = target.trim();
        if (t.regionMatches(true, 0, "http://", 0, 7) || t.regionMatches(true, 0, "https://", 0, 8)) {
            URI link = URI.create(t);
            if (!sameOrigin(link, root)) {
                throw new IllegalArgumentException("Refusing to send the Graph access token to " + link.getScheme()
                                                   + "://" + link.getAuthority() + ": links must stay on graphBaseUrl "
                                                   + root);
            }
            return link;
        }
        String path = stripSlashes(t);
        String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (API_VERSIONS.contains(first)) {
            return URI.create(root + "/" + path);
        }
        return URI.create(root + "/" + apiVersion + "/" + path);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
               && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
               && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The path for logs and messages: the query is left out (it may hold $search text and paging tokens). */
    private static String describe(URI uri) {
        return uri.getRawPath();
    }

    private static String stripSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }

    private static String stripVersion(String path) {
        for (String version : API_VERSIONS) {
            if (path.startsWith(version + "/")) {
                return path.substring(version.length() + 1);
            }
        }
        return path;
    }

    /** Percent-encodes what may not stand in a path segment; keeps ':' and '@' that Teams ids are made of. */
    static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String graphDateTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String defaultScope(URI root) {
        String origin = root.getScheme() + "://" + root.getRawAuthority();
        return origin.equalsIgnoreCase(DEFAULT_GRAPH_BASE_URL) ? GraphTokenProvider.DEFAULT_SCOPE : origin + "/.default";
    }

    private static byte[] write(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Graph request body", e);
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String quote(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= LONGEST_ERROR_BODY_QUOTED ? oneLine
                : oneLine.substring(0, LONGEST_ERROR_BODY_QUOTED) + "...";
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
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
