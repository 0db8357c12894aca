package io.camelgraphteams.component.notification;

import java.time.Duration;
import java.util.Set;

import io.camelgraphteams.component.resource.GraphResource;

/**
 * What an endpoint accepts of a batch, beside the secrets and keys that check it.
 *
 * @param scope               the endpoint's resource: an item about another message is dropped
 * @param allowedTenantIds    tenants whose items are accepted; empty for any
 * @param includeResourceData whether the subscription carries resource data: then every change needs a validation
 *                            token, and an item without encryptedContent is fetched from Graph or dropped, never
 *                            routed as content
 * @param verifyByGet         route Graph's own copy of every message (GET with the endpoint's credentials) instead of
 *                            the notified content
 * @param clockSkew           how far validation token times may be off; added to the replay window
 */
public record AcceptanceRules(GraphResource scope, Set<String> allowedTenantIds, boolean includeResourceData,
                              boolean verifyByGet, Duration clockSkew) {

    public AcceptanceRules {
        allowedTenantIds = Set.copyOf(allowedTenantIds);
    }
}
