package io.camelgraphteams.component.subscription;

import java.util.List;

/**
 * Lifecycle events received by instances that do not manage the subscription, kept where the managing instance reads
 * them (a store every instance reaches). Behind a round-robin load balancer most lifecycle events reach a follower: it
 * keeps the event here and answers 202, instead of 503 (which would have Graph retry, perhaps to another follower), and
 * the leader acts on it within a second. A {@code StateRepository} that also implements this interface is used for it.
 */
public interface LifecycleEventInbox {

    /** One kept event. */
    record PostedLifecycleEvent(String subscriptionId, String lifecycleEvent) {
    }

    /** Keeps the event for the leader of {@code namespace}; returns once it is stored (else throws: Graph retries). */
    void post(String namespace, String subscriptionId, String lifecycleEvent);

    /** Removes and returns the events kept for {@code namespace}, oldest first. */
    List<PostedLifecycleEvent> take(String namespace);
}
