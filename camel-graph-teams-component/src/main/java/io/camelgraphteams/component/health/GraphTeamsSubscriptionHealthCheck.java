package io.camelgraphteams.component.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.camelgraphteams.component.subscription.SubscriptionStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The subscription of one graph-teams consumer: DOWN without an active subscription, when it is about to expire
 * because renewals fail, or when Graph's own notifications all carry another clientState (every item dropped). Neither
 * a readiness nor a liveness check — restarting fixes none of it and a pod that is not ready never gets the
 * validation request that makes a subscription — but part of the application's overall health, metrics and alerts.
 */
public class GraphTeamsSubscriptionHealthCheck extends AbstractHealthCheck {

    private final MonitoredConsumer consumer;
    private final Clock clock;

    GraphTeamsSubscriptionHealthCheck(MonitoredConsumer consumer, String routeId, Clock clock) {
        super("camel", "subscription:graph-teams-" + routeId);
        this.consumer = consumer;
        this.clock = clock;
    }

    /** Registers the check of one route's consumer in the context's health-check registry; null without camel-health. */
    public static GraphTeamsSubscriptionHealthCheck register(MonitoredConsumer consumer, String routeId,
                                                             CamelContext context) {
        HealthCheckRegistry registry = HealthCheckHelper.getHealthCheckRegistry(context);
        if (registry == null) {
            return null;
        }
        GraphTeamsSubscriptionHealthCheck check = new GraphTeamsSubscriptionHealthCheck(consumer, routeId,
                Clock.systemUTC());
        check.setCamelContext(context);
        registry.register(check);
        return check;
    }

    /** Takes the check out of the context's registry (a stopped route has no subscription to report). */
    public void unregister() {
        HealthCheckRegistry registry = HealthCheckHelper.getHealthCheckRegistry(getCamelContext());
        if (registry != null) {
            registry.unregister(this);
        }
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("resource", consumer.getResourcePath());
        String mismatch = consumer.getClientStateMismatch();
        if (mismatch != null) {
            // Graph's own notifications are all being dropped: nothing reaches the route, and only this shows it
            builder.detail("clientStateMismatch", mismatch);
            builder.message("Graph's notifications for subscription " + mismatch + " carry another clientState than "
                            + "this endpoint's: every item is dropped; set clientState to the subscription's, or let "
                            + "the subscription be created again");
            builder.down();
            return;
        }
        SubscriptionStatus status = consumer.getSubscriptionStatus();
        if (status == null) {
            builder.detail("subscription", "managed elsewhere (manageSubscription=false)");
            builder.up();
            return;
        }
        builder.detail("managing", status.managing());
        if (status.lastError() != null) {
            builder.detail("lastError", status.lastError());
            builder.detail("lastErrorAt", String.valueOf(status.lastErrorAt()));
        }
        if (!status.managing()) {
            builder.detail("subscription", "managed by the cluster's leader");
            builder.up();
            return;
        }
        builder.detail("subscriptionId", String.valueOf(status.subscriptionId()));
        builder.detail("expiration", String.valueOf(status.expiration()));
        if (status.subscriptionId() == null || status.expiration() == null) {
            builder.message("no active subscription" + (status.lastError() != null ? ": " + status.lastError() : ""));
            builder.down();
            return;
        }
        Instant now = clock.instant();
        Duration left = Duration.between(now, status.expiration());
        Duration imminent = consumer.getRenewBefore().dividedBy(4);
        if (left.compareTo(imminent) < 0) {
            builder.message("subscription " + status.subscriptionId() + (left.isNegative() ? " expired at " : " expires at ")
                            + status.expiration() + (status.lastError() != null ? "; last error: " + status.lastError() : ""));
            builder.down();
            return;
        }
        builder.up();
    }
}
