package io.camelgraphteams.component.notification;

import java.util.List;

/**
 * What an intake hands to delivery: the notifications of one batch that passed every check, with their content
 * decrypted (or fetched).
 *
 * @param notifications the items to deliver, in batch order (items dropped by a check are not here)
 * @param unopened      items whose content could not be obtained now (Graph did not answer a fetch): the batch must be
 *                      retried even when every other item is delivered
 */
public record VerifiedBatch(List<ReceivedNotification> notifications, int unopened) {

    public VerifiedBatch {
        notifications = List.copyOf(notifications);
    }
}
