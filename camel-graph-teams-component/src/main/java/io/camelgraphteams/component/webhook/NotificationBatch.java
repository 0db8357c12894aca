package io.camelgraphteams.component.webhook;

import java.util.List;

/**
 * A parsed POST from Graph: {@code {"value":[...], "validationTokens":[...]}}.
 */
public record NotificationBatch(List<ChangeNotification> items, List<String> validationTokens) {

    public boolean hasEncryptedContent() {
        return items.stream().anyMatch(ChangeNotification::hasEncryptedContent);
    }
}
