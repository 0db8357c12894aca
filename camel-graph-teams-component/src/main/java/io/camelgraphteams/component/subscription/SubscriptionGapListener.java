package io.camelgraphteams.component.subscription;

/**
 * Told when notifications may have been lost: the subscription was removed or lapsed, or Graph reported missed
 * notifications. The backfill plugs in here to list what changed in the meantime.
 */
@FunctionalInterface
public interface SubscriptionGapListener {

    enum Reason {
        /** Graph removed the subscription (lifecycle event subscriptionRemoved); a new one was created. */
        SUBSCRIPTION_REMOVED,
        /** Graph reported undelivered notifications (lifecycle event missed). */
        MISSED,
        /** The subscription was gone (404 or expired) when it was due for renewal; a new one was created. */
        LAPSED
    }

    /** Called on the subscription manager's thread; must not block for long. */
    void onGap(Reason reason, String subscriptionId);
}
