package io.camelgraphteams.component.delivery;

import java.util.Set;

import io.camelgraphteams.component.resource.GraphResource;

/**
 * What delivery needs to know of its endpoint.
 *
 * @param namespace              the endpoint's prefix of dedup keys
 * @param scope                  the endpoint's resource
 * @param changeTypes            the changeTypes the subscription asks for: an item with another is dropped
 * @param forwardLifecycleEvents whether lifecycle events are routed too
 * @param tenantId               the tenant backfilled messages are said to come from
 */
public record DeliverySettings(String namespace, GraphResource scope, Set<String> changeTypes,
                               boolean forwardLifecycleEvents, String tenantId) {

    public DeliverySettings {
        changeTypes = Set.copyOf(changeTypes);
    }
}
