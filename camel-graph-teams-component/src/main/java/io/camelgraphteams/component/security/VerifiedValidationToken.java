package io.camelgraphteams.component.security;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified validationTokens JWT vouches for: Microsoft Graph's change-tracking app ({@code callerAppId}) sent
 * notifications of tenant {@code tenantId} to the app {@code audience}, until {@code expiresAt}.
 *
 * @param tenantId     the {@code tid} claim: the tenant whose resources the batch is about
 * @param audience     the {@code aud} claim: our app (client) id the token was issued to
 * @param callerAppId  {@code appid} (v1 tokens) or {@code azp} (v2 tokens): always the Graph change-tracking app
 * @param tokenVersion the {@code ver} claim, "1.0" or "2.0" (a token without {@code ver} is treated as, and reported as, "1.0")
 * @param expiresAt    the {@code exp} claim
 */
public record VerifiedValidationToken(String tenantId, String audience, String callerAppId, String tokenVersion,
        Instant expiresAt) {

    public VerifiedValidationToken {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(callerAppId, "callerAppId");
        Objects.requireNonNull(tokenVersion, "tokenVersion");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
