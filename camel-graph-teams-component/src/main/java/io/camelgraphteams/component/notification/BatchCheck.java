package io.camelgraphteams.component.notification;

import java.time.Instant;
import java.util.List;

import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.resource.NotifiedResource;

/**
 * The cheap half of verifying a batch, done before anything is decrypted: the batch is refused as a whole, or these
 * items passed their checks (clientState, tenant, scope) and each encrypted one has its decryption key.
 *
 * @param refusal       why the batch was refused; null when it passed
 * @param items         the items to open, in batch order; empty when refused
 * @param keepKeysUntil when a replay of this batch stops being possible (the latest expiry of its validation tokens,
 *                      plus the clock skew): its changes' dedup keys are kept at least until then
 */
public record BatchCheck(Refusal refusal, List<AcceptedItem> items, Instant keepKeysUntil) {

    /**
     * An item that passed the per-item checks.
     *
     * @param notified the message a change is about; null for lifecycle events
     * @param key      the decryption key of an encrypted item; null otherwise
     */
    public record AcceptedItem(ChangeNotification item, NotifiedResource notified, DecryptionKey key) {
    }

    public static BatchCheck refused(Refusal refusal) {
        return new BatchCheck(refusal, List.of(), null);
    }

    public static BatchCheck passed(List<AcceptedItem> items, Instant keepKeysUntil) {
        return new BatchCheck(null, List.copyOf(items), keepKeysUntil);
    }

    public boolean isRefused() {
        return refusal != null;
    }
}
