package io.camelgraphteams.component.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.camelgraphteams.component.testsupport.MutableClock;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.security.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/** Graph repeats one validation token per app+tenant in every batch: verified results are cached until their exp. */
class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String CLIENT_ID = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
    private static final String TENANT = "2bcd9dfb-6a66-4236-98f9-e8fe4a675323";
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(NOW);
    private TestTokenIssuer issuer;
    private CountingKeySource keys;
    private ValidationTokenVerifier verifier;

    @BeforeEach
    void verifierCountingSignatureChecks() {
        issuer = new TestTokenIssuer(Clock.fixed(NOW, ZoneOffset.UTC));
        keys = new CountingKeySource(new ImmutableJWKSet<>(new JWKSet(issuer.publicKey())));
        verifier = new ValidationTokenVerifier(keys, List.of(CLIENT_ID), Set.of(),
                ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES, clock, SKEW);
    }

    @Test
    void sameTokenVerifiedTwiceChecksTheSignatureOnce() throws Exception {
        String token = issuer.v1Token(CLIENT_ID, TENANT).sign();

        VerifiedValidationToken first = verifier.verify(token);
        VerifiedValidationToken second = verifier.verify(token);

        assertThat(second).isEqualTo(first);
        assertThat(keys.lookups()).isEqualTo(1);

        verifier.verify(issuer.v2Token(CLIENT_ID, TENANT).sign());
        assertThat(keys.lookups()).isEqualTo(2);
    }

    @Test
    void cachedTokenIsRefusedOnceTheClockPassesItsExp() throws Exception {
        Instant exp = NOW.plus(Duration.ofHours(1));
        String token = issuer.v1Token(CLIENT_ID, TENANT).expiresAt(exp).sign();
        verifier.verify(token);

        clock.set(exp.plus(SKEW).minusSeconds(1));
        assertThat(verifier.verify(token).expiresAt()).isEqualTo(exp);
        assertThat(keys.lookups()).isEqualTo(1);

        clock.set(exp.plus(SKEW));
        assertThat(assertRefused(verifier, token)).hasMessage("validation token expired at " + exp);
        assertThat(keys.lookups()).as("refused from the cache, without another signature check").isEqualTo(1);
        assertThat(assertRefused(verifier, token)).hasMessage("validation token expired at " + exp);
    }

    @Test
    void refusedTokensAreNotCachedAsValid() {
        String forOtherApp = issuer.v1Token("11111111-2222-3333-4444-555555555555", TENANT).sign();

        assertRefused(verifier, forOtherApp);
        assertRefused(verifier, forOtherApp);

        assertThat(keys.lookups()).isEqualTo(2);
    }

    @Test
    void cacheHoldsAtMostMaxCachedTokens() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i <= ValidationTokenVerifier.MAX_CACHED_TOKENS; i++) {
            tokens.add(issuer.v1Token(CLIENT_ID, TENANT).claim("uti", "token-" + i).sign());
        }
        for (String token : tokens) {
            verifier.verify(token);
        }
        int afterFilling = keys.lookups();

        verifier.verify(tokens.get(tokens.size() - 1));
        assertThat(keys.lookups()).as("the newest token is still cached").isEqualTo(afterFilling);
        verifier.verify(tokens.get(0));
        assertThat(keys.lookups()).as("the oldest token was evicted").isEqualTo(afterFilling + 1);
    }

    @Test
    void concurrentVerificationsOfOneTokenAgree() throws Exception {
        String token = issuer.v2Token(CLIENT_ID, TENANT).sign();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<VerifiedValidationToken>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> verifier.verify(token)));
            }
            for (Future<VerifiedValidationToken> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).tenantId()).isEqualTo(TENANT);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.lookups()).as("at most one signature check per worker thread").isBetween(1, 8);
    }
}
