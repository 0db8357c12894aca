package io.camelgraphteams.component.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing keys of the identity platform, from an OpenID configuration document (its {@code jwks_uri}).
 * <p>
 * Keys are fetched lazily on first use and kept for {@code cacheTtl}. When a selector matches none of the cached keys
 * (an unknown {@code kid}: the IdP rotated its keys) the keys are fetched again once, but never more often than
 * {@code minRefreshInterval}, so that tokens with forged key ids cannot make us hammer the IdP. Concurrent callers that
 * need a fetch share a single one. A failed fetch throws {@link KeySourceException} naming the URL.
 * <p>
 * An identity-platform outage does not stop verification at once: when keys past their TTL cannot be refetched, the
 * last good keys keep being served (with a warning) for up to {@code staleGrace} more, and the fetch is retried at most
 * once per {@code minRefreshInterval} meanwhile, so batches do not each wait for an unreachable IdP. Past the grace, or
 * with no keys ever fetched, the failure is thrown (the batch is answered 503 and Graph retries).
 * <p>
 * Thread-safe.
 */
public final class OpenIdSigningKeys implements JWKSource<SecurityContext> {

    public static final String MICROSOFT_COMMON_OPENID_CONFIGURATION
            = "https://login.microsoftonline.com/common/.well-known/openid-configuration";

    private static final Logger LOG = LoggerFactory.getLogger(OpenIdSigningKeys.class);

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(12);
    private static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(60);
    /** Microsoft publishes keys weeks before signing with them and keeps retired ones listed: a day of grace is safe. */
    static final Duration DEFAULT_STALE_GRACE = Duration.ofHours(24);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI openIdConfigurationUrl;
    private final HttpClient httpClient;
    private final long cacheTtlNanos;
    private final long minRefreshIntervalNanos;
    private final long staleGraceNanos;
    private final LongSupplier nanoTime;

    private final Object lock = new Object();
    /** The keys last fetched; replaced as a whole, never mutated. */
    private volatile FetchedKeys current;
    /** The fetch in progress, shared by every caller that needs one; guarded by {@link #lock}. */
    private CompletableFuture<FetchedKeys> inFlight;
    /** When the last fetch started (on nanoTime); guarded by {@link #lock}. */
    private long lastFetchStartedNanos;

    public OpenIdSigningKeys(String openIdConfigurationUrl, HttpClient httpClient, Duration cacheTtl,
                             Duration minRefreshInterval) {
        this(openIdConfigurationUrl, httpClient, cacheTtl, minRefreshInterval, DEFAULT_STALE_GRACE, System::nanoTime);
    }

    /** With the monotonic time source TTL and refresh interval are measured on; tests pass a fake one. */
    OpenIdSigningKeys(String openIdConfigurationUrl, HttpClient httpClient, Duration cacheTtl, Duration minRefreshInterval,
                      Duration staleGrace, LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.openIdConfigurationUrl = parseHttpUrl(openIdConfigurationUrl, "openIdConfigurationUrl");
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
        if (cacheTtl.isNegative() || cacheTtl.isZero()) {
            throw new IllegalArgumentException("cacheTtl must be positive, was " + cacheTtl);
        }
        if (minRefreshInterval.isNegative()) {
            throw new IllegalArgumentException("minRefreshInterval must not be negative, was " + minRefreshInterval);
        }
        if (Objects.requireNonNull(staleGrace, "staleGrace").isNegative()) {
            throw new IllegalArgumentException("staleGrace must not be negative, was " + staleGrace);
        }
        this.staleGraceNanos = staleGrace.toNanos();
        this.cacheTtlNanos = cacheTtl.toNanos();
        this.minRefreshIntervalNanos = minRefreshInterval.toNanos();
    }

