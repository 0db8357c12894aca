package io.camelgraphteams.component.security;

import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.camelgraphteams.component.support.Digests;

/**
 * Verifies the validationTokens JWTs of a Graph change-notification batch (graph-protocol.md, "validationTokens"):
 * RS256 only, signed by a key of {@code keys} named by kid (or x5t), not expired (exp required, nbf honoured, both with
 * {@code clockSkew} on {@code clock}), aud one of {@code audiences}, the caller the Graph change-tracking app ({@code appid}
 * on v1.0 tokens, {@code azp} on v2.0 tokens), iss one of {@code issuerTemplates} for the token's tid, tid allowed.
 * <p>
 * Verified results are cached (at most {@value #MAX_CACHED_TOKENS}, keyed by the token's SHA-256) until their exp,
 * because Graph repeats the same token in every batch of an app+tenant pair. Thread-safe.
 * <p>
 * Failures are {@link InvalidValidationTokenException}s; {@link InvalidValidationTokenException#isKeySourceFailure()}
 * is {@code true} when the signing keys could not be fetched, i.e. nothing was decided about the token.
 */
public final class ValidationTokenVerifier {

    public static final String GRAPH_CHANGE_TRACKING_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";

    public static final List<String> MICROSOFT_ISSUER_TEMPLATES = List.of(
            "https://sts.windows.net/{tenantid}/",
            "https://login.microsoftonline.com/{tenantid}/v2.0");

