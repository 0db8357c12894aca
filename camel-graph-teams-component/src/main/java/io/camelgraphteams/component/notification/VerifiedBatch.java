package io.camelgraphteams.component.notification;

import java.time.Instant;
import java.util.List;

/**
 * What an intake hands to delivery: the notifications of one batch that passed every check, with their content
 * decrypted (or fetched).
 *
 * @param notifications the items to deliver, in batch order (items dropped by a check are not here)
 * @param unopened      items whose content could not be obtained now (Graph did not answer a fetch): the batch must be
 *                      retried even when every other item is delivered
 * @param keepKeysUntil until when a replay of the batch is possible: its changes' dedup keys are kept that long; null
 *                      for no replay window (backfill, tests)
 */
public record VerifiedBatch(List<ReceivedNotification> notifications, int unopened, Instant keepKeysUntil) {

    public VerifiedBatch {
        notifications = List.copyOf(notifications);
    }

    public VerifiedBatch(List<ReceivedNotification> notifications, int unopened) {
        this(notifications, unopened, null);
    }
}
