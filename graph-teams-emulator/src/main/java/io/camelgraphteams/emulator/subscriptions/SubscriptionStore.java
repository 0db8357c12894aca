package io.camelgraphteams.emulator.subscriptions;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.camelgraphteams.emulator.http.GraphApiException;

/**
 * The subscriptions Graph holds. An expired subscription is invisible at once and removed by {@link #sweepExpired()}.
 * Duplicate and quota checks run under the same lock as the insert, so two concurrent creates cannot both pass.
 */
public final class SubscriptionStore {

    private final Clock clock;
    private volatile SubscriptionQuotas quotas;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    public SubscriptionStore(Clock clock, SubscriptionQuotas quotas) {
        this.clock = clock;
        this.quotas = quotas;
    }

    public void quotas(SubscriptionQuotas quotas) {
        this.quotas = quotas;
    }

    public SubscriptionQuotas quotas() {
        return quotas;
    }

    /**
     * @throws GraphApiException 409 when the app already has this resource with this changeType, 403 past a quota
     */
    public synchronized void checkAdmissible(Subscription candidate) {
        Instant now = clock.instant();
        List<Subscription> live = subscriptions.values().stream().filter(s -> !s.isExpired(now)).toList();
        for (Subscription s : live) {
            if (s.applicationId().equals(candidate.applicationId()) && s.tenantId().equals(candidate.tenantId())
                    && s.parsedResource().equals(candidate.parsedResource())
                    && s.changeTypes().equals(candidate.changeTypes()) && !s.id().equals(candidate.id())) {
                throw new GraphApiException(409, "Conflict", "A subscription for resource '" + candidate.resource()
                        + "' with changeType '" + candidate.changeType() + "' already exists for application '"
                        + candidate.applicationId() + "': subscription id '" + s.id() + "'.");
            }
        }
        SubscriptionResource resource = candidate.parsedResource();
        String scope = resource.scopeKey();
        SubscriptionQuotas q = quotas;
        if (resource.kind() == ResourceKind.USER_CHAT_MESSAGES) {
            long forUser = live.stream().filter(s -> s.tenantId().equals(candidate.tenantId())
                    && s.parsedResource().scopeKey().equals(scope)).count();
            if (forUser >= q.perUser()) {
                throw forbidden("The maximum number of subscriptions (" + q.perUser() + ") for user '"
                        + resource.userId() + "' has been reached.");
            }
        } else {
            long sameScope = live.stream().filter(s -> s.applicationId().equals(candidate.applicationId())
                    && s.tenantId().equals(candidate.tenantId()) && s.parsedResource().scopeKey().equals(scope)).count();
            if (sameScope >= q.perAppPerResource()) {
                throw forbidden("The maximum number of subscriptions (" + q.perAppPerResource() + ") per application for '"
                        + scope + "' has been reached.");
            }
        }
        long inTenant = live.stream().filter(s -> s.tenantId().equals(candidate.tenantId())).count();
        if (inTenant >= q.perOrganisation()) {
            throw forbidden("The maximum number of Teams subscriptions (" + q.perOrganisation()
                    + ") for the organization has been reached.");
        }
    }

    private static GraphApiException forbidden(String message) {
        return new GraphApiException(403, "Forbidden", message);
    }

    /** Checks again and stores, atomically. */
    public synchronized void add(Subscription subscription) {
        checkAdmissible(subscription);
        subscriptions.put(subscription.id(), subscription);
    }

    public synchronized void replace(Subscription subscription) {
        if (subscriptions.containsKey(subscription.id())) {
            subscriptions.put(subscription.id(), subscription);
        }
    }

    /** A live (not expired) subscription. */
    public synchronized Optional<Subscription> find(String id) {
        Subscription s = subscriptions.get(id);
        return s == null || s.isExpired(clock.instant()) ? Optional.empty() : Optional.of(s);
    }

    public synchronized Optional<Subscription> remove(String id) {
        return Optional.ofNullable(subscriptions.remove(id));
    }

    public synchronized List<Subscription> live() {
        Instant now = clock.instant();
        return subscriptions.values().stream().filter(s -> !s.isExpired(now)).toList();
    }

    /** Removes expired subscriptions; returns them. */
    public synchronized List<Subscription> sweepExpired() {
        Instant now = clock.instant();
        List<Subscription> expired = new ArrayList<>();
        subscriptions.values().removeIf(s -> {
            if (s.isExpired(now)) {
                expired.add(s);
                return true;
            }
            return false;
        });
        return expired;
    }
}
