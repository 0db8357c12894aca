package io.camelgraphteams.component.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry-After is delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
class RetryAfterTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void delaySeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void httpDateIsTheWaitUntilThatTime() {
        assertThat(RetryAfter.parse("Sun, 01 Mar 2026 10:00:45 GMT", NOW)).contains(Duration.ofSeconds(45));
    }

    @Test
    void httpDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Sun, 01 Mar 2026 09:59:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void absentOrUnreadableLeavesItToTheBackoff() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
    }

    @Test
    void backoffDoublesWithinHalfToFullAndStopsAtTheMaximum() {
        RetryPolicy policy = RetryPolicy.defaults().withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        for (int i = 0; i < 50; i++) {
            assertThat(policy.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(policy.backoff(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(policy.backoff(20)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }
}
