package io.camelgraphteams.component.webhook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the consumer's HTTP paths did, for health checks, the dev console and metrics.
 */
public final class NotificationCounters {

    final AtomicLong handshakes = new AtomicLong();
    final AtomicLong batchesAccepted = new AtomicLong();
    final AtomicLong batchesRefused = new AtomicLong();
    final AtomicLong batchesFailed = new AtomicLong();
    final AtomicLong batchesShed = new AtomicLong();
    final AtomicLong itemsReceived = new AtomicLong();
    final AtomicLong itemsForwarded = new AtomicLong();
    final AtomicLong itemsFailed = new AtomicLong();
    final AtomicLong lifecycleEvents = new AtomicLong();
    final AtomicLong droppedClientState = new AtomicLong();
    final AtomicLong droppedMisaddressed = new AtomicLong();
    final AtomicLong droppedUndecryptable = new AtomicLong();

    public long handshakes() {
        return handshakes.get();
    }

    public long batchesAccepted() {
        return batchesAccepted.get();
    }

    /** Batches answered 4xx: malformed, oversized, wrong content type, missing or invalid tokens. */
    public long batchesRefused() {
        return batchesRefused.get();
    }

    /** Batches answered 5xx so Graph retries them. */
    public long batchesFailed() {
        return batchesFailed.get();
    }

    /** Batches answered 503 at once because too many notifications were already in progress (maxPendingNotifications). */
    public long batchesShed() {
        return batchesShed.get();
    }

    public long itemsReceived() {
        return itemsReceived.get();
    }

    public long itemsForwarded() {
        return itemsForwarded.get();
    }

    public long itemsFailed() {
        return itemsFailed.get();
    }

    public long lifecycleEvents() {
        return lifecycleEvents.get();
    }

    public long droppedClientState() {
        return droppedClientState.get();
    }

    public long droppedMisaddressed() {
        return droppedMisaddressed.get();
    }

    /** Items whose signature did not match or whose content could not be decrypted. */
    public long droppedUndecryptable() {
        return droppedUndecryptable.get();
    }

    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("handshakes", handshakes());
        map.put("batchesAccepted", batchesAccepted());
        map.put("batchesRefused", batchesRefused());
        map.put("batchesFailed", batchesFailed());
        map.put("batchesShed", batchesShed());
        map.put("itemsReceived", itemsReceived());
        map.put("itemsForwarded", itemsForwarded());
        map.put("itemsFailed", itemsFailed());
        map.put("lifecycleEvents", lifecycleEvents());
        map.put("droppedClientState", droppedClientState());
        map.put("droppedMisaddressed", droppedMisaddressed());
        map.put("droppedUndecryptable", droppedUndecryptable());
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
