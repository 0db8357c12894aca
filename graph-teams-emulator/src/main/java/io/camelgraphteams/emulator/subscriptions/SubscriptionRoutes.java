package io.camelgraphteams.emulator.subscriptions;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.http.GraphApiException;
import io.camelgraphteams.emulator.http.GraphResponses;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.AccessTokens;
import io.camelgraphteams.emulator.identity.CallerIdentity;
import io.camelgraphteams.emulator.identity.CertificateParser;
import io.camelgraphteams.emulator.teams.ChangeType;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.GraphTimings;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * /subscriptions on v1.0 and beta: create (with the validation handshake), list, get, renew/update (PATCH), delete and
 * reauthorize, with Graph's validation rules and error answers.
 */
public final class SubscriptionRoutes {

    private static final Set<String> CREATE_PROPERTIES = Set.of("changeType", "notificationUrl", "resource",
            "expirationDateTime", "clientState", "lifecycleNotificationUrl", "includeResourceData",
            "encryptionCertificate", "encryptionCertificateId", "latestSupportedTlsVersion", "notificationUrlAppId",
            "notificationQueryOptions", "@odata.type");
    private static final Set<String> PATCH_PROPERTIES = Set.of("expirationDateTime", "notificationUrl",
            "lifecycleNotificationUrl", "includeResourceData", "encryptionCertificate", "encryptionCertificateId",
            "@odata.type");
    private static final String UNPROCESSABLE = "Could not process subscription creation payload. Are all property names "
            + "spelled and camelCased properly?";

    private final SubscriptionStore store;
    private final TeamsStore teams;
    private final ValidationHandshake handshake;
    private final Supplier<GraphTimings> timings;
    private final Clock clock;

    public SubscriptionRoutes(SubscriptionStore store, TeamsStore teams, ValidationHandshake handshake,
            Supplier<GraphTimings> timings, Clock clock) {
        this.store = store;
        this.teams = teams;
        this.handshake = handshake;
        this.timings = timings;
        this.clock = clock;
    }

    /** Mounts on a router that is itself mounted at /v1.0 or /beta, after the bearer check. */
    public void mount(Router router) {
        router.post("/subscriptions").handler(this::create);
        router.get("/subscriptions").handler(this::list);
        router.get("/subscriptions/:id").handler(this::get);
        router.patch("/subscriptions/:id").handler(this::update);
        router.delete("/subscriptions/:id").handler(this::delete);
        router.post("/subscriptions/:id/reauthorize").handler(this::reauthorize);
    }

