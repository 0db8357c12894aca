package io.camelgraphteams.component.subscription;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.camelgraphteams.component.crypto.DecryptionKey;

/**
 * The subscription an endpoint wants Graph to hold: the desired state of the reconcile loop.
 *
 * @param resource       the subscription's resource, with query options ($search, $filter, model)
 * @param encryptionKey  the current key, pushed as encryptionCertificate; null without resource data
 */
public record SubscriptionSpec(
        String resource,
        String changeType,
        String notificationUrl,
        String lifecycleNotificationUrl,
        String clientState,
        boolean includeResourceData,
        DecryptionKey encryptionKey,
        Duration lifetime,
        Duration renewBefore,
        Duration reauthorizationInterval) {

    /** Whether an existing subscription is this one: same resource, same set of change types, same notificationUrl. */
    public boolean matches(String otherResource, String otherChangeType, String otherNotificationUrl) {
        return stripLeadingSlash(resource).equalsIgnoreCase(stripLeadingSlash(otherResource))
               && changeTypes(changeType).equals(changeTypes(otherChangeType))
               && notificationUrl.equals(otherNotificationUrl);
    }

    static Set<String> changeTypes(String list) {
        if (list == null) {
            return Set.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String stripLeadingSlash(String value) {
        return value == null ? "" : value.startsWith("/") ? value.substring(1) : value;
    }
}
