package io.camelgraphteams.component.notification;

import io.camelgraphteams.component.resource.NotifiedResource;

/**
 * A notification that passed every check, its content decrypted (or fetched): ready to be delivered.
 *
 * @param notified             the message the item is about; null for lifecycle events
 * @param body                 the decrypted or fetched chatMessage JSON, or Graph's resourceData reference; null for
 *                             lifecycle events (their item is the body when they are forwarded)
 * @param resourceDataIncluded whether body is the chatMessage itself
 * @param decrypted            the body's UTF-8 bytes as decryption gave them (read once more without a string of
 *                             them); null when the body was not decrypted
 * @param fetched              whether body is Graph's copy as it is now (a GET after the notification): it may be a
 *                             later version than the one notified
 */
public record ReceivedNotification(ChangeNotification item, NotifiedResource notified, String body,
                                   boolean resourceDataIncluded, byte[] decrypted, boolean fetched) {

    public ReceivedNotification(ChangeNotification item, NotifiedResource notified, String body,
                                boolean resourceDataIncluded, byte[] decrypted) {
        this(item, notified, body, resourceDataIncluded, decrypted, false);
    }

    public ReceivedNotification(ChangeNotification item, NotifiedResource notified, String body,
                                boolean resourceDataIncluded) {
        this(item, notified, body, resourceDataIncluded, null, false);
    }

    /** The message as Graph returned it to our GET. */
    public static ReceivedNotification fetched(ChangeNotification item, NotifiedResource notified, String body) {
        return new ReceivedNotification(item, notified, body, true, null, true);
    }
}
