package io.camelgraphteams.component.notification;

import java.util.List;

/**
 * A parsed change notification collection, {@code {"value":[...], "validationTokens":[...]}}: the body of one POST
 * from Graph, or of one event Graph wrote to an Event Hub.
 *
 * @param validationTokensNull whether the batch said {@code "validationTokens": null}, which Graph sends when the
 *                             app's service principal requires app role assignment
 */
public record NotificationBatch(List<ChangeNotification> items, List<String> validationTokens,
                                boolean validationTokensNull) {

    public NotificationBatch(List<ChangeNotification> items, List<String> validationTokens) {
        this(items, validationTokens, false);
    }

    public boolean hasEncryptedContent() {
        return items.stream().anyMatch(ChangeNotification::hasEncryptedContent);
    }
}
