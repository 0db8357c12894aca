package io.camelgraphteams.component.delivery;

import java.time.Duration;
import java.time.Instant;

import io.camelgraphteams.component.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The keys of live batches, kept until their validation token has expired whatever the repository forgets. */
class RecentKeysTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aKeyIsKnownUntilItsWindowEnds() {
        MutableClock clock = new MutableClock(T0);
        RecentKeys keys = new RecentKeys(100, clock);

        keys.add("ns|chat|1|etag", T0.plus(Duration.ofHours(8)));

        clock.advance(Duration.ofHours(7));
        assertThat(keys.contains("ns|chat|1|etag")).isTrue();
        assertThat(keys.contains("ns|chat|2|etag")).isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(keys.contains("ns|chat|1|etag")).as("the token has expired: a replay is refused 401").isFalse();
    }

    @Test
    void endedWindowsAreDroppedAndPastTheCapacityTheOldestGo() {
        MutableClock clock = new MutableClock(T0);
        RecentKeys keys = new RecentKeys(2, clock);
        keys.add("old", T0.plusSeconds(10));
        clock.advance(Duration.ofSeconds(20));

        keys.add("a", T0.plus(Duration.ofHours(1)));
        keys.add("b", T0.plus(Duration.ofHours(1)));
        assertThat(keys.size()).as("the ended window went first").isEqualTo(2);
        keys.add("c", T0.plus(Duration.ofHours(1)));

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.contains("a")).isFalse();
        assertThat(keys.contains("b")).isTrue();
        assertThat(keys.contains("c")).isTrue();
    }

    @Test
    void aKeyWhoseWindowEndedAlreadyIsNotKept() {
        RecentKeys keys = new RecentKeys(10, new MutableClock(T0));

        keys.add("late", T0.minusSeconds(1));

        assertThat(keys.size()).isZero();
    }
}
