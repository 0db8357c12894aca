package io.camelgraphteams.component.webhook;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.camelgraphteams.component.notification.BatchCheck;
import io.camelgraphteams.component.notification.BatchDelivery;
import io.camelgraphteams.component.notification.NotificationBatchProcessor;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.support.Deadline;
import io.camelgraphteams.component.support.LoggedValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph's answer to a POST on a consumer's paths, decided the same on every HTTP engine: what the headers alone earn
 * (503 while not accepting, 415, 413), then, for a body read within the limits, the batch checked on the intake
 * executor, admitted (or shed) against the backlog, opened on the workers and handed to {@link BatchDelivery}, whose
 * outcome is the answer: 202, or 503 so that Graph delivers the batch again. The engines' adapters
 * ({@link NotificationHttpRoutes} on Vert.x, {@link PlatformHttpWebhook} on any other platform-http engine) read the
 * request and send the answer, by the answer deadline.
 */
public final class BatchIntake {

    private static final Logger LOG = LoggerFactory.getLogger(BatchIntake.class);

    private final NotificationBatchProcessor processor;
    private final BatchDelivery delivery;
    private final Executor intake;
    private final NotificationCounters counters;
    private final UploadBudget budget;
    private final long maxBodySize;
    private final int maxPendingItems;
    private final Duration answerDeadline;
    // items admitted and not yet delivered: the backlog a new batch would wait behind
    private final AtomicInteger pendingItems = new AtomicInteger();
    // admitted by a host before the body was read, not yet claimed by the platform-http intake
    private final Map<String, UploadAdmission> admissions = new ConcurrentHashMap<>();
    private volatile boolean accepting;

    /**
     * @param intake          checks batches; small and separate from the workers, so a new batch is judged (and maybe
     *                        shed) at once instead of queueing behind the decryptions of earlier ones
     * @param budget          shared by every intake of the component
     * @param maxPendingItems past this backlog a batch is answered 503 at once
     * @param answerDeadline  Graph's answer is sent by then (Graph counts an answer past 2.9 s as slow)
     */
    public BatchIntake(NotificationBatchProcessor processor, BatchDelivery delivery, Executor intake,
                       NotificationCounters counters, UploadBudget budget, long maxBodySize, int maxPendingItems,
                       Duration answerDeadline) {
        this.processor = processor;
        this.delivery = delivery;
        this.intake = intake;
        this.counters = counters;
        this.budget = budget;
        this.maxBodySize = maxBodySize;
        this.maxPendingItems = maxPendingItems;
        this.answerDeadline = answerDeadline;
    }

    /** While false (before the paths are served, after they are released) every batch is answered 503. */
    void setAccepting(boolean accepting) {
        this.accepting = accepting;
    }

    NotificationCounters counters() {
        return counters;
    }

    UploadBudget budget() {
        return budget;
    }

    public long maxBodySize() {
        return maxBodySize;
    }

    Duration answerDeadline() {
        return answerDeadline;
    }

    /**
     * The answer a POST earns from its headers alone, before a byte of its body is read; null when its body is wanted.
     *
     * @param declaredLength the Content-Length, -1 when there is none
     */
    BatchResponse refusalByHeaders(String path, String contentType, long declaredLength) {
        if (!accepting) {
            return BatchResponse.UNAVAILABLE;
        }
        if (!isJson(contentType)) {
            counters.countBatchRefused();
            LOG.warn("Refused a POST to {} with content type '{}' (415)", LoggedValue.of(path),
                    LoggedValue.of(contentType));
            return BatchResponse.UNSUPPORTED_MEDIA_TYPE;
        }
        if (declaredLength > maxBodySize) {
            return tooLarge();
        }
        if (declaredLength > budget.largestAdmissible()) {
            // a 503 would be retried for hours to no end: this heap never holds it
            LOG.warn("Refused a POST of {} bytes to {}: more than the byte budget ({} bytes, maxInFlightBytes) can "
                     + "ever admit; raise the heap or maxInFlightBytes", declaredLength, LoggedValue.of(path),
                    budget.maxBytes());
            return tooLarge();
        }
        return null;
    }

    /**
     * Judges a POST from its headers before its body is read and, when its body is wanted, reserves its share of the
     * byte budget: the declared length, or maxBodySize for a chunked body (read up to that much, one byte more tells it
     * is too large).
     */
    public UploadAdmission admit(String path, String contentType, long declaredLength) {
        long arrived = System.nanoTime();
        BatchResponse refusal = refusalByHeaders(path, contentType, declaredLength);
        if (refusal != null) {
            return UploadAdmission.refused(refusal);
        }
        long limit = declaredLength >= 0 ? declaredLength : Math.min(maxBodySize, budget.largestAdmissible() - 1);
        long reserved = declaredLength >= 0 ? declaredLength : limit + 1;
        if (!budget.tryAcquire(reserved)) {
            LOG.debug("Shedding a POST of {} bytes: {} bytes in {} uploads already in flight", reserved,
                    budget.bytesInFlight(), budget.uploadsInFlight());
            return UploadAdmission.refused(shed());
        }
        String ticket = UUID.randomUUID().toString();
        UploadAdmission admission = UploadAdmission.admitted(ticket, reserved, limit, arrived, () -> {
            admissions.remove(ticket);
            budget.release(reserved);
        });
        admissions.put(ticket, admission);
        return admission;
    }

