package io.camelgraphteams.component.subscription;

import java.util.Objects;

import io.camelgraphteams.component.support.Digests;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.StateRepository;

/**
 * Which clientState each subscription this endpoint created carries, kept as a digest in the endpoint's
 * {@link StateRepository}: Graph never tells (it lists and reads subscriptions with {@code clientState: null}), so
 * without this record a changed clientState option would adopt the old subscription and every genuine item would then
 * fail the clientState check.
 */
public final class ClientStateRecords {

    private final StateRepository<String, String> repository;
    private final String prefix;

    public ClientStateRecords(StateRepository<String, String> repository, String namespace) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.prefix = namespace + ".subscription.";
    }

    /**
     * A digest of the clientState (empty for none), salted with the subscription's id so that equal secrets do not
     * look equal across subscriptions; the secret itself is never stored.
     */
    static String digest(String subscriptionId, String clientState) {
        return Digests.sha256Hex(subscriptionId + "|" + (clientState == null ? "" : clientState), 16);
    }

    /** The digest recorded for the subscription, or null when this endpoint never recorded one. */
    public String recorded(String subscriptionId) {
        String value = repository.getState(key(subscriptionId));
        return value == null || value.isEmpty() ? null : value;
    }

    public void record(String subscriptionId, String clientState) {
        repository.setState(key(subscriptionId), digest(subscriptionId, clientState));
    }

    /**
     * Records an adopted subscription this endpoint has no record of (created before records were kept, or by another
     * deployment) as carrying {@code clientState}. Should it not, Graph's own batches fail the clientState check and
     * the health check turns DOWN (see ClientStateAlarm).
     */
    public void recordIfUnknown(String subscriptionId, String clientState) {
        if (recorded(subscriptionId) == null) {
            record(subscriptionId, clientState);
        }
    }

    /** The subscription is gone (deleted or replaced): its record goes too. Null: nothing to forget. */
    public void forget(String subscriptionId) {
        if (subscriptionId != null && recorded(subscriptionId) != null) {
            repository.setState(key(subscriptionId), "");
        }
    }

    /** Whether the subscription is known to carry another clientState than {@code clientState}. */
    public boolean differs(String subscriptionId, String clientState) {
        String recorded = recorded(subscriptionId);
        return recorded != null && !recorded.equals(digest(subscriptionId, clientState));
    }

    private String key(String subscriptionId) {
        // Graph's subscription ids are GUIDs; anything else is not stored under a key of its own text
        String id = subscriptionId.matches("[A-Za-z0-9-]{1,64}") ? subscriptionId
                : "sha256:" + Digests.sha256Hex(subscriptionId, 16);
        return prefix + id + ".clientState";
    }

    @Override
    public String toString() {
        return "ClientStateRecords[" + LoggedValue.of(prefix) + "]";
    }
}
