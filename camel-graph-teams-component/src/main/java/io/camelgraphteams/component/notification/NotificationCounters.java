package io.camelgraphteams.component.notification;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one consumer's intake, verification and delivery did, for health checks, the dev console and metrics. The
 * getters are the API; the {@code count...} methods are called by the stages that saw it happen.
 */
public final class NotificationCounters {

    private final AtomicLong handshakes = new AtomicLong();
    private final AtomicLong batchesAccepted = new AtomicLong();
    private final AtomicLong batchesRefused = new AtomicLong();
    private final AtomicLong batchesFailed = new AtomicLong();
    private final AtomicLong batchesShed = new AtomicLong();
    private final AtomicLong itemsReceived = new AtomicLong();
    private final AtomicLong itemsForwarded = new AtomicLong();
    private final AtomicLong itemsFailed = new AtomicLong();
    private final AtomicLong lifecycleEvents = new AtomicLong();
    private final AtomicLong droppedClientState = new AtomicLong();
    private final AtomicLong droppedMisaddressed = new AtomicLong();
    private final AtomicLong droppedUndecryptable = new AtomicLong();
    private final AtomicLong droppedEnvelopeMismatch = new AtomicLong();
    private final AtomicLong droppedWithoutContent = new AtomicLong();
    private final AtomicLong answeredAtDeadline = new AtomicLong();

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

    /** Items whose envelope (resource, changeType) disagrees with their content: edited or forged. */
    public long droppedEnvelopeMismatch() {
        return droppedEnvelopeMismatch.get();
    }

    /**
     * Items of a resource-data endpoint that came without encryptedContent and could not be fetched from Graph (no
     * credentials, or Graph no longer has the message): never routed as content.
     */
    public long droppedWithoutContent() {
        return droppedWithoutContent.get();
    }

    /** Batches answered 503 at the answer deadline because their exchanges had not completed yet. */
    public long answeredAtDeadline() {
        return answeredAtDeadline.get();
    }

    public void countHandshake() {
        handshakes.incrementAndGet();
    }

    public void countBatchAccepted() {
        batchesAccepted.incrementAndGet();
    }

    public void countBatchRefused() {
        batchesRefused.incrementAndGet();
    }

    public void countBatchFailed() {
        batchesFailed.incrementAndGet();
    }

    public void countBatchShed() {
        batchesShed.incrementAndGet();
    }

    public void countItemsReceived(int items) {
        itemsReceived.addAndGet(items);
    }

    public void countItemForwarded() {
        itemsForwarded.incrementAndGet();
    }

    public void countItemFailed() {
        itemsFailed.incrementAndGet();
    }

    public void countLifecycleEvent() {
        lifecycleEvents.incrementAndGet();
    }

    public void countDroppedClientState() {
        droppedClientState.incrementAndGet();
    }

    public void countDroppedMisaddressed() {
        droppedMisaddressed.incrementAndGet();
    }

    public void countDroppedUndecryptable() {
        droppedUndecryptable.incrementAndGet();
    }

    public void countDroppedEnvelopeMismatch() {
        droppedEnvelopeMismatch.incrementAndGet();
    }

    public void countDroppedWithoutContent() {
        droppedWithoutContent.incrementAndGet();
    }

    public void countAnsweredAtDeadline() {
        answeredAtDeadline.incrementAndGet();
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
        map.put("droppedEnvelopeMismatch", droppedEnvelopeMismatch());
        map.put("droppedWithoutContent", droppedWithoutContent());
        map.put("answeredAtDeadline", answeredAtDeadline());
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
