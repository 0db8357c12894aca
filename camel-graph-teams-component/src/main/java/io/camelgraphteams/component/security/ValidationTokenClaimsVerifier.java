package io.camelgraphteams.component.security;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;

/**
 * The claim rules of graph-protocol.md "validationTokens": lifetime (exp required, nbf, with skew, on the injected Clock),
 * audience, the calling app per token version, issuer per tenant, allowed tenants. Nimbus runs it only after the signature
 * verified; the result goes into the {@link Verification} context.
 */
final class ValidationTokenClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

    static final String TENANT_PLACEHOLDER = "{tenantid}";

    private final Set<String> audiences;
    private final Set<String> allowedTenantIds;
    private final List<String> issuerTemplates;
    private final Clock clock;
    private final Duration clockSkew;

    /** allowedTenantIds must already be lower case; empty means any tenant. */
    ValidationTokenClaimsVerifier(Set<String> audiences, Set<String> allowedTenantIds, List<String> issuerTemplates,
                                  Clock clock, Duration clockSkew) {
        this.audiences = audiences;
        this.allowedTenantIds = allowedTenantIds;
        this.issuerTemplates = issuerTemplates;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /** Per-call context that carries the verified result out of Nimbus' processor. */
    static final class Verification implements SecurityContext {
        VerifiedValidationToken result;
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        VerifiedValidationToken vouched = vouchFor(claims);
        if (context instanceof Verification verification) {
            verification.result = vouched;
        }
    }

    VerifiedValidationToken vouchFor(JWTClaimsSet claims) throws BadJWTException {
        Instant now = clock.instant();
        Instant expiresAt = requiredInstant(claims.getExpirationTime(), "exp");
        if (isExpired(expiresAt, now)) {
            throw new BadJWTException("validation token expired at " + expiresAt);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(clockSkew))) {
            throw new BadJWTException("validation token is not valid before " + notBefore.toInstant());
        }

        String audience = checkAudience(claims.getAudience());

        String version = string(claims, "ver");
        String callerAppId;
        if ("2.0".equals(version)) {
            callerAppId = checkCaller(claims, "azp", "v2.0");
        } else if (version == null || "1.0".equals(version)) {
            // v1 tokens name the caller in appid; the Java SDK core's azp-only check wrongly refuses them
            callerAppId = checkCaller(claims, "appid", "v1.0");
            version = "1.0";
        } else {
            throw new BadJWTException("validation token version (ver) '" + version + "' is neither 1.0 nor 2.0");
        }

        String tenantId = string(claims, "tid");
        if (tenantId == null || tenantId.isBlank()) {
            throw new BadJWTException("validation token has no tid claim");
        }
        checkIssuer(string(claims, "iss"), tenantId);
        if (!allowedTenantIds.isEmpty() && !allowedTenantIds.contains(tenantId.toLowerCase(Locale.ROOT))) {
            throw new BadJWTException("tenant (tid) '" + tenantId + "' is not in allowedTenantIds");
        }
        return new VerifiedValidationToken(tenantId, audience, callerAppId, version, expiresAt);
    }

    /** The token is expired once now reaches exp + skew (RFC 7519: "on or after" exp it must not be accepted). */
    boolean isExpired(Instant expiresAt, Instant now) {
        return !now.isBefore(expiresAt.plus(clockSkew));
    }

    boolean isExpired(Instant expiresAt) {
        return isExpired(expiresAt, clock.instant());
    }

    private String checkAudience(List<String> tokenAudiences) throws BadJWTException {
        if (tokenAudiences == null || tokenAudiences.isEmpty()) {
            throw new BadJWTException("validation token has no aud claim");
        }
        // Graph issues one token per app: a token for several audiences was not minted for us alone
        if (tokenAudiences.size() != 1) {
            throw new BadJWTException("validation token has " + tokenAudiences.size() + " audiences " + tokenAudiences
                    + ", expected exactly one");
        }
        String audience = tokenAudiences.get(0);
        if (!audiences.contains(audience)) {
            throw new BadJWTException("audience '" + audience + "' is not the clientId (expected one of " + audiences + ")");
        }
        return audience;
    }

    private static String checkCaller(JWTClaimsSet claims, String claim, String version) throws BadJWTException {
        String caller = string(claims, claim);
        if (caller == null) {
            throw new BadJWTException(version + " validation token has no " + claim + " claim naming the calling app");
        }
        if (!ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID.equalsIgnoreCase(caller)) {
            throw new BadJWTException("caller (" + claim + ") '" + caller + "' is not the Microsoft Graph change-tracking app "
                    + ValidationTokenVerifier.GRAPH_CHANGE_TRACKING_APP_ID);
        }
        return caller;
    }

    private void checkIssuer(String issuer, String tenantId) throws BadJWTException {
        if (issuer == null) {
            throw new BadJWTException("validation token has no iss claim");
        }
        List<String> expected = new ArrayList<>(issuerTemplates.size());
        for (String template : issuerTemplates) {
            String candidate = template.replace(TENANT_PLACEHOLDER, tenantId);
            if (candidate.equals(issuer)) {
                return;
            }
            expected.add(candidate);
        }
        throw new BadJWTException("issuer (iss) '" + issuer + "' is not one of " + expected + " for tid '" + tenantId + "'");
    }

    private static Instant requiredInstant(Date date, String claim) throws BadJWTException {
        if (date == null) {
            throw new BadJWTException("validation token has no " + claim + " claim");
        }
        return date.toInstant();
    }

    private static String string(JWTClaimsSet claims, String claim) throws BadJWTException {
        try {
            return claims.getStringClaim(claim);
        } catch (ParseException e) {
            throw new BadJWTException("claim " + claim + " of the validation token is not a string");
        }
    }
}
