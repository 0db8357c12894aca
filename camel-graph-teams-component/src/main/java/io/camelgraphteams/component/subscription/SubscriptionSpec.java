package io.camelgraphteams.component.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.graph.Subscription;
import io.camelgraphteams.component.graph.SubscriptionRequest;

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

    /** The creation request for a subscription that lasts until {@code expirationDateTime}. */
    public SubscriptionRequest request(Instant expirationDateTime) {
        return new SubscriptionRequest(resource, changeType, notificationUrl, lifecycleNotificationUrl,
                expirationDateTime, clientState, includeResourceData, certificateBase64(), certificateId());
    }

    /** The current encryption certificate (base64 DER), pushed at creation and at every renewal; null without one. */
    public String certificateBase64() {
        return encryptionKey != null ? encryptionKey.getCertificateBase64() : null;
    }

    public String certificateId() {
        return encryptionKey != null ? encryptionKey.getCertificateId() : null;
    }

    /**
     * What an existing subscription has that this spec does not want and a PATCH cannot change, or null. Graph
     * answers clientState as null when listing, so a changed clientState is caught only where it is returned.
     */
    public String unpatchableDifference(Subscription existing) {
        if (!sameUrl(existing.lifecycleNotificationUrl(), lifecycleNotificationUrl)) {
            return "lifecycleNotificationUrl";
        }
        if (existing.includeResourceData() != includeResourceData) {
            return "includeResourceData";
        }
        if (existing.clientState() != null && clientState != null && !existing.clientState().equals(clientState)) {
            return "clientState";
        }
        return null;
    }

    private static boolean sameUrl(String a, String b) {
        return Objects.equals(a == null || a.isEmpty() ? null : a, b == null || b.isEmpty() ? null : b);
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
