package io.camelgraphteams.component.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.camelgraphteams.component.backfill.BackfillStatus;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * The graph-teams dev console: per consumer, its subscription (id, expiry, renewals, last error), what its HTTP
 * paths did (received, forwarded, dropped, refused, failed notifications, duplicates skipped) and its backfill.
 */
@DevConsole(name = "graph-teams", displayName = "Microsoft Graph Teams",
            description = "Subscriptions and notification counters of graph-teams consumers")
public class GraphTeamsDevConsole extends AbstractDevConsole {

    public GraphTeamsDevConsole() {
        super("camel", "graph-teams", "Microsoft Graph Teams",
              "Subscriptions and notification counters of graph-teams consumers");
    }

    private List<Map.Entry<String, MonitoredConsumer>> consumers() {
        List<Map.Entry<String, MonitoredConsumer>> result = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof MonitoredConsumer consumer) {
                result.add(Map.entry(route.getRouteId(), consumer));
            }
        }
        return result;
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, MonitoredConsumer> entry : consumers()) {
            MonitoredConsumer consumer = entry.getValue();
            sb.append("Route: ").append(entry.getKey()).append('\n');
            sb.append("    Resource: ").append(consumer.getResourcePath()).append('\n');
            sb.append("    Listening: ").append(consumer.isListening()).append(" on ")
                    .append(consumer.getNotificationPath()).append(", ")
                    .append(consumer.getLifecycleNotificationPath()).append('\n');
            SubscriptionStatus status = consumer.getSubscriptionStatus();
            if (status == null) {
                sb.append("    Subscription: managed elsewhere\n");
            } else {
                sb.append("    Managing: ").append(status.managing()).append('\n');
                sb.append("    Subscription: ").append(status.subscriptionId()).append(" expires ")
                        .append(status.expiration()).append(", next renewal ").append(status.nextRenewal()).append('\n');
                sb.append("    Created/adopted/renewed/reauthorized/recreated: ").append(status.creations()).append('/')
                        .append(status.adoptions()).append('/').append(status.renewals()).append('/')
                        .append(status.reauthorizations()).append('/').append(status.recreations()).append('\n');
                sb.append("    Graph retries: ").append(consumer.getGraphRetries()).append(", failures: ")
                        .append(status.failures()).append('\n');
                if (status.lastError() != null) {
                    sb.append("    Last error: ").append(status.lastError()).append(" at ").append(status.lastErrorAt())
                            .append('\n');
                }
            }
            consumer.getCounters().asMap()
                    .forEach((name, value) -> sb.append("    ").append(name).append(": ").append(value).append('\n'));
            sb.append("    duplicatesSkipped: ").append(consumer.getDuplicatesSkipped()).append('\n');
            sb.append("    duplicatesWaiting: ").append(consumer.getDuplicatesWaiting()).append('\n');
            BackfillStatus backfill = consumer.getBackfillStatus();
            if (backfill == null) {
                sb.append("    Backfill: ").append(consumer.getBackfillOff()).append('\n');
            } else {
                sb.append("    Backfill: ").append(backfill.leading() ? "leading" : "not leading")
                        .append(backfill.running() ? ", running" : "").append(", conversations ")
                        .append(backfill.conversations()).append(", runs ").append(backfill.runs()).append(" (failed ")
                        .append(backfill.failedRuns()).append("), messages ").append(backfill.backfilledMessages())
                        .append(", last run ").append(backfill.lastRunFinished()).append('\n');
                if (backfill.lastError() != null) {
                    sb.append("    Backfill last error: ").append(backfill.lastError()).append('\n');
                }
            }
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (Map.Entry<String, MonitoredConsumer> entry : consumers()) {
            MonitoredConsumer consumer = entry.getValue();
            JsonObject jo = new JsonObject();
            jo.put("routeId", entry.getKey());
            jo.put("resource", consumer.getResourcePath());
            jo.put("listening", consumer.isListening());
            jo.put("notificationPath", consumer.getNotificationPath());
            jo.put("lifecycleNotificationPath", consumer.getLifecycleNotificationPath());
            SubscriptionStatus status = consumer.getSubscriptionStatus();
            if (status != null) {
                JsonObject sub = new JsonObject();
                sub.put("managing", status.managing());
                sub.put("subscriptionId", status.subscriptionId());
                sub.put("expiration", status.expiration() != null ? status.expiration().toString() : null);
                sub.put("nextRenewal", status.nextRenewal() != null ? status.nextRenewal().toString() : null);
                sub.put("creations", status.creations());
                sub.put("adoptions", status.adoptions());
                sub.put("renewals", status.renewals());
                sub.put("reauthorizations", status.reauthorizations());
                sub.put("recreations", status.recreations());
                sub.put("failures", status.failures());
                sub.put("lifecycleEvents", status.lifecycleEvents());
                sub.put("graphRetries", consumer.getGraphRetries());
                sub.put("lastError", status.lastError());
                sub.put("lastErrorAt", status.lastErrorAt() != null ? status.lastErrorAt().toString() : null);
                jo.put("subscription", sub);
            }
            JsonObject counters = new JsonObject();
            counters.putAll(consumer.getCounters().asMap());
            counters.put("duplicatesSkipped", consumer.getDuplicatesSkipped());
            counters.put("duplicatesWaiting", consumer.getDuplicatesWaiting());
            jo.put("counters", counters);
            BackfillStatus backfill = consumer.getBackfillStatus();
            JsonObject bf = new JsonObject();
            bf.put("enabled", backfill != null);
            if (backfill == null) {
                bf.put("reason", consumer.getBackfillOff());
            } else {
                bf.put("leading", backfill.leading());
                bf.put("running", backfill.running());
                bf.put("conversations", backfill.conversations());
                bf.put("runs", backfill.runs());
                bf.put("failedRuns", backfill.failedRuns());
                bf.put("backfilledMessages", backfill.backfilledMessages());
                bf.put("lastRunStarted", backfill.lastRunStarted() != null ? backfill.lastRunStarted().toString() : null);
                bf.put("lastRunFinished", backfill.lastRunFinished() != null ? backfill.lastRunFinished().toString() : null);
                bf.put("lastError", backfill.lastError());
            }
            jo.put("backfill", bf);
            list.add(jo);
        }
        root.put("consumers", list);
        return root;
    }
}
