package io.camelgraphteams.component.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.camelgraphteams.component.support.Failures;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets each change through to the route once. A key is looked up before the exchange is made and added to the
 * {@link IdempotentRepository} only after the exchange completed: a failed exchange leaves no key behind, so Graph's
 * redelivery (or the next backfill) tries it again, and a crash never marks an undelivered message as delivered. A
 * second copy that arrives while the first is in the route waits for the first's outcome instead of making a second
 * exchange. Across instances sharing a repository that also offers {@link InFlightClaims}, a change is claimed before
 * its exchange is made and the repository asked again: a copy whose change another instance is routing fails (its
 * batch is answered 503 and Graph delivers it again), and one that comes after that instance finished is a duplicate.
 */
public final class DedupGate {

    private static final Logger LOG = LoggerFactory.getLogger(DedupGate.class);

    // how long a claim outlives an instance that died while routing its change (a live one's store renews it)
    static final Duration CLAIM_LEASE = Duration.ofSeconds(30);

    private final IdempotentRepository repository;
    private final InFlightClaims claims;
    private final RecentKeys recent;
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();

    public DedupGate(IdempotentRepository repository) {
        this(repository, null);
    }

    /** @param recent the keys of the replay window, kept whatever the repository forgets; null for none */
    public DedupGate(IdempotentRepository repository, RecentKeys recent) {
        this.repository = repository;
        this.claims = repository instanceof InFlightClaims shared ? shared : null;
        this.recent = recent;
    }

    /** As {@link #pass(String, List, Instant, Supplier)} without older key forms or a replay window. */
    public CompletableFuture<Boolean> pass(String key, Supplier<CompletableFuture<Void>> route) {
        return pass(key, List.of(), null, route);
    }

    /**
     * Routes the change unless its key was delivered already.
     *
     * @param  key       the change's key ({@link DedupKeys}); null routes it without dedup
     * @param  legacyKeys the keys an earlier version of the component may have stored for the same change, looked up
     *                   too (so an upgrade does not route again what was delivered before it)
     * @param  keepUntil when the change's replay window ends (its validation token's expiry plus the clock skew): the
     *                   key is kept in the recent keys until then; null for none
     * @param  route     makes the exchange; its future fails when the exchange failed
     * @return           completes with true when routed, false when it was a duplicate (counted as delivered); fails
     *                   when the route (or the repository lookup) failed, also for a copy that waited for a failing
     *                   first one
     */
    public CompletableFuture<Boolean> pass(String key, List<String> legacyKeys, Instant keepUntil,
                                           Supplier<CompletableFuture<Void>> route) {
        if (key == null) {
            return route.get().thenApply(done -> true);
        }
        // digested once for every look-up and addition below
        RecentKeys.Digest digest = recent != null ? RecentKeys.digest(key) : null;
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> earlier = inFlight.putIfAbsent(key, mine);
        if (earlier != null) {
            // never two exchanges for one change at once: this copy shares the first one's outcome
            waiting.incrementAndGet();
            return earlier.whenComplete((routed, error) -> waiting.decrementAndGet()).thenApply(routed -> {
                duplicates.incrementAndGet();
                keepForReplayWindow(digest, keepUntil);
                return false;
            });
        }
        boolean seen;
        try {
            seen = (digest != null && recent.contains(digest)) || repository.contains(key)
                   || legacyKeys.stream().anyMatch(repository::contains);
        } catch (RuntimeException e) {
            inFlight.remove(key, mine);
            mine.completeExceptionally(new IllegalStateException("the idempotent repository failed: " + e.getMessage(),
                    e));
            return mine;
        }
        if (seen) {
            inFlight.remove(key, mine);
            duplicates.incrementAndGet();
            // this copy's token may outlive the one that delivered it (or the backfill had it, with no token)
            keepForReplayWindow(digest, keepUntil);
            mine.complete(false);
            return mine;
        }
        if (claims != null && !claimedHere(key, digest, keepUntil, mine)) {
            return mine;
        }
        CompletableFuture<Void> routed;
        try {
            routed = route.get();
        } catch (RuntimeException e) {
            releaseClaim(key);
            inFlight.remove(key, mine);
            mine.completeExceptionally(e);
            return mine;
        }
        routed.whenComplete((done, error) -> {
            if (error == null) {
                remember(key, digest, keepUntil);
            }
            releaseClaim(key);
            // removed only after the key is in the repository: a later copy finds one or the other
            inFlight.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(true);
            }
        });
        return mine;
    }

    /**
     * Claims the change for this instance and looks again: another instance may have delivered it between the first
     * look and the claim. False when {@code mine} is settled already (claimed elsewhere, or delivered meanwhile).
     */
    private boolean claimedHere(String key, RecentKeys.Digest digest, Instant keepUntil,
                                CompletableFuture<Boolean> mine) {
        try {
            if (!claims.claim(key, CLAIM_LEASE)) {
                inFlight.remove(key, mine);
                mine.completeExceptionally(new IllegalStateException("another instance is routing this change now; "
                                                                     + "Graph delivers it again"));
                return false;
            }
            if (repository.contains(key)) {
                claims.release(key);
                inFlight.remove(key, mine);
                duplicates.incrementAndGet();
                keepForReplayWindow(digest, keepUntil);
                mine.complete(false);
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            inFlight.remove(key, mine);
            mine.completeExceptionally(new IllegalStateException("the shared in-flight claims failed: "
                                                                 + e.getMessage(), e));
            return false;
        }
    }

    private void releaseClaim(String key) {
        if (claims == null) {
            return;
        }
        try {
            claims.release(key);
        } catch (RuntimeException e) {
            // it lapses by itself after CLAIM_LEASE: until then other instances answer that change's copies 503
            LOG.warn("Could not release the in-flight claim of a change: {}", LoggedValue.of(Failures.rootMessage(e)));
        }
    }

    private void keepForReplayWindow(RecentKeys.Digest digest, Instant keepUntil) {
        if (digest != null && keepUntil != null) {
            recent.add(digest, keepUntil);
        }
    }

    private void remember(String key, RecentKeys.Digest digest, Instant keepUntil) {
        keepForReplayWindow(digest, keepUntil);
        try {
            repository.add(key);
            repository.confirm(key);
        } catch (RuntimeException e) {
            // the message was delivered: only a later duplicate may now pass
            LOG.warn("Could not record a delivered message in the idempotent repository: {}",
                    LoggedValue.of(Failures.rootMessage(e)));
        }
    }

    /** Copies skipped as duplicates, live and backfilled. */
    public long duplicatesSkipped() {
        return duplicates.get();
    }

    /** Copies waiting for the outcome of the same change already in the route. */
    public int waitingCopies() {
        return waiting.get();
    }

    /** Changes in the route right now. */
    public int inFlight() {
        return inFlight.size();
    }
}
