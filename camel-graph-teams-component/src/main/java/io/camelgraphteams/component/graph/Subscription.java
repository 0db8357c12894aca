package io.camelgraphteams.component.graph;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Graph subscription as Graph returns it.
 *
 * @param clientState Graph echoes it in the answer to the create request only; list answers carry null by design
 *                    (microsoft-graph-docs issue 4807) and single GETs are not reliable either. Never match an existing
 *                    subscription on it: match on resource, changeType and notificationUrl.
 */
public record Subscription(
        String id,
        String resource,
        String changeType,
        String notificationUrl,
        String lifecycleNotificationUrl,
        Instant expirationDateTime,
        String clientState,
        boolean includeResourceData,
        String encryptionCertificateId,
        String applicationId,
        String creatorId,
        String latestSupportedTlsVersion) {

    static Subscription fromJson(JsonNode json) {
        return new Subscription(
                text(json, "id"),
                text(json, "resource"),
                text(json, "changeType"),
                text(json, "notificationUrl"),
                text(json, "lifecycleNotificationUrl"),
                instant(text(json, "expirationDateTime")),
                text(json, "clientState"),
                json.path("includeResourceData").asBoolean(false),
                text(json, "encryptionCertificateId"),
                text(json, "applicationId"),
                text(json, "creatorId"),
                text(json, "latestSupportedTlsVersion"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // Graph writes UTC with a Z; a value without offset is UTC as well
            return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
        }
    }

    @Override
    public String toString() {
        return "Subscription[id=" + id + ", resource=" + resource + ", changeType=" + changeType + ", notificationUrl="
               + notificationUrl + ", lifecycleNotificationUrl=" + lifecycleNotificationUrl + ", expirationDateTime="
               + expirationDateTime + ", clientState=" + (clientState == null ? "null" : "****")
               + ", includeResourceData=" + includeResourceData + ", encryptionCertificateId="
               + encryptionCertificateId + ", applicationId=" + applicationId + "]";
    }
}