    /** The admission a ticket names, taken over by the caller (who then gives its budget back); null if none. */
    UploadAdmission claim(String ticket) {
        UploadAdmission admission = ticket == null ? null : admissions.remove(ticket);
        return admission != null && admission.claim() ? admission : null;
    }

    /** Counts and logs a body over maxBodySize; the answer is 413. */
    public BatchResponse tooLarge() {
        counters.countBatchRefused();
        LOG.warn("Refused a notification batch larger than maxBodySize {} bytes (413)", maxBodySize);
        return BatchResponse.TOO_LARGE;
    }

    /** Counts a POST turned away because the byte budget or the intake is full; the answer is 503. */
    BatchResponse shed() {
        counters.countBatchShed();
        return BatchResponse.OVERLOADED;
    }

    /**
     * Checks, admits and delivers one received body. Never completes exceptionally: an unexpected failure becomes 503,
     * so Graph retries instead of a request left hanging.
     *
     * @param answered true once the request was answered already (at the deadline): the batch is then not opened, as
     *                 Graph sends it again and opening it now would only compete with that copy
     */
    CompletableFuture<BatchResponse> deliver(byte[] body, Deadline deadline, BooleanSupplier answered) {
        try {
            return CompletableFuture.supplyAsync(() -> processor.check(body), intake)
                    .thenCompose(check -> answered.getAsBoolean()
                            ? CompletableFuture.completedFuture(BatchResponse.NOT_DELIVERED)
                            : admitAndDeliver(check, deadline))
                    .exceptionally(error -> {
                        LOG.error("Unexpected failure while processing a notification batch", error);
                        return BatchResponse.NOT_DELIVERED;
                    });
        } catch (RejectedExecutionException e) {
            LOG.warn("Intake saturated, answering 503 so Graph retries the batch");
            return CompletableFuture.completedFuture(shed());
        }
    }

    private CompletableFuture<BatchResponse> admitAndDeliver(BatchCheck check, Deadline deadline) {
        if (check.isRefused()) {
            if (check.refusal().retryable()) {
                counters.countBatchFailed();
            } else {
                counters.countBatchRefused();
            }
            return CompletableFuture.completedFuture(BatchResponse.of(check.refusal()));
        }
        // shed load early: a batch that would wait behind a long backlog is better answered 503 now (Graph retries)
        // than after the deadline
        int admitted = check.items().size();
        int pendingBefore = pendingItems.getAndAdd(admitted);
        if (pendingBefore > 0 && pendingBefore + admitted > maxPendingItems) {
            pendingItems.addAndGet(-admitted);
            LOG.debug("Shedding a batch of {} items: {} items already in progress (maxPendingNotifications {})",
                    admitted, pendingBefore, maxPendingItems);
            return CompletableFuture.completedFuture(shed());
        }
        CompletableFuture<BatchDelivery.Outcome> opened;
        try {
            opened = processor.open(check, deadline, delivery::deliver);
        } catch (RuntimeException e) {
            // the backlog it was counted into must not keep it for ever
            pendingItems.addAndGet(-admitted);
            throw e;
        }
        return opened
                .handle((outcome, error) -> {
                    pendingItems.addAndGet(-admitted);
                    if (error == null && outcome == BatchDelivery.Outcome.ACCEPTED) {
                        return BatchResponse.ACCEPTED;
                    }
                    if (error != null) {
                        LOG.error("Unexpected failure while delivering a notification batch", error);
                    }
                    return BatchResponse.NOT_DELIVERED;
                });
    }

    /** Counts the outcome answered to Graph (refusals and sheds were counted when decided). */
    void countAnswer(BatchResponse response) {
        if (response == BatchResponse.ACCEPTED) {
            counters.countBatchAccepted();
        } else if (response == BatchResponse.NOT_DELIVERED) {
            counters.countBatchFailed();
        }
    }

    /** Counts a batch answered 503 at the answer deadline, before its outcome. */
    void countAnsweredAtDeadline() {
        counters.countAnsweredAtDeadline();
        counters.countBatchFailed();
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    /** The declared Content-Length, or -1 when there is none (or it cannot be read: then the body is read to its end). */
    static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
