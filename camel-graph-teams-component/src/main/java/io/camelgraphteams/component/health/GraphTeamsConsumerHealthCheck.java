package io.camelgraphteams.component.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.camelgraphteams.component.backfill.BackfillStatus;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one graph-teams consumer: listening, and, where it manages the subscription, a subscription that is
 * active and not about to expire.
 */
public class GraphTeamsConsumerHealthCheck extends AbstractHealthCheck {

    private final MonitoredConsumer consumer;
    private final Clock clock;

    public GraphTeamsConsumerHealthCheck(MonitoredConsumer consumer, String routeId) {
        this(consumer, routeId, Clock.systemUTC());
    }

    /** The check of one route's consumer, ready for Camel's consumers health-check repository. */
    public static GraphTeamsConsumerHealthCheck of(MonitoredConsumer consumer, String routeId, CamelContext context) {
        GraphTeamsConsumerHealthCheck check = new GraphTeamsConsumerHealthCheck(consumer, routeId);
        check.setCamelContext(context);
        return check;
    }

    GraphTeamsConsumerHealthCheck(MonitoredConsumer consumer, String routeId, Clock clock) {
        super("camel", "consumer:graph-teams-" + routeId);
        this.consumer = consumer;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        // a lapsed subscription is not fixed by restarting the JVM; only readiness reflects it
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("resource", consumer.getResourcePath());
        builder.detail("listening", consumer.isListening());
        consumer.getCounters().asMap().forEach(builder::detail);
        builder.detail("duplicatesSkipped", consumer.getDuplicatesSkipped());
        // the backfill never makes the consumer DOWN: it is reported, and a failed run is retried
        BackfillStatus backfill = consumer.getBackfillStatus();
        if (backfill != null) {
            builder.detail("backfilledMessages", backfill.backfilledMessages());
            builder.detail("backfillRuns", backfill.runs());
            builder.detail("backfillFailedRuns", backfill.failedRuns());
            if (backfill.lastError() != null) {
                builder.detail("backfillLastError", backfill.lastError());
            }
        }
        if (!consumer.isListening()) {
            builder.message("not listening on " + consumer.getNotificationPath());
            builder.down();
            return;
        }
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
