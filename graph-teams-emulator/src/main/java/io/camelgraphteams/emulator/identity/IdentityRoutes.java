package io.camelgraphteams.emulator.identity;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.http.GraphResponses;
import io.camelgraphteams.emulator.http.Json;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The identity platform's endpoints: the OAuth2 client-credentials token endpoint (client secret or certificate
 * assertion), OpenID configuration documents (v1 and v2, per tenant and "common") and their JWKS.
 */
public final class IdentityRoutes {

    private static final String[] RESERVED = { "v1.0", "beta", "emulator" };

    private final AppRegistry apps;
    private final Predicate<String> knownTenant;
    private final AccessTokens accessTokens;
    private final ClientAssertionVerifier assertionVerifier;
    private final TokenSigningKey signingKey;
    private final Clock clock;

    public IdentityRoutes(AppRegistry apps, Predicate<String> knownTenant, AccessTokens accessTokens,
            TokenSigningKey signingKey, Clock clock) {
        this.apps = apps;
        this.knownTenant = knownTenant;
        this.accessTokens = accessTokens;
        this.assertionVerifier = new ClientAssertionVerifier(clock);
        this.signingKey = signingKey;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.get("/common/.well-known/openid-configuration").handler(ctx -> openIdV1(ctx, "common"));
        router.get("/common/v2.0/.well-known/openid-configuration").handler(ctx -> openIdV2(ctx, "common"));
        router.get("/common/discovery/keys").handler(ctx -> GraphResponses.json(ctx, 200, signingKey.jwks(null)));
        router.get("/common/discovery/v2.0/keys").handler(ctx -> GraphResponses.json(ctx, 200,
                signingKey.jwks(GraphResponses.baseUrl(ctx) + "/{tenantid}/v2.0")));
        router.get("/discovery/keys").handler(ctx -> GraphResponses.json(ctx, 200, signingKey.jwks(null)));
        router.get("/:tenant/.well-known/openid-configuration").handler(ctx -> withTenant(ctx, t -> openIdV1(ctx, t)));
        router.get("/:tenant/v2.0/.well-known/openid-configuration").handler(ctx -> withTenant(ctx, t -> openIdV2(ctx, t)));
        router.get("/:tenant/discovery/keys").handler(ctx -> withTenant(ctx,
                t -> GraphResponses.json(ctx, 200, signingKey.jwks(null))));
        router.get("/:tenant/discovery/v2.0/keys").handler(ctx -> withTenant(ctx,
                t -> GraphResponses.json(ctx, 200, signingKey.jwks(GraphResponses.baseUrl(ctx) + "/" + t + "/v2.0"))));
        router.post("/:tenant/oauth2/v2.0/token").handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(this::token);
    }

    private void withTenant(RoutingContext ctx, java.util.function.Consumer<String> then) {
        String tenant = ctx.pathParam("tenant");
        if (Arrays.asList(RESERVED).contains(tenant)) {
            ctx.next();
            return;
        }
        if (!knownTenant.test(tenant)) {
            identityError(ctx, tenantNotFound(tenant));
            return;
        }
        then.accept(tenant);
    }

    private static IdentityError tenantNotFound(String tenant) {
        return IdentityError.badRequest("invalid_tenant", 90002, "Tenant '" + tenant + "' not found. Check to make sure "
                + "you have the correct tenant ID and are signing into the correct cloud.");
    }

    /** v2 discovery: issuer equals {base}/{tenant}/v2.0, the authority msal4j's oidcAuthority() is given. */
    private void openIdV2(RoutingContext ctx, String tenant) {
        String base = GraphResponses.baseUrl(ctx);
        String issuerTenant = "common".equals(tenant) ? "{tenantid}" : tenant;
        ObjectNode doc = Json.object();
        doc.put("token_endpoint", base + "/" + tenant + "/oauth2/v2.0/token");
        doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt")
                .add("client_secret_basic");
        doc.put("jwks_uri", base + "/" + tenant + "/discovery/v2.0/keys");
        doc.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        doc.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        doc.put("issuer", base + "/" + issuerTenant + "/v2.0");
        doc.put("request_uri_parameter_supported", false);
        doc.put("authorization_endpoint", base + "/" + tenant + "/oauth2/v2.0/authorize");
        doc.put("device_authorization_endpoint", base + "/" + tenant + "/oauth2/v2.0/devicecode");
        doc.put("end_session_endpoint", base + "/" + tenant + "/oauth2/v2.0/logout");
        doc.put("tenant_region_scope", "EU");
        doc.put("cloud_instance_name", "microsoftonline.com");
        doc.put("msgraph_host", "graph.microsoft.com");
        GraphResponses.json(ctx, 200, doc);
    }

    /** v1 discovery: issuer https://sts.windows.net/{tid}/, keys at /common/discovery/keys like Azure AD. */
    private void openIdV1(RoutingContext ctx, String tenant) {
        String base = GraphResponses.baseUrl(ctx);
        ObjectNode doc = Json.object();
        doc.put("token_endpoint", base + "/" + tenant + "/oauth2/token");
        doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt")
                .add("client_secret_basic");
        doc.put("jwks_uri", base + "/common/discovery/keys");
        doc.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.put("issuer", "https://sts.windows.net/" + ("common".equals(tenant) ? "{tenantid}" : tenant) + "/");
        doc.put("authorization_endpoint", base + "/" + tenant + "/oauth2/authorize");
        doc.put("cloud_instance_name", "microsoftonline.com");
        doc.put("msgraph_host", "graph.microsoft.com");
        GraphResponses.json(ctx, 200, doc);
    }

