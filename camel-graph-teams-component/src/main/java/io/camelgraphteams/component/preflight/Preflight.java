package io.camelgraphteams.component.preflight;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.auth.GraphAuthenticationException;
import io.camelgraphteams.component.auth.GraphTokenProvider;
import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.graph.GraphApiException;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.graph.Subscription;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.resource.ResourceKind;
import io.camelgraphteams.component.subscription.SubscriptionSpec;
import io.camelgraphteams.component.support.Failures;
import io.camelgraphteams.component.support.LoggedValue;

/**
 * What a user runs before going live with a real tenant: a checklist of what Microsoft's first hour trips people on
 * (graph-protocol.md, deployment-facts.md), each line passed or failed with the fix in one sentence. It reads, never
 * writes: no subscription is created, and the only Graph read of messages is an unmetered one ({@code $top=1} of one
 * chat or channel), as every call on a getAllMessages resource is charged, an empty answer included.
 */
public final class Preflight {

    public static final String TOKEN = "access token";
    public static final String PERMISSIONS = "permissions";
    public static final String PROTECTED_API = "protected API access";
    public static final String MODEL = "model";
    public static final String CERTIFICATE = "encryption certificate";
    public static final String CLIENT_STATE = "clientState";
    public static final String NOTIFICATION_URL = "notificationUrl";
    public static final String LIFECYCLE_URL = "lifecycleNotificationUrl";
    public static final String SUBSCRIPTIONS = "existing subscriptions";

    static final int MAX_ID_LENGTH = 128;
    private static final Duration CERTIFICATE_RENEWAL_WARNING = Duration.ofDays(30);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the preflight looks at, as the endpoint has it.
     *
     * @param endpoint      the endpoint, as shown in the report (no secrets)
     * @param tokens        the endpoint's credentials; null when it has none
     * @param graph         a client on those credentials; null when it has none
     * @param key           the current decryption key; null when none is configured
     * @param subscription  the subscription the endpoint would manage; null for a receive-only endpoint
     */
    public record Settings(String endpoint, GraphResource resource, String model, GraphTokenProvider tokens,
                           String scope, GraphClient graph, boolean includeResourceData, DecryptionKey key,
                           String clientState, String notificationUrl, String lifecycleNotificationUrl,
                           SubscriptionSpec subscription) {
    }

    private final Settings settings;
    private final HttpClient http;
    private final Clock clock;

