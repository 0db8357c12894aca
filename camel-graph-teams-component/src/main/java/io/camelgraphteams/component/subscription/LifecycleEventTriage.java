package io.camelgraphteams.component.subscription;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which lifecycle events that are not about the managed subscription are worth a word: copies about a subscription
 * the manager replaced are expected (a batch of them may still be arriving) and logged at DEBUG; events about someone
 * else's subscription get one WARN per subscription, so a flood of them cannot flood the log.
 */
final class LifecycleEventTriage {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionManager.class);
    private static final int REMEMBERED = 32;

    private final Set<String> replaced = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> warned = Collections.synchronizedSet(new LinkedHashSet<>());

    /** The manager replaced this subscription (null: it had none). */
    void replaced(String subscriptionId) {
        if (subscriptionId == null) {
            return;
        }
        synchronized (replaced) {
            replaced.add(subscriptionId);
            if (replaced.size() > REMEMBERED) {
                replaced.remove(replaced.iterator().next());
            }
        }
    }

    /**
     * Whether the event, not about the managed subscription, is a late copy about one the manager replaced (logged at
     * DEBUG); otherwise it is about someone else's (see {@link #foreign}).
     */
    boolean isLateCopy(String subscriptionId, String shownEvent, String shownId, String managed) {
        if (!replaced.contains(subscriptionId)) {
            foreign(shownEvent, shownId, managed);
            return false;
        }
        LOG.debug("Lifecycle event {} for subscription {} ignored: that subscription was replaced", shownEvent, shownId);
        return true;
    }

    /** An event about a subscription the manager does not manage: ignored, said once per subscription. */
    private void foreign(String shownEvent, String shownId, String managed) {
        boolean first;
        synchronized (warned) {
            first = warned.size() < REMEMBERED && warned.add(shownId);
        }
        if (first) {
            LOG.warn("Lifecycle event {} for subscription {} ignored: the managed subscription is {}", shownEvent,
                    shownId, managed);
        } else {
            LOG.debug("Lifecycle event {} for subscription {} ignored", shownEvent, shownId);
        }
    }
}
