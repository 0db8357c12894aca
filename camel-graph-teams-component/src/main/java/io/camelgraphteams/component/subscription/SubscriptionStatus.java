package io.camelgraphteams.component.subscription;

import java.time.Instant;

/**
 * A snapshot of one managed subscription, for the health check, the dev console and metrics.
 *
 * @param managing       whether this instance manages the subscription (false when another instance leads)
 * @param subscriptionId null before the first creation or adoption
 * @param lastError      the last failure talking to Graph, null once an operation succeeded again
 * @param lifecycleEvents the lifecycle events for this subscription acted on (an unknown event name is not counted)
 */
public record SubscriptionStatus(
        boolean managing,
        String subscriptionId,
        Instant expiration,
        Instant lastRenewal,
        Instant nextRenewal,
        String lastError,
        Instant lastErrorAt,
        long creations,
        long adoptions,
        long renewals,
        long reauthorizations,
        long recreations,
        long failures,
        long lifecycleEvents) {
}
