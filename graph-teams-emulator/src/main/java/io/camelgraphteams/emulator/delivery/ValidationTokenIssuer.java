package io.camelgraphteams.emulator.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Predicate;

import com.nimbusds.jwt.JWTClaimsSet;
import io.camelgraphteams.emulator.identity.TokenSigningKey;

/**
 * Signs the validationTokens of rich notifications as Azure AD does for Graph's change-tracking app: aud = the
 * subscribing app's client id, tid, and the caller 0bf30f3b-4a52-48df-9a82-234910c4a086 in appid (v1) or azp (v2).
 */
public final class ValidationTokenIssuer {

    /** The Microsoft Graph change-tracking app that sends notifications. */
    public static final String GRAPH_CHANGE_TRACKING_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";

    private final TokenSigningKey signingKey;
    private final Clock clock;
    private final Predicate<String> assignmentRequired;

    public ValidationTokenIssuer(TokenSigningKey signingKey, Clock clock) {
        this(signingKey, clock, appId -> false);
    }

    /**
     * @param assignmentRequired whether an app's service principal requires app role assignment: Graph then sends
     *                           that app's rich notifications with {@code validationTokens: null}
     */
    public ValidationTokenIssuer(TokenSigningKey signingKey, Clock clock, Predicate<String> assignmentRequired) {
        this.signingKey = signingKey;
        this.clock = clock;
        this.assignmentRequired = assignmentRequired;
    }

    /** Whether Graph withholds the validation tokens of this app's notifications (they come as null). */
    public boolean withholdsTokensFor(String appId) {
        return assignmentRequired.test(appId);
    }

    public String issue(String appId, String tenantId, ValidationTokenVersion version, Duration lifetime) {
        Instant now = clock.instant();
        String oid = UUID.nameUUIDFromBytes((GRAPH_CHANGE_TRACKING_APP_ID + "@" + tenantId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .audience(appId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("aio", UUID.randomUUID().toString().replace("-", ""))
                .claim("oid", oid)
                .subject(oid)
                .claim("tid", tenantId)
                .claim("uti", UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        if (version == ValidationTokenVersion.V1) {
            String issuer = "https://sts.windows.net/" + tenantId + "/";
            claims.issuer(issuer)
                    .claim("appid", GRAPH_CHANGE_TRACKING_APP_ID)
                    .claim("appidacr", "2")
                    .claim("idp", issuer)
                    .claim("ver", "1.0");
        } else {
            claims.issuer("https://login.microsoftonline.com/" + tenantId + "/v2.0")
                    .claim("azp", GRAPH_CHANGE_TRACKING_APP_ID)
                    .claim("azpacr", "2")
                    .claim("ver", "2.0");
        }
        return signingKey.sign(claims.build());
    }
}
