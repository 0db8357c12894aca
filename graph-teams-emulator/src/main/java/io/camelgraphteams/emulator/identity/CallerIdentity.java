package io.camelgraphteams.emulator.identity;

import java.util.Set;

/** Who is calling Graph, from a verified access token: the app (client) id, its tenant and its roles. */
public record CallerIdentity(String appId, String tenantId, Set<String> roles) {

    /** The request-context key under which the bearer check leaves the caller for the Graph routes. */
    public static final String CONTEXT_KEY = "graph.caller";

    public boolean hasAnyRole(Set<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }
}
