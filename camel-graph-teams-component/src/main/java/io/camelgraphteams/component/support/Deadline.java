package io.camelgraphteams.component.support;

import java.time.Duration;

/**
 * A point on the monotonic clock by which something must be done: Graph's answer to a batch, and every step taken to
 * prepare it (checking, decrypting, a GET of the message). Immune to wall-clock changes.
 */
public final class Deadline {

    private static final Deadline NONE = new Deadline(Long.MAX_VALUE);
    // far enough for any wait, small enough that Duration arithmetic never overflows
    private static final Duration FOREVER = Duration.ofDays(365 * 100L);

    private final long nanos;

    private Deadline(long nanos) {
        this.nanos = nanos;
    }

    /** {@code budget} after {@code startNanos}, a {@link System#nanoTime()} reading. */
    public static Deadline after(long startNanos, Duration budget) {
        return new Deadline(startNanos + budget.toNanos());
    }

    /** {@code budget} from now. */
    public static Deadline in(Duration budget) {
        return after(System.nanoTime(), budget);
    }

    /** No deadline: work that nobody waits on (a backfill, a test). */
    public static Deadline none() {
        return NONE;
    }

    public boolean isNone() {
        return this == NONE;
    }

    /** What is left, zero once it has passed. */
    public Duration remaining() {
        if (isNone()) {
            return FOREVER;
        }
        long left = nanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean hasPassed() {
        return !isNone() && nanos - System.nanoTime() <= 0;
    }

    /** The shorter of {@code limit} and what is left. */
    public Duration cap(Duration limit) {
        Duration left = remaining();
        return left.compareTo(limit) < 0 ? left : limit;
    }

    @Override
    public String toString() {
        return isNone() ? "no deadline" : "deadline in " + remaining().toMillis() + " ms";
    }
}
