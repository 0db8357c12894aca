package io.camelgraphteams.faults.support;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.teams.ChatMessage;
import org.slf4j.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the emulator, as Graph, did with the change notifications: read from its delivery log. Each delivery (one
 * POST body) has a record per attempt; a failed attempt is followed by a retry unless the retry window is used up or
 * the subscriptions are gone.
 */
public final class Deliveries {

    private static final Set<DeliveryRecord.Outcome> FINAL = Set.of(DeliveryRecord.Outcome.DELIVERED,
            DeliveryRecord.Outcome.DROPPED, DeliveryRecord.Outcome.GAVE_UP, DeliveryRecord.Outcome.ABANDONED);

    private final GraphEmulator emulator;

    public Deliveries(GraphEmulator emulator) {
        this.emulator = emulator;
    }

    /** Notification records (attempts and chaos duplicates), oldest first. */
    public List<DeliveryRecord> notifications() {
        return emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION);
    }

    /** Deliveries whose last attempt failed and that Graph is going to retry. */
    public long awaitingRetry() {
        Map<String, DeliveryRecord> last = notifications().stream().filter(r -> !r.duplicate())
                .collect(Collectors.toMap(DeliveryRecord::deliveryId, r -> r,
                        (a, b) -> Comparator.comparingLong(DeliveryRecord::sequence).compare(a, b) >= 0 ? a : b));
        return last.values().stream().filter(r -> !FINAL.contains(r.outcome())).count();
    }

    /** Attempts the consumer did not acknowledge (a status other than 2xx, a timeout). */
    public long failedAttempts() {
        return notifications().stream().filter(r -> !r.duplicate())
                .filter(r -> r.outcome() == DeliveryRecord.Outcome.FAILED
                             || r.outcome() == DeliveryRecord.Outcome.TIMED_OUT).count();
    }

    /** Attempts answered 2xx after Graph's delivery timeout (3 s): Graph counts them as failed and sends them again. */
    public long lateAcknowledgements() {
        return notifications().stream().filter(r -> !r.duplicate())
                .filter(r -> r.status() >= 200 && r.status() < 300 && r.outcome() != DeliveryRecord.Outcome.DELIVERED)
                .count();
    }

    /**
     * Attempts answered (or not answered at all) after 2,900 ms, which Graph counts as slow: more than 10 % of them
     * throttle the endpoint, 15 % drop its notifications.
     */
    public List<DeliveryRecord> slowAnswers() {
        return notifications().stream().filter(r -> !r.duplicate() && r.outcome() != DeliveryRecord.Outcome.DROPPED)
                .filter(r -> r.status() == 0 || r.elapsedMillis() > 2900).toList();
    }

    /**
     * Asserts the consumer was never late as Graph counts it: no answer past 2,900 ms, and the emulator's judgement of
     * every notification URL clean (Graph throttles, then drops, an endpoint with too many slow answers). Logs the
     * figures first.
     */
    public void assertNeverSlow(Logger log) {
        log.info("Answers past 2,900 ms: {} of {}; slowest answer {} ms", slowAnswers().size(), notifications().size(),
                notifications().stream().mapToLong(DeliveryRecord::elapsedMillis).max().orElse(0));
        assertThat(slowAnswers()).as("answers Graph counts as slow").isEmpty();
        assertThat(emulator.endpointJudgements())
                .allSatisfy(judgement -> assertThat(judgement.isClean()).as(judgement.toString()).isTrue());
    }

    /** Attempts answered with this HTTP status. */
    public long answered(int status) {
        return notifications().stream().filter(r -> r.status() == status).count();
    }

    public List<DeliveryRecord> dropped() {
        return notifications().stream().filter(r -> r.outcome() == DeliveryRecord.Outcome.DROPPED).toList();
    }

    public List<DeliveryRecord> duplicates() {
        return notifications().stream().filter(DeliveryRecord::duplicate).toList();
    }

    /** Whether some notification POST (sent or dropped) carried this version. */
    public static boolean carries(DeliveryRecord record, ChatMessage version) {
        // the resource reference is outside encryptedContent; a version is one change of the message
        return record.body() != null && record.body().contains("messages('" + version.id() + "')");
    }

    /**
     * The messages of {@code posted} that no attempt ever reached the consumer with: only dropped, or never sent (no
     * subscription at the time). Matched by message id: meant for traffic without edits.
     */
    public List<ChatMessage> neverSent(List<ChatMessage> posted) {
        List<DeliveryRecord> sent = notifications().stream()
                .filter(r -> r.outcome() != DeliveryRecord.Outcome.DROPPED).toList();
        return posted.stream().filter(m -> sent.stream().noneMatch(r -> carries(r, m))).toList();
    }

    /** The highest attempt number of any delivery. */
    public int maxAttempt() {
        return notifications().stream().mapToInt(DeliveryRecord::attempt).max().orElse(0);
    }
}
