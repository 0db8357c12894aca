package io.camelgraphteams.component.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelgraphteams.component.crypto.EncryptedContent;

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
        return "subscription " + loggable(subscriptionId) + ", tenant " + loggable(tenantId) + ", "
               + (isLifecycleEvent() ? "lifecycleEvent " + loggable(lifecycleEvent)
                       : "changeType " + loggable(changeType) + ", resource " + loggable(resource));
    }

    /** A value from the request made safe for one log line: control characters replaced, at most 200 characters. */
    public static String loggable(String value) {
        if (value == null) {
            return "null";
        }
        String shortened = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        StringBuilder sb = new StringBuilder(shortened.length());
        for (int i = 0; i < shortened.length(); i++) {
            char c = shortened.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }
}
