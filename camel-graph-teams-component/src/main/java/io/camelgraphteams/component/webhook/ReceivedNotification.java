package io.camelgraphteams.component.webhook;

import io.camelgraphteams.component.resource.NotifiedResource;

/**
 * A notification that passed every check, ready to become an exchange.
 *
 * @param notified             the message the item is about; null for lifecycle events
 * @param body                 the decrypted chatMessage JSON, the resourceData JSON, or the lifecycle item JSON
 * @param resourceDataIncluded whether body is the chatMessage itself
 */
public record ReceivedNotification(ChangeNotification item, NotifiedResource notified, String body,
                                   boolean resourceDataIncluded) {
}
