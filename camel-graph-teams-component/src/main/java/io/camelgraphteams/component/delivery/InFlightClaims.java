package io.camelgraphteams.component.delivery;

import java.time.Duration;

/**
 * Claims on the changes in flight, shared by the instances of an application (a store they all reach): while one
 * instance routes a change, a copy of it reaching another instance is not routed too, but answered 503 so that Graph
 * delivers it again, by which time the first instance has either recorded it as delivered or given the claim up. An
 * {@code IdempotentRepository} that also implements this interface is used for both.
 */
public interface InFlightClaims {

    /**
     * Claims {@code key} for this instance until {@link #release}: the store renews the claim while this instance
     * lives, so that a change routed for longer than {@code lease} stays claimed, and a claim whose holder died lapses
     * {@code lease} after its last renewal.
     *
     * @return true when this instance now holds the claim, false when another instance holds a live one
     */
    boolean claim(String key, Duration lease);

    /** Gives this instance's claim on {@code key} up (the change was delivered, or its exchange failed). */
    void release(String key);
}
