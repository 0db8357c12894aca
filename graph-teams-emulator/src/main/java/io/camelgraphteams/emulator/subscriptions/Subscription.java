package io.camelgraphteams.emulator.subscriptions;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.teams.ChangeType;

/**
 * A subscription as Graph keeps it. Immutable: PATCH stores a changed copy, so the delivery engine always sees one
 * consistent version.
 */
public record Subscription(
        String id,
        String resource,
        SubscriptionResource parsedResource,
        String applicationId,
        String tenantId,
        String creatorId,
        Set<ChangeType> changeTypes,
        String changeType,
        String clientState,
        String notificationUrl,
        String lifecycleNotificationUrl,
        Instant expirationDateTime,
        boolean includeResourceData,
        String encryptionCertificate,
        X509Certificate parsedEncryptionCertificate,
        String encryptionCertificateId,
        String apiVersion,
        Instant lastReauthorizedAt) {

    private static final java.time.format.DateTimeFormatter GRAPH_TICKS = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    public Subscription {
        changeTypes = Set.copyOf(changeTypes);
    }

    public boolean isExpired(Instant now) {
        return !expirationDateTime.isAfter(now);
    }

    public boolean wants(ChangeType type) {
        return changeTypes.contains(type);
    }

    public Subscription withExpiration(Instant expiration) {
        return new Subscription(id, resource, parsedResource, applicationId, tenantId, creatorId, changeTypes, changeType,
                clientState, notificationUrl, lifecycleNotificationUrl, expiration, includeResourceData,
                encryptionCertificate, parsedEncryptionCertificate, encryptionCertificateId, apiVersion, lastReauthorizedAt);
    }

    public Subscription withNotificationUrl(String url) {
        return new Subscription(id, resource, parsedResource, applicationId, tenantId, creatorId, changeTypes, changeType,
                clientState, url, lifecycleNotificationUrl, expirationDateTime, includeResourceData,
                encryptionCertificate, parsedEncryptionCertificate, encryptionCertificateId, apiVersion, lastReauthorizedAt);
    }

    public Subscription withEncryption(boolean include, String certificate, X509Certificate parsed, String certificateId) {
        return new Subscription(id, resource, parsedResource, applicationId, tenantId, creatorId, changeTypes, changeType,
                clientState, notificationUrl, lifecycleNotificationUrl, expirationDateTime, include, certificate, parsed,
                certificateId, apiVersion, lastReauthorizedAt);
    }

    public Subscription withClientState(String state) {
        return new Subscription(id, resource, parsedResource, applicationId, tenantId, creatorId, changeTypes, changeType,
                state, notificationUrl, lifecycleNotificationUrl, expirationDateTime, includeResourceData,
                encryptionCertificate, parsedEncryptionCertificate, encryptionCertificateId, apiVersion, lastReauthorizedAt);
    }

    public Subscription reauthorized(Instant at) {
        return new Subscription(id, resource, parsedResource, applicationId, tenantId, creatorId, changeTypes, changeType,
                clientState, notificationUrl, lifecycleNotificationUrl, expirationDateTime, includeResourceData,
                encryptionCertificate, parsedEncryptionCertificate, encryptionCertificateId, apiVersion, at);
    }

    public static String changeTypeText(Set<ChangeType> types) {
        return types.stream().sorted().map(ChangeType::graphName).collect(Collectors.joining(","));
    }

    /**
     * Graph's subscription entity JSON. Graph echoes clientState only in its answer to the creation; reads, lists and
     * renewals give {@code clientState: null} (Microsoft's "List subscriptions" example), so a subscriber cannot learn
     * from Graph which clientState an existing subscription has.
     */
    public ObjectNode toJson(String odataContext, boolean echoClientState) {
        ObjectNode s = Json.object();
        if (odataContext != null) {
            s.put("@odata.context", odataContext);
        }
        s.put("id", id);
        s.put("resource", resource);
        s.put("applicationId", applicationId);
        s.put("changeType", changeType);
        if (echoClientState) {
            s.put("clientState", clientState);
        } else {
            s.putNull("clientState");
        }
        s.put("notificationUrl", notificationUrl);
        s.putNull("notificationQueryOptions");
        s.put("lifecycleNotificationUrl", lifecycleNotificationUrl);
        s.put("expirationDateTime", GRAPH_TICKS.format(expirationDateTime));
        s.put("creatorId", creatorId);
        s.put("includeResourceData", includeResourceData);
        s.put("latestSupportedTlsVersion", "v1_2");
        s.put("encryptionCertificate", encryptionCertificate);
        s.put("encryptionCertificateId", encryptionCertificateId);
        s.putNull("notificationUrlAppId");
        return s;
    }
}