    public Preflight(Settings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    /** Runs every check; a check that cannot run (no token yet) says why. */
    public PreflightReport run() throws InterruptedException {
        List<PreflightCheck> checks = new ArrayList<>();
        String token = null;
        if (settings.tokens() == null) {
            checks.add(PreflightCheck.failed(TOKEN, "the endpoint has no credentials",
                    "set clientId, tenantId and clientSecret (or clientCertificate, or a tokenProvider bean)"));
        } else {
            try {
                token = settings.tokens().accessToken(settings.scope());
                checks.add(PreflightCheck.passed(TOKEN, "acquired for " + settings.scope()));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                checks.add(tokenRefused(e));
            }
        }
        if (token == null) {
            checks.add(PreflightCheck.skipped(PERMISSIONS, "needs an access token"));
            checks.add(PreflightCheck.skipped(PROTECTED_API, "needs an access token"));
        } else {
            checks.add(permissions(token));
            checks.add(protectedApiAccess());
        }
        checks.add(model());
        checks.add(certificate());
        checks.add(clientState());
        checks.add(handshake(NOTIFICATION_URL, settings.notificationUrl(), true));
        if (settings.lifecycleNotificationUrl() != null
                && !settings.lifecycleNotificationUrl().equals(settings.notificationUrl())) {
            checks.add(handshake(LIFECYCLE_URL, settings.lifecycleNotificationUrl(), false));
        }
        checks.add(token == null ? PreflightCheck.skipped(SUBSCRIPTIONS, "needs an access token") : subscriptions());
        return new PreflightReport(settings.endpoint(), checks);
    }

    private static PreflightCheck tokenRefused(Exception e) {
        String finding = LoggedValue.of(Failures.rootMessage(e), 400);
        Integer code = e instanceof GraphAuthenticationException refusal ? refusal.aadstsCode().orElse(null) : null;
        String fix = code == null ? "check clientId, tenantId and the credential" : switch (code) {
            case 7000215 -> "the client secret is wrong: copy the secret's Value (not its Secret ID) from the app's "
                            + "Certificates & secrets into clientSecret";
            case 7000222 -> "the client secret expired: create a new one under Certificates & secrets and put its "
                            + "Value into clientSecret";
            case 700016 -> "no app with this clientId in the tenant: check clientId, and that the app is registered "
                           + "in, or consented to by, tenantId";
            case 90002 -> "the tenant does not exist: tenantId takes the directory (tenant) id or a verified domain";
            case 700027, 700021 -> "the certificate is not one the app registration knows: upload its public part "
                                   + "under Certificates & secrets";
            default -> "check clientId, tenantId and the credential (AADSTS" + code + ")";
        };
        return PreflightCheck.failed(TOKEN, finding, fix);
    }

    private PreflightCheck permissions(String token) {
        ResourceKind kind = settings.resource().kind();
        Set<String> roles = roles(token);
        if (roles == null) {
            return PreflightCheck.warning(PERMISSIONS, "the access token is not a JWT: its roles cannot be read here",
                    "check under API permissions that the app has " + kind.applicationPermission()
                    + " with admin consent");
        }
        Set<String> accepted = acceptedRoles(kind);
        // in the order the permissions are documented: the least one that suffices is named
        Optional<String> granted = accepted.stream().filter(roles::contains).findFirst();
        if (granted.isPresent()) {
            return PreflightCheck.passed(PERMISSIONS, "the token carries " + granted.get());
        }
        return PreflightCheck.failed(PERMISSIONS, "the token carries " + (roles.isEmpty() ? "no application "
                + "permission" : new TreeSet<>(roles)) + "; " + settings.resource().path() + " needs "
                + kind.applicationPermission(), "add the application permission " + accepted.iterator().next()
                + " under API permissions and grant admin consent (a token issued after the consent carries it)");
    }

    /** The roles claim of an access token; null when the token cannot be read (not a JWT). */
    static Set<String> roles(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            Set<String> roles = new LinkedHashSet<>();
            claims.path("roles").forEach(role -> roles.add(role.asText()));
            return roles;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The roles that let an app subscribe to this kind: the documented ones, and their ReadWrite forms. */
    static Set<String> acceptedRoles(ResourceKind kind) {
        Set<String> accepted = new LinkedHashSet<>();
        for (String alternative : kind.applicationPermission().split(" or ")) {
            String role = alternative.replace("(RSC)", "").trim();
            accepted.add(role);
            if (role.contains(".Read.")) {
                accepted.add(role.replace(".Read.", ".ReadWrite."));
            }
        }
        return accepted;
    }

    private PreflightCheck protectedApiAccess() throws InterruptedException {
        GraphResource resource = settings.resource();
        String probe;
        if (resource.chatId().isPresent()) {
            probe = "chats/" + resource.chatId().get() + "/messages?$top=1";
        } else if (resource.teamId().isPresent() && resource.channelId().isPresent()) {
            probe = "teams/" + resource.teamId().get() + "/channels/" + resource.channelId().get() + "/messages?$top=1";
        } else {
            return PreflightCheck.skipped(PROTECTED_API, "reading " + resource.path() + " is metered (every call is "
                    + "charged, an empty answer too), so it is not tried; the first subscription tells (a 403 naming "
                    + "Protected API access)");
        }
        try {
            settings.graph().get(encodeQuery(probe));
            return PreflightCheck.passed(PROTECTED_API, "read one message of " + probe.substring(0, probe.indexOf('?')));
        } catch (GraphApiException e) {
            if (e.isProtectedApiRefusal()) {
                return PreflightCheck.failed(PROTECTED_API, "Graph answered 403: the app needs Protected API access",
                        "request access for this app id as https://learn.microsoft.com/graph/teams-protected-apis "
                        + "describes (a permission does not replace it; approval takes days)");
            }
            if (e.isForbidden()) {
                return PreflightCheck.failed(PROTECTED_API, LoggedValue.of(e.getMessage(), 400),
                        "grant the application permission " + resource.kind().applicationPermission()
                        + " with admin consent");
            }
            if (e.isNotFound()) {
                return PreflightCheck.failed(PROTECTED_API, "Graph knows no " + resource.path(),
                        "check the ids in the endpoint's resource");
            }
            return PreflightCheck.warning(PROTECTED_API, LoggedValue.of(e.getMessage(), 400),
                    "try again; Graph may have been briefly unavailable");
        }
    }

    private static String encodeQuery(String probe) {
        return probe.replace("$top", "%24top");
    }

    private PreflightCheck model() {
        ResourceKind kind = settings.resource().kind();
        if (!kind.isMetered()) {
            return settings.model() == null
                    ? PreflightCheck.passed(MODEL, settings.resource().path() + " is not metered: no model needed")
                    : PreflightCheck.failed(MODEL, "model is set on " + settings.resource().path() + ", which is not "
                                                   + "metered", "remove model");
        }
        if (settings.model() == null) {
            return PreflightCheck.warning(MODEL, "no model: Graph runs " + settings.resource().path() + " in "
                    + "evaluation mode, whose notifications stop silently after 500 messages a month per tenant",
                    "set model=B (pay per message; link an Azure subscription to the app) or model=A (security and "
                    + "compliance apps, licensed users)");
        }
        return PreflightCheck.passed(MODEL, "model=" + settings.model());
    }

    private PreflightCheck certificate() {
        if (!settings.includeResourceData()) {
            return PreflightCheck.skipped(CERTIFICATE, "the endpoint asks for no resource data");
        }
        DecryptionKey key = settings.key();
        if (key == null) {
            return PreflightCheck.failed(CERTIFICATE, "no decryption key is configured",
                    "set keyStore (PKCS#12) or the PEM certificate and key options, with certificateId");
        }
        PublicKey publicKey = key.getCertificate().getPublicKey();
        if (!(publicKey instanceof RSAPublicKey rsa)) {
            return PreflightCheck.failed(CERTIFICATE, "the certificate's key is " + publicKey.getAlgorithm()
                    + ", not RSA", "use an RSA key of 2048 to 4096 bits");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < 2048 || bits > 4096) {
            return PreflightCheck.failed(CERTIFICATE, "RSA " + bits + " bits", "use an RSA key of 2048 to 4096 bits");
        }
        Instant notAfter = key.getCertificate().getNotAfter().toInstant();
        Instant now = clock.instant();
        if (!notAfter.isAfter(now)) {
            return PreflightCheck.failed(CERTIFICATE, "expired on " + notAfter,
                    "issue a new certificate and key (rotate with a second certificateId)");
        }
        String id = key.getCertificateId();
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return PreflightCheck.failed(CERTIFICATE, "certificateId is " + (id == null || id.isEmpty() ? "empty"
                    : id.length() + " characters long"), "give certificateId 1 to " + MAX_ID_LENGTH + " characters");
        }
        String found = "RSA " + bits + " bits, certificateId " + id + ", valid until " + notAfter;
        if (notAfter.isBefore(now.plus(CERTIFICATE_RENEWAL_WARNING))) {
            return PreflightCheck.warning(CERTIFICATE, found, "rotate it before then: add the new certificate under "
                    + "a new certificateId, keep the old key until no notification uses it");
        }
        return PreflightCheck.passed(CERTIFICATE, found);
    }

    private PreflightCheck clientState() {
        String clientState = settings.clientState();
        if (clientState == null || clientState.isEmpty()) {
            return PreflightCheck.failed(CLIENT_STATE, "not set: notifications cannot be told from anyone's POST",
                    "set clientState to a random secret of up to " + MAX_ID_LENGTH + " characters");
        }
        if (clientState.length() > MAX_ID_LENGTH) {
            return PreflightCheck.failed(CLIENT_STATE, clientState.length() + " characters; Graph takes at most "
                    + MAX_ID_LENGTH, "shorten clientState to " + MAX_ID_LENGTH + " characters");
        }
        return PreflightCheck.passed(CLIENT_STATE, "set (" + clientState.length() + " characters)");
    }

    /**
     * Sends the validation request Graph sends when a subscription is created to the public URL and expects its token
     * back: catches a proxy that drops the query string, a wrong path and TLS problems. Unreachable from here is a
     * warning only: inside a network the public address often is (hairpin NAT, no outbound route).
     */
    private PreflightCheck handshake(String subject, String url, boolean required) throws InterruptedException {
        if (url == null || url.isEmpty()) {
            return required ? PreflightCheck.failed(subject, "not set", "set it to the public https URL that "
                                                                        + "reaches this process")
                    : PreflightCheck.skipped(subject, "not set");
        }
        String token = "graph-teams-preflight-" + UUID.randomUUID();
        URI uri;
        try {
            uri = URI.create(url + (url.contains("?") ? "&" : "?") + "validationToken=" + token);
        } catch (IllegalArgumentException e) {
            return PreflightCheck.failed(subject, url + " is not a URL", "set it to the public https URL");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(HANDSHAKE_TIMEOUT)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return PreflightCheck.warning(subject, "cannot reach " + url + " from here ("
                    + LoggedValue.of(Failures.rootMessage(e), 200) + ")", "common inside a network (hairpin NAT, no "
                    + "outbound route); Graph's own validation when the subscription is created is the real test");
        }
        if (answer.statusCode() == 200 && token.equals(answer.body())) {
            return PreflightCheck.passed(subject, "a validation request sent to " + url + " came back");
        }
        String finding = url + " answered " + answer.statusCode()
                         + (answer.statusCode() == 200 ? " without the validation token" : "");
        String fix = switch (answer.statusCode()) {
            case 200 -> "make sure the URL reaches this process and its query string arrives unchanged";
            case 400 -> "forward the query string (validationToken) unchanged to this process";
            case 404 -> "route this path to this process: the proxy's location and the endpoint's notificationPath "
                        + "or lifecycleNotificationPath must agree";
            default -> "check what answers at that URL";
        };
        return PreflightCheck.failed(subject, finding, fix);
    }

    private PreflightCheck subscriptions() throws InterruptedException {
        SubscriptionSpec spec = settings.subscription();
        if (spec == null) {
            return PreflightCheck.skipped(SUBSCRIPTIONS, "the endpoint does not manage its subscription");
        }
        try {
            for (Subscription existing : settings.graph().listSubscriptions()) {
                if (spec.matches(existing.resource(), existing.changeType(), existing.notificationUrl())) {
                    String difference = spec.unpatchableDifference(existing);
                    return difference == null
                            ? PreflightCheck.passed(SUBSCRIPTIONS, "subscription " + existing.id() + " (expires "
                                                                   + existing.expirationDateTime() + ") will be adopted")
                            : PreflightCheck.warning(SUBSCRIPTIONS, "subscription " + existing.id() + " has another "
                                                                    + difference + " and will be replaced",
                                    "expect a short gap, which the backfill closes");
                }
            }
            return PreflightCheck.passed(SUBSCRIPTIONS, "none for " + spec.resource() + " at " + spec.notificationUrl()
                                                        + ": one will be created");
        } catch (GraphApiException e) {
            return PreflightCheck.failed(SUBSCRIPTIONS, LoggedValue.of(e.getMessage(), 400),
                    e.isForbidden() ? "grant the permissions above" : "try again");
        }
    }
}
