package io.camelgraphteams.component.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** What a {@link SubscriptionManager} did and what last went wrong: the counts behind {@link SubscriptionStatus}. */
final class SubscriptionActivity {

    final AtomicLong creations = new AtomicLong();
    final AtomicLong adoptions = new AtomicLong();
    final AtomicLong renewals = new AtomicLong();
    final AtomicLong reauthorizations = new AtomicLong();
    final AtomicLong recreations = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong lifecycleEvents = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    // only the scheduler thread touches it
    private int consecutiveFailures;

    /** @return how many failures in a row, this one included */
    int failed(String error, Instant at) {
        consecutiveFailures++;
        failures.incrementAndGet();
        lastError = error;
        lastErrorAt = at;
        return consecutiveFailures;
    }

    void succeeded() {
        consecutiveFailures = 0;
        lastError = null;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The wait before the next try after the failures so far, with jitter. */
    long retryDelayMillis(Duration renewBefore) {
        // backoff scales with the renewal lead time so compressed test timings compress it too
        long base = Math.max(500, Math.min(30_000, renewBefore.toMillis() / 20));
        long delay = Math.min(base << Math.min(consecutiveFailures, 6), Math.max(base, renewBefore.toMillis() / 2));
        return delay + ThreadLocalRandom.current().nextLong(Math.max(1, delay / 5));
    }

    /** A failure in a few words: its message, or its type when it has none. */
    static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    SubscriptionStatus status(boolean managing, String subscriptionId, Instant expiration, Instant lastRenewal,
                              Instant nextRenewal) {
        return new SubscriptionStatus(managing, subscriptionId, expiration, lastRenewal, nextRenewal, lastError,
                lastErrorAt, creations.get(), adoptions.get(), renewals.get(), reauthorizations.get(),
                recreations.get(), failures.get(), lifecycleEvents.get());
    }
}
