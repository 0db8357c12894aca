package io.camelgraphteams.component.notification;

import java.util.concurrent.CompletableFuture;

/**
 * The seam between an intake and delivery. An intake (the webhook, Event Hubs) turns what Graph sent into a
 * {@link VerifiedBatch} and hands it over here; the outcome says whether the batch may be acknowledged (webhook: 202,
 * Event Hubs: commit) or must come again (webhook: 503, Event Hubs: no commit).
 */
@FunctionalInterface
public interface BatchDelivery {

    /** Whether a batch may be acknowledged. */
    enum Outcome {
        /** Every notification was delivered (or was a duplicate of one delivered before). */
        ACCEPTED,
        /** Some notification was not delivered: Graph must deliver the batch again. */
        RETRY
    }

    /** Delivers every notification of the batch; completes once each has an outcome, never exceptionally. */
    CompletableFuture<Outcome> deliver(VerifiedBatch batch);
}