    private void create(RoutingContext ctx) {
        CallerIdentity caller = ctx.get(CallerIdentity.CONTEXT_KEY);
        JsonNode body = Json.parseOrNull(ctx.body().asString());
        if (body == null || !body.isObject()) {
            throw GraphApiException.badRequest("InvalidRequest", UNPROCESSABLE);
        }
        checkProperties(body, CREATE_PROPERTIES, UNPROCESSABLE);
        for (String required : List.of("changeType", "notificationUrl", "resource", "expirationDateTime")) {
            if (!body.hasNonNull(required) || body.get(required).asText().isBlank()) {
                throw GraphApiException.badRequest("InvalidRequest", required
                        + " is a required property for subscription creation.");
            }
        }
        Set<ChangeType> changeTypes = changeTypes(body.get("changeType").asText());
        String resourceText = body.get("resource").asText();
        SubscriptionResource resource = SubscriptionResource.parse(resourceText);
        String notificationUrl = url(body.get("notificationUrl").asText(), "notificationUrl");
        String lifecycleUrl = body.hasNonNull("lifecycleNotificationUrl")
                ? url(body.get("lifecycleNotificationUrl").asText(), "lifecycleNotificationUrl") : null;
        Instant expiration = expiration(body.get("expirationDateTime").asText(), lifecycleUrl);
        String clientState = body.hasNonNull("clientState") ? body.get("clientState").asText() : null;
        checkClientState(clientState);
        boolean includeResourceData = body.path("includeResourceData").asBoolean(false);
        String certificate = Json.text(body, "encryptionCertificate");
        String certificateId = Json.text(body, "encryptionCertificateId");
        X509Certificate parsedCertificate = encryption(includeResourceData, certificate, certificateId);
        if (!caller.hasAnyRole(resource.kind().permissions())) {
            throw new GraphApiException(403, "Forbidden", "Operation: Create; Exception: [Status Code: Forbidden; "
                    + "Reason: The application does not have any of the required application permissions ("
                    + String.join(", ", resource.kind().permissions().stream().sorted().toList())
                    + ") to access the resource.]");
        }
        caller.requireProtectedApiAccess();
        resource.checkExists(teams, caller.tenantId());
        Subscription candidate = new Subscription(UUID.randomUUID().toString(), resourceText, resource, caller.appId(),
                caller.tenantId(), AccessTokens.servicePrincipalId(caller.appId(), caller.tenantId()), changeTypes,
                Subscription.changeTypeText(changeTypes), clientState, notificationUrl, lifecycleUrl, expiration,
                includeResourceData, includeResourceData ? certificate : null, includeResourceData ? parsedCertificate : null,
                includeResourceData ? certificateId : null, apiVersion(ctx), null);
        store.checkAdmissible(candidate);
        List<String> toValidate = new ArrayList<>();
        toValidate.add(notificationUrl);
        if (lifecycleUrl != null) {
            toValidate.add(lifecycleUrl);
        }
        handshake.validateAll(toValidate).onComplete(ar -> {
            try {
                if (ar.failed()) {
                    throw ar.cause() instanceof GraphApiException g ? g : ValidationHandshake.failed();
                }
                store.add(candidate);
                GraphResponses.json(ctx, 201, candidate.toJson(context(ctx, "subscriptions/$entity"), true));
            } catch (GraphApiException e) {
                GraphResponses.error(ctx, e, clock);
            }
        });
    }

    private void list(RoutingContext ctx) {
        CallerIdentity caller = ctx.get(CallerIdentity.CONTEXT_KEY);
        ObjectNode body = Json.object();
        body.put("@odata.context", context(ctx, "subscriptions"));
        ArrayNode value = body.putArray("value");
        store.live().stream()
                .filter(s -> s.applicationId().equals(caller.appId()) && s.tenantId().equals(caller.tenantId()))
                .forEach(s -> value.add(s.toJson(null, false)));
        GraphResponses.json(ctx, 200, body);
    }

    private void get(RoutingContext ctx) {
        Subscription s = own(ctx);
        GraphResponses.json(ctx, 200, s.toJson(context(ctx, "subscriptions/$entity"), false));
    }

    private void delete(RoutingContext ctx) {
        Subscription s = own(ctx);
        store.remove(s.id());
        GraphResponses.noContent(ctx);
    }

    private void reauthorize(RoutingContext ctx) {
        Subscription s = own(ctx);
        store.replace(s.reauthorized(clock.instant()));
        GraphResponses.noContent(ctx);
    }