    /** Azure AD tokens are 1-2 KB; anything far larger is not one and is not worth hashing and parsing. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    static final int MAX_CACHED_TOKENS = 1000;

    private final SigningKeyAwareProcessor processor;
    private final ValidationTokenClaimsVerifier claimsVerifier;
    /** SHA-256 of the token (hex) to its verified result, least recently used first; guarded by itself. */
    private final Map<String, VerifiedValidationToken> verifiedTokens = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, VerifiedValidationToken> eldest) {
            return size() > MAX_CACHED_TOKENS;
        }
    };

    /**
     * @param keys             the identity platform's signing keys, usually an {@link OpenIdSigningKeys}
     * @param audiences        our app (client) ids; a token's aud must be one of them
     * @param allowedTenantIds tenants whose notifications are accepted (case-insensitive); empty = any tenant
     * @param issuerTemplates  accepted iss values with a "{tenantid}" placeholder for the tid claim, usually
     *                         {@link #MICROSOFT_ISSUER_TEMPLATES}
     * @param clock            the time exp and nbf are checked against
     * @param clockSkew        tolerance for exp and nbf (5 minutes is usual)
     */
    public ValidationTokenVerifier(JWKSource<SecurityContext> keys, Collection<String> audiences,
                                   Collection<String> allowedTenantIds, List<String> issuerTemplates, Clock clock,
                                   Duration clockSkew) {
        Objects.requireNonNull(keys, "keys");
        Set<String> acceptedAudiences = nonBlankSet(audiences, "audiences", false);
        if (acceptedAudiences.isEmpty()) {
            throw new IllegalArgumentException("audiences must name at least one app (client) id");
        }
        Set<String> tenants = new LinkedHashSet<>();
        for (String tenant : nonBlankSet(allowedTenantIds, "allowedTenantIds", true)) {
            tenants.add(tenant.toLowerCase(Locale.ROOT));
        }
        Objects.requireNonNull(issuerTemplates, "issuerTemplates");
        if (issuerTemplates.isEmpty()) {
            throw new IllegalArgumentException("issuerTemplates must hold at least one issuer, e.g. MICROSOFT_ISSUER_TEMPLATES");
        }
        nonBlankSet(issuerTemplates, "issuerTemplates", false);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative, was " + clockSkew);
        }
        this.claimsVerifier = new ValidationTokenClaimsVerifier(Set.copyOf(acceptedAudiences), Set.copyOf(tenants),
                List.copyOf(issuerTemplates), clock, clockSkew);
        this.processor = new SigningKeyAwareProcessor();
        processor.setJWSKeySelector(new SigningKeySelector(keys));
        processor.setJWTClaimsSetVerifier(claimsVerifier);
    }

    /**
     * @return what the token vouches for
     * @throws InvalidValidationTokenException naming the rule the token broke, or with
     *                                         {@link InvalidValidationTokenException#isKeySourceFailure()} when the
     *                                         signing keys could not be fetched
     */
    public VerifiedValidationToken verify(String token) throws InvalidValidationTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidValidationTokenException("validation token is missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidValidationTokenException("validation token is " + token.length()
                    + " characters long, more than the " + MAX_TOKEN_LENGTH + " a JWT from the identity platform can be");
        }
        String cacheKey = Digests.sha256Hex(token, 32);
        VerifiedValidationToken cached;
        synchronized (verifiedTokens) {
            cached = verifiedTokens.get(cacheKey);
        }
        if (cached != null) {
            if (claimsVerifier.isExpired(cached.expiresAt())) {
                synchronized (verifiedTokens) {
                    verifiedTokens.remove(cacheKey);
                }
                throw new InvalidValidationTokenException("validation token expired at " + cached.expiresAt());
            }
            return cached;
        }
        VerifiedValidationToken verified = verifyUncached(token);
        synchronized (verifiedTokens) {
            verifiedTokens.put(cacheKey, verified);
        }
        return verified;
    }

    private VerifiedValidationToken verifyUncached(String token) throws InvalidValidationTokenException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            // no cause attached: parser messages may quote pieces of the token
            throw new InvalidValidationTokenException("validation token is not a compact-serialized JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw new InvalidValidationTokenException("validation token is unsigned (alg none); only RS256 is accepted");
        }
        if (jwt instanceof EncryptedJWT) {
            throw new InvalidValidationTokenException("validation token is encrypted (JWE); expected an RS256-signed JWT");
        }
        SignedJWT signed = (SignedJWT) jwt;
        JWSHeader header = signed.getHeader();
        // checked up front for a clear message; the key selector accepts only RS256 keys as well
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            throw new InvalidValidationTokenException("validation token algorithm " + header.getAlgorithm()
                    + " is not accepted; only RS256 is");
        }
        if (header.getKeyID() == null && SigningKeySelector.sha1Thumbprint(header) == null) {
            throw new InvalidValidationTokenException("validation token header names no signing key (neither kid nor x5t)");
        }

        ValidationTokenClaimsVerifier.Verification verification = new ValidationTokenClaimsVerifier.Verification();
        try {
            processor.process(signed, verification);
        } catch (KeySourceException e) {
            throw InvalidValidationTokenException.signingKeysUnavailable(e);
        } catch (UnknownSigningKeyException e) {
            throw new InvalidValidationTokenException(e.getMessage());
        } catch (BadJWSException e) {
            throw new InvalidValidationTokenException("validation token signature does not verify with the signing key "
                    + SigningKeySelector.describe(header));
        } catch (BadJWTException e) {
            // our claim rules, or Nimbus finding no JSON claims set: both messages name the claim, not its token
            throw new InvalidValidationTokenException(e.getMessage());
        } catch (BadJOSEException e) {
            throw new InvalidValidationTokenException("validation token rejected: " + e.getMessage());
        } catch (JOSEException e) {
            throw new InvalidValidationTokenException("validation token could not be checked against the signing key "
                    + SigningKeySelector.describe(header) + ": " + e.getMessage(), e);
        }
        if (verification.result == null) {
            throw new IllegalStateException("Nimbus accepted a validation token without running the claim rules");
        }
        return verification.result;
    }

    private static Set<String> nonBlankSet(Collection<String> values, String name, boolean emptyAllowed) {
        Objects.requireNonNull(values, name);
        Set<String> result = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not contain null or blank entries, was " + values);
            }
            result.add(value.trim());
        }
        if (!emptyAllowed && result.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return result;
    }

    /** Nimbus reports "no key" and "wrong algorithm" alike; this tells the caller which key was missing. */
    private static final class SigningKeyAwareProcessor extends DefaultJWTProcessor<SecurityContext> {

        @Override
        protected List<? extends Key> selectKeys(JWSHeader header, JWTClaimsSet claims, SecurityContext context)
                throws KeySourceException, BadJOSEException {
            List<? extends Key> keys = super.selectKeys(header, claims, context);
            if (keys == null || keys.isEmpty()) {
                throw new UnknownSigningKeyException("no signing key of the identity platform matches "
                        + SigningKeySelector.describe(header) + " of the validation token");
            }
            return keys;
        }
    }

    private static final class UnknownSigningKeyException extends BadJOSEException {

        private static final long serialVersionUID = 1L;

        UnknownSigningKeyException(String message) {
            super(message);
        }
    }
}
