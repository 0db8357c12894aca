package io.camelgraphteams.component.graph;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a {@link GraphClient} retries: 429 and 503 after Graph's Retry-After (or the backoff when it gives none), other
 * 5xx and I/O errors after an exponential backoff with jitter; never a 4xx other than 429. Bounded by attempts and by
 * total time: a Retry-After beyond the remaining time ends the call at once (the caller may schedule a later try).
 *
 * @param maxAttempts    tries per call, the first included (default 5)
 * @param maxElapsed     time a call may take, waits included (default 2 minutes)
 * @param initialBackoff the first backoff (default 1 s); it doubles per attempt, with a random 50–100% applied
 * @param maxBackoff     the longest backoff (default 30 s)
 * @param timeScale      divides every wait and the time budget (default 1); for time-compressed tests only
 */
public record RetryPolicy(int maxAttempts, Duration maxElapsed, Duration initialBackoff, Duration maxBackoff,
                          double timeScale) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(maxElapsed, "maxElapsed");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale must be positive, was " + timeScale);
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofSeconds(30), 1.0);
    }

    /** One try, no retry. */
    public static RetryPolicy none() {
        return defaults().withMaxAttempts(1);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, maxElapsed, initialBackoff, maxBackoff, timeScale);
    }

    public RetryPolicy withMaxElapsed(Duration elapsed) {
        return new RetryPolicy(maxAttempts, elapsed, initialBackoff, maxBackoff, timeScale);
    }

    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, maxElapsed, initial, max, timeScale);
    }

    public RetryPolicy withTimeScale(double scale) {
        return new RetryPolicy(maxAttempts, maxElapsed, initialBackoff, maxBackoff, scale);
    }

    /** The wait before try {@code failedAttempt + 1} when Graph gave no Retry-After (unscaled). */
    Duration backoff(int failedAttempt) {
        long initial = Math.max(1, initialBackoff.toMillis());
        int doublings = Math.min(Math.max(0, failedAttempt - 1), 30);
        long ceiling = Math.min(maxBackoff.toMillis(), initial << doublings);
        // 50-100% of the ceiling: spreads clients that failed together without ever waiting less than half
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble() * 0.5;
        return Duration.ofMillis(Math.max(1, Math.round(ceiling * jitter)));
    }

    /** A Graph-time duration in wall-clock time. */
    Duration scaled(Duration duration) {
        return timeScale == 1.0 ? duration : Duration.ofNanos(Math.round(duration.toNanos() / timeScale));
    }
}
