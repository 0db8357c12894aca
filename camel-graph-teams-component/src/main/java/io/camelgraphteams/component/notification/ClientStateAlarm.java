package io.camelgraphteams.component.notification;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.camelgraphteams.component.support.Digests;
import io.camelgraphteams.component.support.LoggedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raised when Graph's own batches (their validation tokens verified) for this endpoint's subscription carry another
 * clientState than the endpoint's: every genuine item is then dropped, and without this alarm nothing would show it.
 * It turns the health check DOWN and logs the fix once; a batch that passes the clientState check clears it. A batch
 * whose token also came with a batch that passed is not Graph's mistake but someone's replay of a captured batch with
 * its clientState edited: it raises nothing.
 */
public final class ClientStateAlarm {

    private static final Logger LOG = LoggerFactory.getLogger(ClientStateAlarm.class);

    private static final int TOKENS_REMEMBERED = 64;

    private final Supplier<String> managedSubscriptionId;
    // digests of the validation tokens of batches that passed the clientState check, most recent last
    private final Set<String> passedTokens = new LinkedHashSet<>();
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
     * @param tokens          the batch's validation tokens
     * @param items           the batch's change and lifecycle items
     * @param clientStateFail how many of them failed the clientState check
     */
    void checked(boolean verified, List<String> tokens, List<ChangeNotification> items, int clientStateFail) {
        if (items.isEmpty()) {
            return;
        }
        if (clientStateFail < items.size()) {
            raisedFor = null;
            synchronized (passedTokens) {
                for (String token : tokens) {
                    String digest = Digests.sha256Hex(token, 16);
                    passedTokens.remove(digest);
                    passedTokens.add(digest);
                }
                while (passedTokens.size() > TOKENS_REMEMBERED) {
                    passedTokens.remove(passedTokens.iterator().next());
                }
            }
            return;
        }
        synchronized (passedTokens) {
            if (tokens.stream().anyMatch(token -> passedTokens.contains(Digests.sha256Hex(token, 16)))) {
                return;
            }
        }
        String subscriptionId = items.get(0).subscriptionId();
        String managed = managedSubscriptionId == null ? null : managedSubscriptionId.get();
        String shown = LoggedValue.of(subscriptionId);
        if (!verified || (managed != null && !managed.equals(subscriptionId)) || shown.equals(raisedFor)) {
            return;
        }
        raisedFor = shown;
        LOG.warn("Graph's notifications for subscription {} carry another clientState than this endpoint's: every "
                 + "item is dropped. Set clientState to the value the subscription was created with, or delete the "
                 + "subscription so that it is created again with the current clientState (manageSubscription=true "
                 + "does that at its next start)", shown);
    }
}
