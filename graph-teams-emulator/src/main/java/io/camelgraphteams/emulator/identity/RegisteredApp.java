package io.camelgraphteams.emulator.identity;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An app registration: client id, the tenant it lives in, its credentials (secrets with optional expiry, certificates)
 * and the application permissions (roles) an admin granted it.
 */
public final class RegisteredApp {

    /** Every application permission this API knows about; the default grant. */
    public static final Set<String> ALL_PERMISSIONS = Set.of("ChannelMessage.Read.All", "Chat.Read.All",
            "Chat.ReadWrite.All", "Chat.Read.WhereInstalled", "Chat.ReadWrite.WhereInstalled", "ChannelMessage.Read.Group",
            "ChatMessage.Read.Chat");

    /** A client secret; {@code expiresAt} null means it never expires. */
    public record Secret(String value, Instant expiresAt) {
        public Secret {
            Objects.requireNonNull(value, "secret value");
        }
    }

    private final String clientId;
    private final String tenantId;
    private final String displayName;
    private final List<Secret> secrets;
    private final List<X509Certificate> certificates;
    private final Set<String> permissions;
    private final boolean protectedApiAccess;
    private final boolean appRoleAssignmentRequired;

    private RegisteredApp(Builder b) {
        this.clientId = Objects.requireNonNull(b.clientId, "clientId");
        this.tenantId = b.tenantId;
        this.displayName = b.displayName != null ? b.displayName : clientId;
        this.secrets = List.copyOf(b.secrets);
        this.certificates = List.copyOf(b.certificates);
        this.permissions = Set.copyOf(b.permissions != null ? b.permissions : ALL_PERMISSIONS);
        this.protectedApiAccess = b.protectedApiAccess;
        this.appRoleAssignmentRequired = b.appRoleAssignmentRequired;
    }

    public static Builder builder(String clientId) {
        return new Builder(clientId);
    }

    /** An app in the emulator's default tenant with one never-expiring secret and every permission. */
    public static RegisteredApp withSecret(String clientId, String secret) {
        return builder(clientId).secret(secret).build();
    }

    public static RegisteredApp withCertificate(String clientId, X509Certificate certificate) {
        return builder(clientId).certificate(certificate).build();
    }

    public String clientId() {
        return clientId;
    }

    /** null until the emulator assigns its default tenant. */
    public String tenantId() {
        return tenantId;
    }

    public String displayName() {
        return displayName;
    }

    public List<Secret> secrets() {
        return secrets;
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    public Set<String> permissions() {
        return permissions;
    }

    /**
     * Whether Microsoft approved the app for the protected Teams APIs (messages, and subscriptions to them) in
     * application-only context; without it Graph answers 403 "Invoked API requires Protected API access".
     */
    public boolean protectedApiAccess() {
        return protectedApiAccess;
    }

    /**
     * Whether the app's service principal has appRoleAssignmentRequired set: Graph then sends its rich notifications
     * with {@code validationTokens: null}.
     */
    public boolean appRoleAssignmentRequired() {
        return appRoleAssignmentRequired;
    }

    public boolean hasAnyPermission(Set<String> wanted) {
        return wanted.stream().anyMatch(permissions::contains);
    }

    /** A copy living in the given tenant when it had none. */
    public RegisteredApp inTenantIfUnset(String defaultTenant) {
        if (tenantId != null) {
            return this;
        }
        Builder b = new Builder(clientId).tenantId(defaultTenant).displayName(displayName).permissions(permissions)
                .protectedApiAccess(protectedApiAccess).appRoleAssignmentRequired(appRoleAssignmentRequired);
        b.secrets.addAll(secrets);
        b.certificates.addAll(certificates);
        return b.build();
    }

    public static final class Builder {
        private final String clientId;
        private String tenantId;
        private String displayName;
        private final List<Secret> secrets = new ArrayList<>();
        private final List<X509Certificate> certificates = new ArrayList<>();
        private Set<String> permissions;
        private boolean protectedApiAccess = true;
        private boolean appRoleAssignmentRequired;

        private Builder(String clientId) {
            this.clientId = clientId;
        }

        public Builder tenantId(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        public Builder secret(String value) {
            secrets.add(new Secret(value, null));
            return this;
        }

        public Builder secret(String value, Instant expiresAt) {
            secrets.add(new Secret(value, expiresAt));
            return this;
        }

        public Builder certificate(X509Certificate certificate) {
            certificates.add(Objects.requireNonNull(certificate));
            return this;
        }

        /** Application permissions (roles) granted; default: all of {@link RegisteredApp#ALL_PERMISSIONS}. */
        public Builder permissions(Set<String> permissions) {
            this.permissions = new LinkedHashSet<>(permissions);
            return this;
        }

        /** Whether Microsoft approved the protected Teams APIs for the app; default true. */
        public Builder protectedApiAccess(boolean approved) {
            this.protectedApiAccess = approved;
            return this;
        }

        /** Whether the app's service principal requires app role assignment; default false. */
        public Builder appRoleAssignmentRequired(boolean required) {
            this.appRoleAssignmentRequired = required;
            return this;
        }

        public RegisteredApp build() {
            return new RegisteredApp(this);
        }
    }
}