    private void token(RoutingContext ctx) {
        String tenant = ctx.pathParam("tenant");
        try {
            if (!knownTenant.test(tenant)) {
                throw tenantNotFound(tenant);
            }
            MultiMap form = ctx.request().formAttributes();
            String grantType = form.get("grant_type");
            if (!"client_credentials".equals(grantType)) {
                throw IdentityError.badRequest("unsupported_grant_type", 70003,
                        "The app requested an unsupported grant type '" + grantType + "'.");
            }
            String clientId = form.get("client_id");
            if (clientId == null || clientId.isBlank()) {
                throw IdentityError.badRequest("invalid_request", 900144,
                        "The request body must contain the following parameter: 'client_id'.");
            }
            RegisteredApp app = apps.find(clientId);
            if (app == null || !tenant.equals(app.tenantId())) {
                throw IdentityError.badRequest("unauthorized_client", 700016, "Application with identifier '" + clientId
                        + "' was not found in the directory '" + tenant + "'. This can happen if the application has not "
                        + "been installed by the administrator of the tenant or consented to by any user in the tenant. "
                        + "You may have sent your authentication request to the wrong tenant.");
            }
            String resource = resourceOf(form.get("scope"));
            boolean usedCertificate = authenticateClient(ctx, app, form);
            String accessToken = accessTokens.issue(app, tenant, resource, usedCertificate);
            ObjectNode body = Json.object();
            body.put("token_type", "Bearer");
            body.put("expires_in", accessTokens.lifetime().toSeconds());
            body.put("ext_expires_in", accessTokens.lifetime().toSeconds());
            body.put("access_token", accessToken);
            ctx.response().putHeader("Cache-Control", "no-store, no-cache");
            GraphResponses.json(ctx, 200, body, "application/json; charset=utf-8");
        } catch (IdentityError e) {
            identityError(ctx, e);
        }
    }

    /** The .default scope names the resource; msal4j adds openid, profile and offline_access, which are ignored. */
    private static String resourceOf(String scope) {
        String wanted = scope == null ? "" : Arrays.stream(scope.trim().split("\\s+"))
                .filter(s -> !s.isEmpty() && !s.equals("openid") && !s.equals("profile") && !s.equals("offline_access"))
                .collect(Collectors.joining(" "));
        if (wanted.isEmpty() || wanted.contains(" ") || !wanted.endsWith("/.default")) {
            throw IdentityError.badRequest("invalid_scope", 1002012, "The provided value for scope " + wanted
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the "
                    + "resource identifier (application ID URI).");
        }
        String resource = wanted.substring(0, wanted.length() - "/.default".length());
        if (!AccessTokens.isGraphResource(resource)) {
            throw IdentityError.badRequest("invalid_resource", 500011, "The resource principal named " + resource
                    + " was not found in the tenant. This can happen if the application has not been installed by the "
                    + "administrator of the tenant or consented to by any user in the tenant.");
        }
        return resource;
    }

    /** @return true when the client proved itself with a certificate, false for a secret */
    private boolean authenticateClient(RoutingContext ctx, RegisteredApp app, MultiMap form) {
        String assertion = form.get("client_assertion");
        String secret = form.get("client_secret");
        if (assertion != null) {
            if (!ClientAssertionVerifier.ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
                throw IdentityError.badRequest("invalid_request", 90027, "The value of 'client_assertion_type' must be '"
                        + ClientAssertionVerifier.ASSERTION_TYPE + "'.");
            }
            assertionVerifier.verify(app, assertion, ctx.request().path(), ctx.request().localAddress().port());
            return true;
        }
        if (secret == null) {
            throw IdentityError.invalidClient(7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        boolean expiredMatch = false;
        for (RegisteredApp.Secret candidate : app.secrets()) {
            if (MessageDigest.isEqual(candidate.value().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    secret.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                if (candidate.expiresAt() != null && !candidate.expiresAt().isAfter(clock.instant())) {
                    expiredMatch = true;
                } else {
                    return false;
                }
            }
        }
        if (expiredMatch) {
            throw IdentityError.invalidClient(7000222, "The provided client secret keys for app '" + app.clientId()
                    + "' are expired. Visit the Azure portal to create new keys for your app.");
        }
        throw IdentityError.invalidClient(7000215, "Invalid client secret provided. Ensure the secret being sent in the "
                + "request is the client secret value, not the client secret ID, for a secret added to app '"
                + app.clientId() + "'.");
    }

    private void identityError(RoutingContext ctx, IdentityError e) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = ctx.request().getHeader("client-request-id") != null
                ? ctx.request().getHeader("client-request-id") : UUID.randomUUID().toString();
        String timestamp = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString().replace("T", " ").replace("Z", "Z");
        ObjectNode body = Json.object();
        body.put("error", e.error());
        body.put("error_description", e.getMessage() + " Trace ID: " + traceId + " Correlation ID: " + correlationId
                + " Timestamp: " + timestamp);
        body.putArray("error_codes").add(e.aadstsCode());
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + e.aadstsCode());
        ctx.response().putHeader("Cache-Control", "no-store, no-cache");
        GraphResponses.json(ctx, e.status(), body, "application/json; charset=utf-8");
    }
}
