package io.camelgraphteams.emulator.identity;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;

import io.camelgraphteams.emulator.http.GraphApiException;

/** Issues app-only access tokens for Graph (v1 claim form, as Graph's tokens are) and checks them on Graph calls. */
public final class AccessTokens {

    /** Graph's resource app id; tokens for Graph may carry it as aud instead of the URL. */
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

    private static final Set<String> GRAPH_RESOURCES = Set.of("https://graph.microsoft.com", GRAPH_APP_ID,
            "https://graph.microsoft.us", "https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn",
            "https://graph.microsoft.de");

    private final TokenSigningKey signingKey;
    private final Clock clock;
    private final Duration lifetime;

    public AccessTokens(TokenSigningKey signingKey, Clock clock, Duration lifetime) {
        this.signingKey = signingKey;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Graph's own URL in any cloud, its app id, or this emulator on a loopback address. */
    public static boolean isGraphResource(String resource) {
        if (resource == null) {
            return false;
        }
        String r = resource.toLowerCase(Locale.ROOT);
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return GRAPH_RESOURCES.contains(r) || r.matches("https?://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d+)?");
    }

    /**
     * @param resource        the aud: the scope minus "/.default"
     * @param usedCertificate appidacr 2 (certificate) instead of 1 (secret)
     */
    public String issue(RegisteredApp app, String tenantId, String resource, boolean usedCertificate) {
        Instant now = clock.instant();
        String issuer = "https://sts.windows.net/" + tenantId + "/";
        String oid = servicePrincipalId(app.clientId(), tenantId);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(resource)
                .issuer(issuer)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("aio", UUID.randomUUID().toString())
                .claim("app_displayname", app.displayName())
                .claim("appid", app.clientId())
                .claim("appidacr", usedCertificate ? "2" : "1")
                .claim("idp", issuer)
                .claim("idtyp", "app")
                .claim("oid", oid)
                .claim("roles", List.copyOf(app.permissions()))
                .subject(oid)
                .claim("tid", tenantId)
                .claim("uti", UUID.randomUUID().toString().replace("-", ""))
                .claim("ver", "1.0")
                .build();
        return signingKey.sign(claims);
    }

    /** The service principal object id of an app in a tenant; stable, so creatorId stays the same across tokens. */
    public static String servicePrincipalId(String clientId, String tenantId) {
        return UUID.nameUUIDFromBytes((clientId + "@" + tenantId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Checks the Authorization header of a Graph call the way Graph does.
     *
     * @throws GraphApiException 401 InvalidAuthenticationToken with Graph's message
     */
    public CallerIdentity authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw unauthorized("Access token is empty.");
        }
        if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("Access token is empty.");
        }
        String token = authorizationHeader.substring(7).trim();
        if (token.chars().filter(c -> c == '.').count() != 2) {
            throw unauthorized("IDX14100: JWT is not well formed, there are no dots (.).");
        }
        JWTClaimsSet claims = signingKey.verify(token);
        if (claims == null) {
            throw unauthorized("Access token validation failure. Invalid signature.");
        }
        try {
            List<String> audiences = claims.getAudience();
            if (audiences.isEmpty() || !isGraphResource(audiences.get(0))) {
                throw unauthorized("Access token validation failure. Invalid audience.");
            }
            Date exp = claims.getExpirationTime();
            if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
                throw unauthorized("Lifetime validation failed, the token is expired.");
            }
            String appId = claims.getStringClaim("appid");
            String tenantId = claims.getStringClaim("tid");
            List<String> roles = claims.getStringListClaim("roles");
            if (appId == null || tenantId == null) {
                throw unauthorized("Access token validation failure.");
            }
            return new CallerIdentity(appId, tenantId, roles == null ? Set.of() : Set.copyOf(roles));
        } catch (ParseException e) {
            throw unauthorized("Access token validation failure.");
        }
    }

    private static GraphApiException unauthorized(String message) {
        return new GraphApiException(401, "InvalidAuthenticationToken", message);
    }
}
