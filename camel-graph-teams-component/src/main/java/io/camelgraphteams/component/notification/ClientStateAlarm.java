package io.camelgraphteams.component.notification;

import java.util.List;
import java.util.function.Supplier;

import io.camelgraphteams.component.support.LoggedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raised when Graph's own batches (their validation tokens verified) for this endpoint's subscription carry another
 * clientState than the endpoint's: every genuine item is then dropped, and without this alarm nothing would show it.
 * It turns the health check DOWN and logs the fix once; a batch that passes the clientState check clears it.
 */
public final class ClientStateAlarm {

    private static final Logger LOG = LoggerFactory.getLogger(ClientStateAlarm.class);

    private final Supplier<String> managedSubscriptionId;
    private volatile String raisedFor;

    /** @param managedSubscriptionId the subscription this endpoint manages, or null (any subscription is ours) */
    public ClientStateAlarm(Supplier<String> managedSubscriptionId) {
        this.managedSubscriptionId = managedSubscriptionId;
    }

    /** The subscription whose notifications carry another clientState, or null when all is well. */
    public String raisedFor() {
        return raisedFor;
    }

    /**
     * One batch was checked.
     *
     * @param verified        whether the batch's validation tokens verified (only then is it Graph's own)
     * @param items           the batch's change and lifecycle items
     * @param clientStateFail how many of them failed the clientState check
     */
    void checked(boolean verified, List<ChangeNotification> items, int clientStateFail) {
        if (items.isEmpty()) {
            return;
        }
        if (clientStateFail < items.size()) {
            raisedFor = null;
            return;
        }
        String subscriptionId = items.get(0).subscriptionId();
        String managed = managedSubscriptionId == null ? null : managedSubscriptionId.get();
        if (!verified || (managed != null && !managed.equals(subscriptionId)) || subscriptionId.equals(raisedFor)) {
            return;
        }
        raisedFor = subscriptionId;
        LOG.warn("Graph's notifications for subscription {} carry another clientState than this endpoint's: every "
                 + "item is dropped. Set clientState to the value the subscription was created with, or delete the "
                 + "subscription so that it is created again with the current clientState (manageSubscription=true "
                 + "does that at its next start)", LoggedValue.of(subscriptionId));
    }
}