    private void update(RoutingContext ctx) {
        Subscription current = own(ctx);
        JsonNode body = Json.parseOrNull(ctx.body().asString());
        if (body == null || !body.isObject()) {
            throw GraphApiException.badRequest("InvalidRequest", "Could not process subscription update payload.");
        }
        checkProperties(body, PATCH_PROPERTIES, "Could not process subscription update payload. Only expirationDateTime, "
                + "notificationUrl and the encryption properties can be updated.");
        if (body.has("lifecycleNotificationUrl")
                && !body.get("lifecycleNotificationUrl").asText().equals(current.lifecycleNotificationUrl())) {
            throw GraphApiException.badRequest("InvalidRequest", "lifecycleNotificationUrl cannot be added or changed "
                    + "on an existing subscription: delete the subscription and create it again with the new value.");
        }
        Subscription updated = current;
        if (body.hasNonNull("expirationDateTime")) {
            // renewing also reauthorizes, as Graph documents
            updated = updated.withExpiration(expiration(body.get("expirationDateTime").asText(),
                    current.lifecycleNotificationUrl())).reauthorized(clock.instant());
        }
        if (body.has("includeResourceData") || body.has("encryptionCertificate") || body.has("encryptionCertificateId")) {
            boolean include = body.has("includeResourceData") ? body.get("includeResourceData").asBoolean(false)
                    : current.includeResourceData();
            String certificate = body.has("encryptionCertificate") ? Json.text(body, "encryptionCertificate")
                    : current.encryptionCertificate();
            String certificateId = body.has("encryptionCertificateId") ? Json.text(body, "encryptionCertificateId")
                    : current.encryptionCertificateId();
            X509Certificate parsed = encryption(include, certificate, certificateId);
            updated = updated.withEncryption(include, certificate, parsed, certificateId);
        }
        List<String> toValidate = new ArrayList<>();
        if (body.hasNonNull("notificationUrl") && !body.get("notificationUrl").asText().equals(current.notificationUrl())) {
            updated = updated.withNotificationUrl(url(body.get("notificationUrl").asText(), "notificationUrl"));
            toValidate.add(updated.notificationUrl());
        }
        Subscription result = updated;
        handshake.validateAll(toValidate).onComplete(ar -> {
            if (ar.failed()) {
                GraphResponses.error(ctx, ar.cause() instanceof GraphApiException g ? g : ValidationHandshake.failed(), clock);
                return;
            }
            if (store.find(result.id()).isEmpty()) {
                GraphResponses.error(ctx, notFound(result.id()), clock);
                return;
            }
            store.replace(result);
            GraphResponses.json(ctx, 200, result.toJson(context(ctx, "subscriptions/$entity"), false));
        });
    }

    private Subscription own(RoutingContext ctx) {
        CallerIdentity caller = ctx.get(CallerIdentity.CONTEXT_KEY);
        String id = ctx.pathParam("id");
        return store.find(id)
                .filter(s -> s.applicationId().equals(caller.appId()) && s.tenantId().equals(caller.tenantId()))
                .orElseThrow(() -> notFound(id));
    }

    private static GraphApiException notFound(String id) {
        return new GraphApiException(404, "ResourceNotFound", "Resource '" + id + "' does not exist or one of its queried "
                + "reference-property objects are not present.");
    }

