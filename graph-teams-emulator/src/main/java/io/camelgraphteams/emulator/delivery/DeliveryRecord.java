package io.camelgraphteams.emulator.delivery;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.http.Json;

/**
 * One line of the delivery log: one POST the emulator made (or decided not to make) to a subscriber.
 *
 * @param deliveryId      the same for every attempt (and the chaos duplicate) of one batch
 * @param attempt         1 for the first try, 2 for the first retry, ...
 * @param status          the HTTP status received; 0 when there was none (timeout, connection refused, dropped)
 * @param elapsedMillis   time from sending to the answer (or to giving up waiting)
 * @param detail          why it failed, or what chaos did
 * @param body            the exact JSON (or, for VALIDATION, the URL) sent
 */
public record DeliveryRecord(
        long sequence,
        Kind kind,
        String deliveryId,
        String url,
        int attempt,
        boolean duplicate,
        Instant sentAt,
        long elapsedMillis,
        int status,
        Outcome outcome,
        String detail,
        List<String> subscriptionIds,
        int itemCount,
        String body) {

    public enum Kind {
        /** change notifications to notificationUrl */
        NOTIFICATION,
        /** lifecycle notifications to lifecycleNotificationUrl */
        LIFECYCLE,
        /** the validation handshake on subscription create or update */
        VALIDATION
    }

    public enum Outcome {
        /** a 2xx in time (for VALIDATION: the echo was right) */
        DELIVERED,
        /** an answer that was not 2xx, or a 2xx that came too late, or a wrong echo */
        FAILED,
        /** no answer within the time allowed, or no connection */
        TIMED_OUT,
        /** chaos dropped it: never sent */
        DROPPED,
        /** the retry window is used up: Graph stops trying */
        GAVE_UP,
        /** the subscriptions of the batch are gone: retries stop */
        ABANDONED
    }

    public DeliveryRecord {
        subscriptionIds = List.copyOf(subscriptionIds);
    }

    public boolean delivered() {
        return outcome == Outcome.DELIVERED;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("sequence", sequence);
        n.put("kind", kind.name());
        n.put("deliveryId", deliveryId);
        n.put("url", url);
        n.put("attempt", attempt);
        n.put("duplicate", duplicate);
        n.put("sentAt", sentAt.toString());
        n.put("elapsedMillis", elapsedMillis);
        n.put("status", status);
        n.put("outcome", outcome.name());
        n.put("detail", detail);
        subscriptionIds.forEach(n.putArray("subscriptionIds")::add);
        n.put("itemCount", itemCount);
        n.put("body", body);
        return n;
    }
}
