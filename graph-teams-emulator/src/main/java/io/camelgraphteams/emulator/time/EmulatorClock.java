package io.camelgraphteams.emulator.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's notion of "now": a base clock plus an offset that tests (or the control API) can move forward, so that
 * subscription expiry, token lifetimes and message timestamps can be exercised without waiting. Delivery timeouts and
 * retry backoff run on real elapsed time instead (compress them with {@link GraphTimings#scaled(double)}).
 */
public final class EmulatorClock extends Clock {

    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    public EmulatorClock(Clock base) {
        this.base = base;
    }

    public static EmulatorClock system() {
        return new EmulatorClock(Clock.systemUTC());
    }

    /** Moves "now" forward (or back, with a negative duration). */
    public void advance(Duration duration) {
        offsetMillis.addAndGet(duration.toMillis());
    }

    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }

    @Override
    public Instant instant() {
        return base.instant().plusMillis(offsetMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
