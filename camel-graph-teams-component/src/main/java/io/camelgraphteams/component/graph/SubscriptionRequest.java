package io.camelgraphteams.component.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * The body of {@code POST /subscriptions}. Build with {@link #builder()}; the component checks the options' values
 * (lifetime, clientState length, changeType words) before it gets here, Graph checks them again.
 *
 * @param resource                 e.g. /chats/getAllMessages or /teams/{id}/channels/{id}/messages?$search=x
 * @param changeType               comma list of created, updated, deleted
 * @param notificationUrl          where Graph posts change notifications (validated by Graph's handshake)
 * @param lifecycleNotificationUrl where Graph posts lifecycle events; required above one hour of lifetime
 * @param expirationDateTime       when the subscription lapses unless renewed
 * @param clientState              the secret Graph echoes in each notification (at most 128 characters); may be null
 * @param includeResourceData      whether notifications carry the encrypted message
 * @param encryptionCertificate    base64 DER of the X.509 certificate resource data is encrypted for
 * @param encryptionCertificateId  the id notifications name that certificate by
 */
public record SubscriptionRequest(
        String resource,
        String changeType,
        String notificationUrl,
        String lifecycleNotificationUrl,
        Instant expirationDateTime,
        String clientState,
        boolean includeResourceData,
        String encryptionCertificate,
        String encryptionCertificateId) {

    public SubscriptionRequest {
        require(resource, "resource");
        require(changeType, "changeType");
        require(notificationUrl, "notificationUrl");
        Objects.requireNonNull(expirationDateTime, "expirationDateTime is required");
        if (includeResourceData && (encryptionCertificate == null || encryptionCertificateId == null)) {
            throw new IllegalArgumentException("includeResourceData needs encryptionCertificate and "
                                               + "encryptionCertificateId");
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required for a subscription");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "SubscriptionRequest[resource=" + resource + ", changeType=" + changeType + ", notificationUrl="
               + notificationUrl + ", lifecycleNotificationUrl=" + lifecycleNotificationUrl + ", expirationDateTime="
               + expirationDateTime + ", clientState=" + (clientState == null ? "null" : "****")
               + ", includeResourceData=" + includeResourceData + ", encryptionCertificateId="
               + encryptionCertificateId + "]";
    }

    public static final class Builder {
        private String resource;
        private String changeType = "created,updated,deleted";
        private String notificationUrl;
        private String lifecycleNotificationUrl;
        private Instant expirationDateTime;
        private String clientState;
        private boolean includeResourceData;
        private String encryptionCertificate;
        private String encryptionCertificateId;

        private Builder() {
        }

        public Builder resource(String resource) {
            this.resource = resource;
            return this;
        }

        public Builder changeType(String changeType) {
            this.changeType = changeType;
            return this;
        }

        public Builder notificationUrl(String notificationUrl) {
            this.notificationUrl = notificationUrl;
            return this;
        }

        public Builder lifecycleNotificationUrl(String lifecycleNotificationUrl) {
            this.lifecycleNotificationUrl = lifecycleNotificationUrl;
            return this;
        }

        public Builder expirationDateTime(Instant expirationDateTime) {
            this.expirationDateTime = expirationDateTime;
            return this;
        }

        public Builder clientState(String clientState) {
            this.clientState = clientState;
            return this;
        }

        /** Asks for resource data encrypted for this certificate (base64 DER) known by this id. */
        public Builder includeResourceData(String encryptionCertificate, String encryptionCertificateId) {
            this.includeResourceData = true;
            this.encryptionCertificate = encryptionCertificate;
            this.encryptionCertificateId = encryptionCertificateId;
            return this;
        }

        public SubscriptionRequest build() {
            return new SubscriptionRequest(resource, changeType, notificationUrl, lifecycleNotificationUrl,
                    expirationDateTime, clientState, includeResourceData, encryptionCertificate,
                    encryptionCertificateId);
        }
    }
}