    /** Defaults: a new HttpClient with a 10 s connect timeout, keys cached 12 h, refetched on an unknown kid at most once a minute. */
    public OpenIdSigningKeys(String openIdConfigurationUrl) {
        this(openIdConfigurationUrl,
                HttpClient.newBuilder().connectTimeout(DEFAULT_CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build(),
                DEFAULT_CACHE_TTL, DEFAULT_MIN_REFRESH_INTERVAL);
    }

    public String openIdConfigurationUrl() {
        return openIdConfigurationUrl.toString();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        FetchedKeys seen = current;
        if (seen == null) {
            seen = fetch(null, false);
        } else if (isStale(seen)) {
            seen = refetchOrKeepStale(seen);
        }
        List<JWK> matches = selector.select(seen.keys());
        if (!matches.isEmpty()) {
            return matches;
        }
        FetchedKeys refreshed = fetch(seen, true);
        if (refreshed == seen) {
            return matches;
        }
        LOG.debug("Signing keys refetched from {} because a token named a key not among them", refreshed.jwksUrl());
        return selector.select(refreshed.keys());
    }

    /** Fetches the keys now (joining a fetch already in progress), regardless of TTL and minRefreshInterval. */
    public void refresh() throws KeySourceException {
        fetch(current, false);
    }

    /**
     * Keys past their TTL: refetched (at most once per minRefreshInterval); while the IdP cannot be reached they are
     * served on for the grace period.
     */
    private FetchedKeys refetchOrKeepStale(FetchedKeys stale) throws KeySourceException {
        try {
            FetchedKeys keys = fetch(stale, true);
            if (keys == stale && !withinGrace(stale)) {
                throw new KeySourceException("Signing keys from " + stale.jwksUrl() + " are past their TTL and grace "
                                             + "and could not be fetched again yet");
            }
            return keys;
        } catch (KeySourceException e) {
            if (!withinGrace(stale)) {
                throw e;
            }
            LOG.warn("Could not refresh the signing keys; the last good keys from {} stay in use for up to {} min "
                     + "more: {}", stale.jwksUrl(),
                    (stale.fetchedAtNanos() + cacheTtlNanos + staleGraceNanos - nanoTime.getAsLong()) / 60_000_000_000L,
                    e.getMessage());
            return stale;
        }
    }

    private boolean withinGrace(FetchedKeys keys) {
        return nanoTime.getAsLong() - keys.fetchedAtNanos() < cacheTtlNanos + staleGraceNanos;
    }

    /**
     * Returns keys fetched after {@code seen}: a fetch another thread finished meanwhile, the one in progress, or a new one.
     * With {@code rateLimited}, returns {@code seen} itself when the last fetch started less than minRefreshInterval ago.
     */
    private FetchedKeys fetch(FetchedKeys seen, boolean rateLimited) throws KeySourceException {
        CompletableFuture<FetchedKeys> shared;
        boolean ownFetch = false;
        synchronized (lock) {
            FetchedKeys latest = current;
            if (latest != null && latest != seen && !isStale(latest)) {
                return latest;
            }
            if (inFlight != null) {
                shared = inFlight;
            } else {
                long now = nanoTime.getAsLong();
                if (rateLimited && seen != null && now - lastFetchStartedNanos < minRefreshIntervalNanos) {
                    return seen;
                }
                lastFetchStartedNanos = now;
                shared = new CompletableFuture<>();
                inFlight = shared;
                ownFetch = true;
            }
        }
        if (ownFetch) {
            try {
                FetchedKeys fetched = download();
                current = fetched;
                shared.complete(fetched);
            } catch (KeySourceException | RuntimeException e) {
                shared.completeExceptionally(e);
            } finally {
                synchronized (lock) {
                    inFlight = null;
                }
            }
        }
        try {
            return shared.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KeySourceException keySourceFailure) {
                // a fresh exception per caller: the shared one's stack trace belongs to the fetching thread
                throw new KeySourceException(keySourceFailure.getMessage(), keySourceFailure);
            }
            throw new KeySourceException("Could not fetch signing keys via " + openIdConfigurationUrl + ": " + cause, cause);
        }
    }

    private FetchedKeys download() throws KeySourceException {
        String configuration = httpGet(openIdConfigurationUrl, "OpenID configuration");
        URI jwksUrl;
        try {
            URI declared = JSONObjectUtils.getURI(JSONObjectUtils.parse(configuration), "jwks_uri");
            if (declared == null) {
                throw new KeySourceException("OpenID configuration " + openIdConfigurationUrl + " has no jwks_uri");
            }
            jwksUrl = declared;
        } catch (ParseException e) {
            throw new KeySourceException("OpenID configuration " + openIdConfigurationUrl
                    + " is not a JSON object with a jwks_uri string: " + e.getMessage(), e);
        }
        if (!isHttpUrl(jwksUrl)) {
            throw new KeySourceException("jwks_uri '" + jwksUrl + "' in " + openIdConfigurationUrl + " is not an http(s) URL");
        }
        // keys fetched over plain http could be swapped in transit: only allowed when the configuration itself is plain http
        if ("https".equalsIgnoreCase(openIdConfigurationUrl.getScheme()) && !"https".equalsIgnoreCase(jwksUrl.getScheme())) {
            throw new KeySourceException("jwks_uri '" + jwksUrl + "' in " + openIdConfigurationUrl + " is not https");
        }
        JWKSet keys;
        try {
            keys = JWKSet.parse(httpGet(jwksUrl, "JWKS")).toPublicJWKSet();
        } catch (ParseException e) {
            throw new KeySourceException("JWKS " + jwksUrl + " is not a valid JWK set: " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new KeySourceException("JWKS " + jwksUrl + " holds no public keys");
        }
        LOG.debug("Fetched {} signing keys from {}", keys.size(), jwksUrl);
        return new FetchedKeys(keys, jwksUrl, nanoTime.getAsLong());
    }

    private String httpGet(URI url, String what) throws KeySourceException {
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").build();
        HttpResponse<String> response;
        try {
            response = httpClient.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeySourceException("Could not fetch " + what + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeySourceException("Interrupted while fetching " + what + " " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new KeySourceException(what + " " + url + " answered HTTP " + response.statusCode() + ", expected 200");
        }
        return response.body();
    }

    private static URI parseHttpUrl(String url, String optionName) {
        Objects.requireNonNull(url, optionName);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optionName + " '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        if (!isHttpUrl(uri)) {
            throw new IllegalArgumentException(optionName + " '" + url + "' is not an absolute http(s) URL");
        }
        return uri;
    }

    private static boolean isHttpUrl(URI uri) {
        return uri.isAbsolute() && uri.getHost() != null
                && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
    }

    private boolean isStale(FetchedKeys keys) {
        return nanoTime.getAsLong() - keys.fetchedAtNanos() >= cacheTtlNanos;
    }

    private record FetchedKeys(JWKSet keys, URI jwksUrl, long fetchedAtNanos) {
    }

    @Override
    public String toString() {
        return "OpenIdSigningKeys[" + openIdConfigurationUrl + "]";
    }
}
