package io.camelgraphteams.emulator.delivery;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What the emulator sent, when, the status it got and the retries; keeps the most recent records only. */
public final class DeliveryLog {

    private final int capacity;
    private final Deque<DeliveryRecord> records = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    public DeliveryLog(int capacity) {
        this.capacity = capacity;
    }

    /** Appends a record (the delivery engine and the validation handshake write here). */
    public DeliveryRecord add(DeliveryRecord.Kind kind, String deliveryId, String url, int attempt, boolean duplicate,
            Instant sentAt, long elapsedMillis, int status, DeliveryRecord.Outcome outcome, String detail,
            List<String> subscriptionIds, int itemCount, String body) {
        DeliveryRecord record = new DeliveryRecord(sequence.incrementAndGet(), kind, deliveryId, url, attempt, duplicate,
                sentAt, elapsedMillis, status, outcome, detail, subscriptionIds, itemCount, body);
        synchronized (records) {
            records.addLast(record);
            while (records.size() > capacity) {
                records.removeFirst();
            }
        }
        return record;
    }

    public List<DeliveryRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    public List<DeliveryRecord> records(DeliveryRecord.Kind kind) {
        return records().stream().filter(r -> r.kind() == kind).toList();
    }

    public void clear() {
        synchronized (records) {
            records.clear();
        }
    }
}
