package io.camelgraphteams.component.notification;

import java.util.List;

/**
 * A parsed change notification collection, {@code {"value":[...], "validationTokens":[...]}}: the body of one POST
 * from Graph, or of one event Graph wrote to an Event Hub.
 */
public record NotificationBatch(List<ChangeNotification> items, List<String> validationTokens) {

    public boolean hasEncryptedContent() {
        return items.stream().anyMatch(ChangeNotification::hasEncryptedContent);
    }
}
