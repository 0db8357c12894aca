package io.camelgraphteams.emulator.identity;

import java.util.Set;

import io.camelgraphteams.emulator.http.GraphApiException;

/**
 * Who is calling Graph, from a verified access token: the app (client) id, its tenant and its roles; and whether
 * Microsoft approved that app for the protected Teams APIs (known to Graph, not written in the token).
 */
public record CallerIdentity(String appId, String tenantId, Set<String> roles, boolean protectedApiAccess) {

    /** The request-context key under which the bearer check leaves the caller for the Graph routes. */
    public static final String CONTEXT_KEY = "graph.caller";

    public CallerIdentity(String appId, String tenantId, Set<String> roles) {
        this(appId, tenantId, roles, true);
    }

    public boolean hasAnyRole(Set<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    /** The same caller, approved for the protected Teams APIs or not. */
    public CallerIdentity withProtectedApiAccess(boolean approved) {
        return new CallerIdentity(appId, tenantId, roles, approved);
    }

    /**
     * Graph's 403 for a protected Teams API called in application-only context by an app Microsoft has not approved.
     * Resource-specific consent needs no approval: an app whose roles are all resource-specific (none tenant-wide,
     * {@code *.All}) is let through.
     */
    public void requireProtectedApiAccess() {
        if (!protectedApiAccess && roles.stream().anyMatch(role -> role.endsWith(".All"))) {
            throw new GraphApiException(403, "Forbidden", "Invoked API requires Protected API access in application-only "
                    + "context when not using Resource Specific Consent. Visit "
                    + "https://docs.microsoft.com/en-us/graph/teams-protected-apis for more details.");
        }
    }
}
