package io.camelgraphteams.component.health;

import java.time.Duration;

import io.camelgraphteams.component.backfill.BackfillStatus;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.subscription.SubscriptionStatus;

/** What the health check and the dev console read of a graph-teams consumer. */
public interface MonitoredConsumer {

    /** The endpoint's resource, e.g. chats/getAllMessages. */
    String getResourcePath();

    String getNotificationPath();

    String getLifecycleNotificationPath();

    /** How long before expiry the subscription is renewed; a quarter of it left makes the consumer DOWN. */
    Duration getRenewBefore();

    /** Whether the notification and lifecycle paths are being served. */
    boolean isListening();

    NotificationCounters getCounters();

    long getDuplicatesSkipped();

    int getDuplicatesWaiting();

    long getGraphRetries();

    /**
     * The subscription whose verified notifications all fail the clientState check (every item dropped), or null when
     * there is none: the subscription's check is then DOWN.
     */
    String getClientStateMismatch();

    /** Null with manageSubscription=false. */
    SubscriptionStatus getSubscriptionStatus();

    /** Null when the backfill is off. */
    BackfillStatus getBackfillStatus();

    /** Why the backfill is off, or null. */
    String getBackfillOff();
}
