package io.camelgraphteams.component.security;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import io.camelgraphteams.component.testsupport.OpenIdTestServer;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.security.Refusals.assertRefused;
import static io.camelgraphteams.component.security.Refusals.assertTokenNotDisclosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Rule 2's "keys from the OpenID configuration's jwks_uri; cache, keys rotate daily": fetch path, TTL, refresh on an
 * unknown kid (once, rate-limited), rotation, concurrent misses, and IdP outages surfacing as key-source failures.
 */
class OpenIdSigningKeysTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String CLIENT_ID = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
    private static final String TENANT = "2bcd9dfb-6a66-4236-98f9-e8fe4a675323";
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(60);
    private static final Duration TTL = Duration.ofHours(12);

    private final AtomicLong fakeNanos = new AtomicLong(1_000_000_000L);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private TestTokenIssuer issuer;
    private OpenIdTestServer idp;

    @BeforeEach
    void startIdp() {
        issuer = new TestTokenIssuer(Clock.fixed(NOW, ZoneOffset.UTC));
        idp = OpenIdTestServer.start(issuer.jwkSetJson());
    }

    @AfterEach
    void stopIdp() {
        idp.close();
    }

    private OpenIdSigningKeys keys(Duration ttl, Duration minRefreshInterval) {
        return new OpenIdSigningKeys(idp.openIdConfigurationUrl(), http, ttl, minRefreshInterval,
                OpenIdSigningKeys.DEFAULT_STALE_GRACE, fakeNanos::get);
    }

    private void advance(Duration duration) {
        fakeNanos.addAndGet(duration.toNanos());
    }

    private static ValidationTokenVerifier verifier(OpenIdSigningKeys keys) {
        return new ValidationTokenVerifier(keys, List.of(CLIENT_ID), Set.of(), ValidationTokenVerifier.MICROSOFT_ISSUER_TEMPLATES,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
    }

    private static String tokenSignedBy(RSAKey key) {
        return new TestTokenIssuer(Clock.fixed(NOW, ZoneOffset.UTC), key).v1Token(CLIENT_ID, TENANT).sign();
    }

    private static JWKSelector selectorForKid(String kid) {
        return new JWKSelector(new JWKMatcher.Builder().keyID(kid).build());
    }

    @Test
    void keysAreFetchedViaTheJwksUriOfTheOpenIdConfiguration() throws Exception {
        List<JWK> found = keys(TTL, MIN_REFRESH_INTERVAL).get(selectorForKid(issuer.keyId()), null);

        assertThat(found).extracting(JWK::getKeyID).containsExactly(issuer.keyId());
        assertThat(found.get(0).isPrivate()).isFalse();
        assertThat(idp.configurationRequests()).isEqualTo(1);
        assertThat(idp.keysRequests()).isEqualTo(1);
    }

    @Test
    void keysAreServedFromTheCacheUntilTheirTtl() throws Exception {
        OpenIdSigningKeys keys = keys(Duration.ofHours(1), MIN_REFRESH_INTERVAL);
        keys.get(selectorForKid(issuer.keyId()), null);
        advance(Duration.ofMinutes(59));
        keys.get(selectorForKid(issuer.keyId()), null);
        assertThat(idp.keysRequests()).isEqualTo(1);

        advance(Duration.ofMinutes(2));
        keys.get(selectorForKid(issuer.keyId()), null);
        assertThat(idp.keysRequests()).isEqualTo(2);
    }

    @Test
    void unknownKidTriggersExactlyOneJwksRefreshThenIsRefused() throws Exception {
        ValidationTokenVerifier verifier = verifier(keys(TTL, MIN_REFRESH_INTERVAL));
        verifier.verify(issuer.v1Token(CLIENT_ID, TENANT).sign());
        advance(MIN_REFRESH_INTERVAL);
        RSAKey unknown = TestTokenIssuer.newSigningKey();

        assertThat(assertRefused(verifier, tokenSignedBy(unknown)))
                .hasMessage("no signing key of the identity platform matches kid '" + unknown.getKeyID() + "' of the validation token");
        assertThat(idp.keysRequests()).isEqualTo(2);
        assertThat(idp.configurationRequests()).isEqualTo(2);
    }

    @Test
    void repeatedUnknownKidsWithinMinRefreshIntervalDoNotRefetch() throws Exception {
        ValidationTokenVerifier verifier = verifier(keys(TTL, MIN_REFRESH_INTERVAL));
        verifier.verify(issuer.v1Token(CLIENT_ID, TENANT).sign());
        advance(MIN_REFRESH_INTERVAL);
        RSAKey forger = TestTokenIssuer.newSigningKey();
        TestTokenIssuer forgerIssuer = new TestTokenIssuer(Clock.fixed(NOW, ZoneOffset.UTC), forger);

        for (int i = 0; i < 20; i++) {
            assertRefused(verifier, forgerIssuer.v1Token(CLIENT_ID, TENANT).keyId("forged-kid-" + i).sign());
            advance(Duration.ofSeconds(2));
        }
        assertThat(idp.keysRequests()).as("one refresh for 20 forged kids within 40 s").isEqualTo(2);

        advance(MIN_REFRESH_INTERVAL);
        assertRefused(verifier, forgerIssuer.v1Token(CLIENT_ID, TENANT).keyId("forged-kid-late").sign());
        assertThat(idp.keysRequests()).isEqualTo(3);
    }

    @Test
    void keyRotationNewKidVerifiesAfterOneRefresh() throws Exception {
        ValidationTokenVerifier verifier = verifier(keys(TTL, MIN_REFRESH_INTERVAL));
        verifier.verify(issuer.v1Token(CLIENT_ID, TENANT).sign());
        RSAKey rotated = TestTokenIssuer.newSigningKey();
        idp.serveKeys(TestTokenIssuer.jwkSetJson(rotated));
        advance(MIN_REFRESH_INTERVAL);

        VerifiedValidationToken verified = verifier.verify(tokenSignedBy(rotated));

        assertThat(verified.tenantId()).isEqualTo(TENANT);
        assertThat(idp.keysRequests()).isEqualTo(2);
    }

    @Test
    void rotationSeenWithinMinRefreshIntervalOfTheLastFetchWaitsForTheInterval() throws Exception {
        ValidationTokenVerifier verifier = verifier(keys(TTL, MIN_REFRESH_INTERVAL));
        verifier.verify(issuer.v1Token(CLIENT_ID, TENANT).sign());
        RSAKey rotated = TestTokenIssuer.newSigningKey();
        idp.serveKeys(TestTokenIssuer.jwkSetJson(issuer.publicKey(), rotated));
        String rotatedToken = tokenSignedBy(rotated);

        advance(MIN_REFRESH_INTERVAL.minusSeconds(1));
        assertRefused(verifier, rotatedToken);
        assertThat(idp.keysRequests()).isEqualTo(1);

        advance(Duration.ofSeconds(1));
        assertThat(verifier.verify(rotatedToken).tenantId()).isEqualTo(TENANT);
        assertThat(idp.keysRequests()).isEqualTo(2);
    }

    @Test
    void explicitRefreshFetchesRegardlessOfTheInterval() throws Exception {
        OpenIdSigningKeys keys = keys(TTL, MIN_REFRESH_INTERVAL);
        keys.refresh();
        keys.refresh();

        assertThat(idp.keysRequests()).isEqualTo(2);
    }

    @Test
    void concurrentFirstLookupsShareOneFetch() throws Exception {
        idp.delayKeys(Duration.ofMillis(300));
        OpenIdSigningKeys keys = keys(TTL, MIN_REFRESH_INTERVAL);

        List<List<JWK>> results = concurrently(8, () -> keys.get(selectorForKid(issuer.keyId()), null));

        assertThat(results).allSatisfy(found -> assertThat(found).extracting(JWK::getKeyID).containsExactly(issuer.keyId()));
        assertThat(idp.configurationRequests()).isEqualTo(1);
        assertThat(idp.keysRequests()).isEqualTo(1);
    }

    @Test
    void concurrentUnknownKidMissesTriggerOneRefresh() throws Exception {
        OpenIdSigningKeys keys = keys(TTL, Duration.ZERO);
        keys.refresh();
        idp.delayKeys(Duration.ofMillis(300));

        List<List<JWK>> results = concurrently(8, () -> keys.get(selectorForKid("rotated-but-not-yet-published"), null));

        assertThat(results).allSatisfy(found -> assertThat(found).isEmpty());
        assertThat(idp.keysRequests()).isEqualTo(2);
    }

    @Test
    void unreachableOpenIdConfigurationIsAKeySourceFailureNamingTheUrl() {
        String url;
        try (OpenIdTestServer gone = OpenIdTestServer.start("{\"keys\":[]}")) {
            url = gone.openIdConfigurationUrl();
        }
        OpenIdSigningKeys keys = new OpenIdSigningKeys(url, http, TTL, MIN_REFRESH_INTERVAL);
        String token = issuer.v1Token(CLIENT_ID, TENANT).sign();

        InvalidValidationTokenException failure = catchThrowableOfType(InvalidValidationTokenException.class,
                () -> verifier(keys).verify(token));

        assertThat(failure.isKeySourceFailure()).isTrue();
        assertThat(failure).hasMessageStartingWith("signing keys unavailable: Could not fetch OpenID configuration " + url)
                .hasCauseInstanceOf(KeySourceException.class);
        assertTokenNotDisclosed(failure, token);
        assertThatThrownBy(keys::refresh).isInstanceOf(KeySourceException.class).hasMessageContaining(url);
    }

    @Test
    void idpErrorStatusIsAKeySourceFailureAndIsNotRemembered() throws Exception {
        ValidationTokenVerifier verifier = verifier(keys(TTL, MIN_REFRESH_INTERVAL));
        String token = issuer.v1Token(CLIENT_ID, TENANT).sign();
        idp.failWith(OpenIdTestServer.KEYS_PATH, 503);

        InvalidValidationTokenException failure = catchThrowableOfType(InvalidValidationTokenException.class,
                () -> verifier.verify(token));
        assertThat(failure.isKeySourceFailure()).isTrue();
        assertThat(failure).hasMessageContaining("JWKS " + idp.jwksUrl() + " answered HTTP 503");

        idp.recover();
        assertThat(verifier.verify(token).tenantId()).isEqualTo(TENANT);
    }

    @Test
    void duringAnIdpOutageTheLastGoodKeysServeForTheGracePeriodWithOneRetryPerInterval() throws Exception {
        OpenIdSigningKeys keys = keys(TTL, MIN_REFRESH_INTERVAL);
        JWKSelector selector = selectorForKid(issuer.keyId());
        keys.get(selector, null);
        idp.failWith(OpenIdTestServer.KEYS_PATH, 503);

        advance(TTL.plusMinutes(1));
        assertThat(keys.get(selector, null)).hasSize(1);
        assertThat(idp.keysRequests()).isEqualTo(2);
        // within minRefreshInterval of the failed attempt: served without asking the IdP again
        advance(Duration.ofSeconds(30));
        assertThat(keys.get(selector, null)).hasSize(1);
        assertThat(idp.keysRequests()).isEqualTo(2);
        advance(Duration.ofSeconds(31));
        assertThat(keys.get(selector, null)).hasSize(1);
        assertThat(idp.keysRequests()).isEqualTo(3);

        // past the grace the outage surfaces as a key-source failure: the batch is answered 503 and Graph retries
        advance(OpenIdSigningKeys.DEFAULT_STALE_GRACE);
        assertThatThrownBy(() -> keys.get(selector, null)).isInstanceOf(KeySourceException.class)
                .hasMessageContaining("503");
        InvalidValidationTokenException failure = catchThrowableOfType(InvalidValidationTokenException.class,
                () -> verifier(keys).verify(issuer.v1Token(CLIENT_ID, TENANT).sign()));
        assertThat(failure.isKeySourceFailure()).isTrue();

        idp.recover();
        advance(MIN_REFRESH_INTERVAL);
        assertThat(keys.get(selector, null)).hasSize(1);
        assertThat(idp.keysRequests()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void staleKeysDoNotVouchForAnUnknownKidDuringAnOutage() throws Exception {
        OpenIdSigningKeys keys = keys(TTL, MIN_REFRESH_INTERVAL);
        keys.get(selectorForKid(issuer.keyId()), null);
        idp.failWith(OpenIdTestServer.KEYS_PATH, 503);
        advance(TTL.plusMinutes(1));

        assertThat(keys.get(selectorForKid(issuer.keyId()), null)).hasSize(1);
        assertThat(keys.get(selectorForKid("rotated-key-nobody-has-seen"), null)).isEmpty();
    }

    @Test
    void openIdConfigurationWithoutJwksUriIsAKeySourceFailure() {
        idp.serveConfiguration("{\"issuer\":\"https://sts.windows.net/{tenantid}/\"}");

        assertThatThrownBy(() -> keys(TTL, MIN_REFRESH_INTERVAL).refresh()).isInstanceOf(KeySourceException.class)
                .hasMessage("OpenID configuration " + idp.openIdConfigurationUrl() + " has no jwks_uri");
    }

    @Test
    void jwksThatIsNoJwkSetIsAKeySourceFailure() {
        idp.serveKeys("<html>maintenance</html>");

        assertThatThrownBy(() -> keys(TTL, MIN_REFRESH_INTERVAL).refresh()).isInstanceOf(KeySourceException.class)
                .hasMessageStartingWith("JWKS " + idp.jwksUrl() + " is not a valid JWK set");
    }

    @Test
    void emptyJwksIsAKeySourceFailure() {
        idp.serveKeys("{\"keys\":[]}");

        assertThatThrownBy(() -> keys(TTL, MIN_REFRESH_INTERVAL).refresh()).isInstanceOf(KeySourceException.class)
                .hasMessage("JWKS " + idp.jwksUrl() + " holds no public keys");
    }

    @Test
    void openIdConfigurationUrlMustBeAnHttpUrl() {
        assertThatThrownBy(() -> new OpenIdSigningKeys("login.microsoftonline.com/common"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openIdConfigurationUrl 'login.microsoftonline.com/common'");
    }

    @Test
    void defaultConstructorFetchesWithItsOwnHttpClient() throws Exception {
        OpenIdSigningKeys keys = new OpenIdSigningKeys(idp.openIdConfigurationUrl());

        assertThat(keys.get(selectorForKid(issuer.keyId()), null)).hasSize(1);
        assertThat(OpenIdSigningKeys.MICROSOFT_COMMON_OPENID_CONFIGURATION)
                .isEqualTo("https://login.microsoftonline.com/common/.well-known/openid-configuration");
    }

    @Test
    void keySelectorOffersNoKeyForNonRs256Headers() throws Exception {
        // the verifier also checks alg up front; this is the second line of defence against HS256 key confusion
        SigningKeySelector selector = new SigningKeySelector(keys(TTL, MIN_REFRESH_INTERVAL));

        assertThat(selector.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.keyId()).build(), null))
                .isEmpty();
        assertThat(selector.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(issuer.keyId()).build(), null))
                .isEmpty();
        assertThat(selector.selectJWSKeys(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.keyId()).build(), null))
                .hasSize(1);
    }

    private interface Lookup<T> {
        T call() throws Exception;
    }

    private static <T> List<T> concurrently(int threads, Lookup<T> lookup) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return lookup.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
