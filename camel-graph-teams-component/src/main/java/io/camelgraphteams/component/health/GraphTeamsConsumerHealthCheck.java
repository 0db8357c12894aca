package io.camelgraphteams.component.health;

import java.util.Map;
import java.util.function.Supplier;

import io.camelgraphteams.component.backfill.BackfillStatus;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one graph-teams consumer: able to receive — its paths served and its dedup and state stores answering.
 * The subscription is not part of it (a pod without one must still get Graph's validation request, or a single replica
 * would never make one): its state is in the details here and decides {@link GraphTeamsSubscriptionHealthCheck}.
 */
public class GraphTeamsConsumerHealthCheck extends AbstractHealthCheck {

    private final MonitoredConsumer consumer;
    private final Supplier<String> storeProblem;

    /** @param storeProblem null when the dedup and state stores answer; otherwise which does not, and why */
    public GraphTeamsConsumerHealthCheck(MonitoredConsumer consumer, String routeId, Supplier<String> storeProblem) {
        super("camel", "consumer:graph-teams-" + routeId);
        this.consumer = consumer;
        this.storeProblem = storeProblem;
    }

    /** The check of one route's consumer, ready for Camel's consumers health-check repository. */
    public static GraphTeamsConsumerHealthCheck of(MonitoredConsumer consumer, String routeId, CamelContext context,
                                                   Supplier<String> storeProblem) {
        GraphTeamsConsumerHealthCheck check = new GraphTeamsConsumerHealthCheck(consumer, routeId, storeProblem);
        check.setCamelContext(context);
        return check;
    }

    @Override
    public boolean isLiveness() {
        // restarting the JVM fixes neither a store that does not answer nor paths another route holds
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
        SubscriptionStatus status = consumer.getSubscriptionStatus();
        if (status != null) {
            builder.detail("managing", status.managing());
            builder.detail("subscriptionId", String.valueOf(status.subscriptionId()));
            builder.detail("expiration", String.valueOf(status.expiration()));
        }
        if (!consumer.isListening()) {
            builder.message("not listening on " + consumer.getNotificationPath());
            builder.down();
            return;
        }
        String problem = storeProblem.get();
        if (problem != null) {
            // a batch would be answered 503 until it answers again: Graph is better sent to another instance
            builder.message(problem);
            builder.down();
            return;
        }
        builder.up();
    }
}
