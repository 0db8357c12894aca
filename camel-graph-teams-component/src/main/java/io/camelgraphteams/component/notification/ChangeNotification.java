package io.camelgraphteams.component.notification;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.support.LoggedValue;

/**
 * One item of a notification batch, as Graph sends it. Either a change ({@code changeType} set) or a lifecycle
 * notification ({@code lifecycleEvent} set).
 *
 * @param resourceData     Graph's reference to the message ({@code id}, {@code @odata.type}, {@code @odata.id}); may
 *                         be null
 * @param encryptedContent the encrypted chatMessage, present only on subscriptions with resource data
 */
public record ChangeNotification(
        String subscriptionId,
        String changeType,
        String lifecycleEvent,
        String clientState,
        String tenantId,
        String resource,
        String subscriptionExpirationDateTime,
        JsonNode resourceData,
        EncryptedContent encryptedContent,
        JsonNode raw) {

    public boolean isLifecycleEvent() {
        return lifecycleEvent != null;
    }

    public boolean hasEncryptedContent() {
        return encryptedContent != null;
    }

    /** For logs: identifies the item without any secret or content. */
    public String describe() {
        return "subscription " + LoggedValue.of(subscriptionId) + ", tenant " + LoggedValue.of(tenantId) + ", "
               + (isLifecycleEvent() ? "lifecycleEvent " + LoggedValue.of(lifecycleEvent)
                       : "changeType " + LoggedValue.of(changeType) + ", resource " + LoggedValue.of(resource));
    }
}