    private static void checkProperties(JsonNode body, Set<String> allowed, String message) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw GraphApiException.badRequest("InvalidRequest", message);
            }
            JsonNode value = body.get(name);
            boolean ok = name.equals("includeResourceData") ? value.isBoolean() || value.isNull()
                    : value.isTextual() || value.isNull();
            if (!ok) {
                throw GraphApiException.badRequest("InvalidRequest", message);
            }
        }
    }

    static Set<ChangeType> changeTypes(String text) {
        Set<ChangeType> types = EnumSet.noneOf(ChangeType.class);
        for (String part : text.split(",")) {
            ChangeType type = ChangeType.fromGraphName(part.trim());
            if (type == null || !types.add(type)) {
                throw GraphApiException.badRequest("InvalidRequest", "Invalid 'changeType' attribute: '" + text
                        + "'. Allowed values are created, updated and deleted, comma separated, each at most once.");
            }
        }
        return types;
    }

    /** https anywhere; http only on localhost, as Graph allows for development. */
    static String url(String text, String property) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (Exception e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri == null || uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
        if (uri == null || !uri.isAbsolute() || host.isEmpty() || !(scheme.equals("https") || (scheme.equals("http") && local))) {
            throw GraphApiException.badRequest("InvalidRequest", "Invalid " + property + " '" + text + "': it must be an "
                    + "absolute https URL (http is accepted only for localhost).");
        }
        return text;
    }

    private Instant expiration(String text, String lifecycleUrl) {
        Instant expiration;
        try {
            expiration = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                expiration = java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw GraphApiException.badRequest("InvalidRequest", "Invalid expirationDateTime '" + text
                        + "': use an ISO 8601 date and time such as 2026-01-01T12:00:00Z.");
            }
        }
        // Graph keeps times in 100 ns ticks
        expiration = expiration.minusNanos(expiration.getNano() % 100);
        Instant now = clock.instant();
        GraphTimings t = timings.get();
        if (!expiration.isAfter(now)) {
            throw GraphApiException.badRequest("InvalidRequest", "Subscription expiration must be in the future: '" + text
                    + "' is not after now (" + now + ").");
        }
        if (expiration.isAfter(now.plus(t.maxSubscriptionLifetime()))) {
            throw GraphApiException.badRequest("BadRequest", "Expiration time '" + text + "' ('"
                    + timeSpan(Duration.between(expiration, now)) + "' from now) is beyond allowed max '"
                    + timeSpan(t.maxSubscriptionLifetime()) + "'.");
        }
        if (lifecycleUrl == null && expiration.isAfter(now.plus(t.lifecycleUrlRequiredAbove()))) {
            throw GraphApiException.badRequest("InvalidRequest", "lifecycleNotificationUrl is a required property for "
                    + "subscription creation on this resource when the expirationDateTime value is set to greater than "
                    + "1 hour.");
        }
        return expiration;
    }

    /** .NET TimeSpan text, as Graph prints durations: [-]d.hh:mm:ss[.fffffff]. */
    static String timeSpan(Duration duration) {
        boolean negative = duration.isNegative();
        Duration d = duration.abs();
        String text = String.format(Locale.ROOT, "%d.%02d:%02d:%02d", d.toDays(), d.toHoursPart(), d.toMinutesPart(),
                d.toSecondsPart());
        if (d.toNanosPart() != 0) {
            text += String.format(Locale.ROOT, ".%07d", d.toNanosPart() / 100);
        }
        return (negative ? "-" : "") + text;
    }

    private static void checkClientState(String clientState) {
        if (clientState != null && clientState.length() > 128) {
            throw GraphApiException.badRequest("InvalidRequest", "clientState is " + clientState.length()
                    + " characters long; the maximum is 128.");
        }
    }

    private static X509Certificate encryption(boolean include, String certificate, String certificateId) {
        if (!include) {
            return null;
        }
        if (certificate == null || certificate.isBlank()) {
            throw GraphApiException.badRequest("InvalidRequest", "encryptionCertificate is a required property when "
                    + "includeResourceData is true.");
        }
        if (certificateId == null || certificateId.isBlank()) {
            throw GraphApiException.badRequest("InvalidRequest", "encryptionCertificateId is a required property when "
                    + "includeResourceData is true.");
        }
        if (certificateId.length() > 128) {
            throw GraphApiException.badRequest("InvalidRequest", "encryptionCertificateId is " + certificateId.length()
                    + " characters long; the maximum is 128.");
        }
        X509Certificate parsed;
        try {
            parsed = CertificateParser.parse(certificate);
        } catch (IllegalArgumentException e) {
            throw GraphApiException.badRequest("InvalidRequest", "encryptionCertificate is not a Base64-encoded X.509 "
                    + "certificate: " + e.getMessage());
        }
        if (!(parsed.getPublicKey() instanceof RSAPublicKey rsa)) {
            throw GraphApiException.badRequest("InvalidRequest", "encryptionCertificate must hold an RSA key.");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < 2048 || bits > 4096) {
            throw GraphApiException.badRequest("InvalidRequest", "encryptionCertificate has a " + bits
                    + "-bit RSA key; Graph accepts 2048 to 4096 bits.");
        }
        return parsed;
    }

    private static String apiVersion(RoutingContext ctx) {
        String mount = ctx.mountPoint();
        return mount != null && mount.contains("beta") ? "beta" : "v1.0";
    }

    private static String context(RoutingContext ctx, String what) {
        return GraphResponses.baseUrl(ctx) + "/" + apiVersion(ctx) + "/$metadata#" + what;
    }
}
