package io.camelgraphteams.component.webhook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.component.crypto.ContentSignatureException;
import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.crypto.MalformedContentException;
import io.camelgraphteams.component.crypto.NotificationDecryptor;
import io.camelgraphteams.component.crypto.UnknownCertificateException;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.security.ClientStateCheck;
import io.camelgraphteams.component.security.InvalidValidationTokenException;
import io.camelgraphteams.component.security.ValidationTokenVerifier;
import io.camelgraphteams.component.security.VerifiedValidationToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the body of one POST from Graph into verified notifications and hands them to the route. Knows nothing of
 * HTTP: the web layer calls {@link #process(byte[])} on a worker thread and writes the {@link BatchResponse}.
 * <p>
 * Order of checks: shape (400) → validation tokens (401, or 503 when the signing keys cannot be fetched) → per item
 * clientState, tenant and scope (mismatching items dropped) → decryption keys for every item (503 before anything is
 * forwarded) → per item, in parallel: HMAC then AES (mismatching items dropped) → route. 202 once every exchange has
 * completed, 503 if any failed.
 */
public final class NotificationBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationBatchProcessor.class);

    /** Hands a verified notification to the route; the future fails when the exchange failed. */
    @FunctionalInterface
    public interface Forwarder {
        CompletableFuture<Void> forward(ReceivedNotification notification);
    }

    private final NotificationBatchParser parser;
    private final ValidationTokenVerifier tokenVerifier;
    private final NotificationDecryptor decryptor;
    private final ClientStateCheck clientState;
    private final GraphResource scope;
    private final Set<String> allowedTenantIds;
    private final LifecycleEventListener lifecycleListener;
    private final boolean forwardLifecycleEvents;
    private final Forwarder forwarder;
    private final Executor executor;
    private final NotificationCounters counters;
    private final int maxPendingItems;
    // an endpoint with resource data accepts change items only under a valid token, encrypted or not
    private final boolean changesNeedTokens;
    // GETs the message of an item without resource data; null: the item's resourceData reference is forwarded
    private MessageFetcher fetcher;
    // items handed to the workers and not yet completed: the backlog a new batch would wait behind
    private final AtomicInteger pendingItems = new AtomicInteger();

    public NotificationBatchProcessor(NotificationBatchParser parser, ValidationTokenVerifier tokenVerifier,
                                      NotificationDecryptor decryptor, ClientStateCheck clientState, GraphResource scope,
                                      Set<String> allowedTenantIds, LifecycleEventListener lifecycleListener,
                                      boolean forwardLifecycleEvents, Forwarder forwarder, Executor executor,
                                      NotificationCounters counters, int maxPendingItems, boolean changesNeedTokens) {
        this.parser = parser;
        this.tokenVerifier = tokenVerifier;
        this.decryptor = decryptor;
        this.clientState = clientState;
        this.scope = scope;
        this.allowedTenantIds = allowedTenantIds.stream().map(NotificationBatchProcessor::tenantKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.lifecycleListener = lifecycleListener;
        this.forwardLifecycleEvents = forwardLifecycleEvents;
        this.forwarder = forwarder;
        this.executor = executor;
        this.counters = counters;
        this.maxPendingItems = maxPendingItems;
        this.changesNeedTokens = changesNeedTokens;
    }

    /** Fetches the message of each change item without encrypted content (includeResourceData=false). */
    public NotificationBatchProcessor withFetcher(MessageFetcher fetcher) {
        this.fetcher = fetcher;
        return this;
    }

    public NotificationCounters counters() {
        return counters;
    }

    /** Verifies and forwards one batch. Never completes exceptionally. */
    public CompletableFuture<BatchResponse> process(byte[] body) {
        NotificationBatch batch;
        try {
            batch = parser.parse(body);
        } catch (MalformedBatchException e) {
            LOG.warn("Refused a notification batch (400): {}", e.getMessage());
            return refused(BatchResponse.MALFORMED);
        }
        counters.itemsReceived.addAndGet(batch.items().size());

        Set<String> vouchedTenants;
        try {
            vouchedTenants = verifyTokens(batch);
        } catch (InvalidValidationTokenException e) {
            if (e.isKeySourceFailure()) {
                LOG.warn("Could not verify validation tokens, answering 503 so Graph retries: {}", e.getMessage());
                counters.batchesFailed.incrementAndGet();
                return CompletableFuture.completedFuture(BatchResponse.KEYS_UNAVAILABLE);
            }
            LOG.warn("Refused a notification batch of {} items (401): {}", batch.items().size(), e.getMessage());
            return refused(BatchResponse.TOKEN_INVALID);
        }
        if (vouchedTenants == null) {
            LOG.warn("Refused a notification batch of {} items (401): validationTokens missing", batch.items().size());
            return refused(BatchResponse.TOKENS_MISSING);
        }
        for (ChangeNotification item : batch.items()) {
            if (needsToken(item) && !vouchedTenants.contains(tenantKey(item.tenantId()))) {
                LOG.warn("Refused a notification batch (401): no validation token vouches for tenant {}",
                        ChangeNotification.loggable(item.tenantId()));
                return refused(BatchResponse.TOKEN_INVALID);
            }
        }

        List<AcceptedItem> accepted = new ArrayList<>(batch.items().size());
        for (ChangeNotification item : batch.items()) {
            AcceptedItem acceptedItem = accept(item);
            if (acceptedItem == null) {
                continue;
            }
            if (item.hasEncryptedContent()) {
                try {
                    acceptedItem = acceptedItem.decryptedWith(decryptor.resolveKey(item.encryptedContent()));
                } catch (UnknownCertificateException e) {
                    LOG.warn("No decryption key for encryptionCertificateId '{}' (thumbprint {}), answering 503 so "
                             + "Graph retries; add the key to keyStore/certificateId",
                            e.getCertificateId(), e.getThumbprint());
                    counters.batchesFailed.incrementAndGet();
                    return CompletableFuture.completedFuture(BatchResponse.UNKNOWN_CERTIFICATE);
                }
            }
            accepted.add(acceptedItem);
        }

        // shed load early: a batch that would wait behind a long backlog is better answered 503 now (Graph retries)
        // than 202 after Graph's 3 seconds, which marks the endpoint slow and then drops notifications
        int admitted = accepted.size();
        int pendingBefore = pendingItems.getAndAdd(admitted);
        if (pendingBefore > 0 && pendingBefore + admitted > maxPendingItems) {
            pendingItems.addAndGet(-admitted);
            counters.batchesShed.incrementAndGet();
            LOG.debug("Shedding a batch of {} items: {} items already in progress (maxPendingNotifications {})",
                    admitted, pendingBefore, maxPendingItems);
            return CompletableFuture.completedFuture(BatchResponse.OVERLOADED);
        }
        List<CompletableFuture<Boolean>> outcomes = new ArrayList<>(accepted.size());
        for (AcceptedItem item : accepted) {
            outcomes.add(deliver(item));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> {
                    pendingItems.addAndGet(-admitted);
                    boolean allDelivered = error == null && outcomes.stream().allMatch(CompletableFuture::join);
                    if (allDelivered) {
                        counters.batchesAccepted.incrementAndGet();
                        return BatchResponse.ACCEPTED;
                    }
                    counters.batchesFailed.incrementAndGet();
                    return BatchResponse.NOT_DELIVERED;
                });
    }

    private CompletableFuture<BatchResponse> refused(BatchResponse response) {
        counters.batchesRefused.incrementAndGet();
        return CompletableFuture.completedFuture(response);
    }

    /**
     * @return the tenants the batch's tokens vouch for; null when encrypted content came without any token
     */
    private Set<String> verifyTokens(NotificationBatch batch) throws InvalidValidationTokenException {
        if (batch.validationTokens().isEmpty()) {
            return batch.items().stream().anyMatch(this::needsToken) ? null : Set.of();
        }
        if (tokenVerifier == null) {
            throw new InvalidValidationTokenException("validation tokens cannot be checked without the clientId option");
        }
        // every token present must be valid, even if no item needs it: a forged token means a forged batch
        Set<String> tenants = new HashSet<>();
        for (String token : batch.validationTokens()) {
            VerifiedValidationToken verified = tokenVerifier.verify(token);
            tenants.add(tenantKey(verified.tenantId()));
        }
        return tenants;
    }

    private boolean needsToken(ChangeNotification item) {
        return item.hasEncryptedContent() || (changesNeedTokens && !item.isLifecycleEvent());
    }

    /** Tenant ids are GUIDs: compared without regard to case. */
    private static String tenantKey(String tenantId) {
        return tenantId == null ? "" : tenantId.toLowerCase(java.util.Locale.ROOT);
    }

    /** An item that passed the per-item checks; key is the decryption key of an encrypted item, resolved up front. */
    private record AcceptedItem(ChangeNotification item, NotifiedResource notified, DecryptionKey key) {

        AcceptedItem decryptedWith(DecryptionKey decryptionKey) {
            return new AcceptedItem(item, notified, decryptionKey);
        }
    }

    /** Per-item checks that drop a single item without failing the batch. */
    private AcceptedItem accept(ChangeNotification item) {
        if (!clientState.matches(item.clientState())) {
            counters.droppedClientState.incrementAndGet();
            LOG.warn("Dropped a notification whose clientState does not match ({})", item.describe());
            return null;
        }
        if (!allowedTenantIds.isEmpty() && !allowedTenantIds.contains(tenantKey(item.tenantId()))) {
            counters.droppedMisaddressed.incrementAndGet();
            LOG.warn("Dropped a notification from a tenant not in allowedTenantIds ({})", item.describe());
            return null;
        }
        if (item.isLifecycleEvent()) {
            return new AcceptedItem(item, null, null);
        }
        NotifiedResource notified = NotifiedResource.parse(item.resource()).orElse(null);
        if (notified == null || !scope.covers(notified)) {
            counters.droppedMisaddressed.incrementAndGet();
            LOG.warn("Dropped a notification outside this endpoint's resource {} ({})", scope, item.describe());
            return null;
        }
        return new AcceptedItem(item, notified, null);
    }

    /** Completes with true when the item was delivered or deliberately dropped, false when Graph should retry. */
    private CompletableFuture<Boolean> deliver(AcceptedItem accepted) {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        try {
            // decryption and the hand-off to the route run in one worker task, never on the intake thread
            executor.execute(() -> {
                try {
                    ReceivedNotification received = prepare(accepted);
                    if (received == null || (received.item().isLifecycleEvent() && !forwardLifecycleEvents)) {
                        outcome.complete(true);
                        return;
                    }
                    forwarder.forward(received).whenComplete((done, error) -> {
                        if (error == null) {
                            counters.itemsForwarded.incrementAndGet();
                            outcome.complete(true);
                        } else {
                            notDelivered(accepted, error, outcome);
                        }
                    });
                } catch (RuntimeException e) {
                    notDelivered(accepted, e, outcome);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Worker pool saturated; answering 503 so Graph retries ({})", accepted.item().describe());
            counters.itemsFailed.incrementAndGet();
            outcome.complete(false);
        }
        return outcome;
    }

    private void notDelivered(AcceptedItem accepted, Throwable error, CompletableFuture<Boolean> outcome) {
        counters.itemsFailed.incrementAndGet();
        LOG.warn("Notification not delivered, Graph will redeliver the batch ({}): {}", accepted.item().describe(),
                rootMessage(error));
        outcome.complete(false);
    }

    /** Runs on a worker: lifecycle listener or decryption. Returns null for an item to drop. */
    private ReceivedNotification prepare(AcceptedItem accepted) {
        ChangeNotification item = accepted.item();
        if (item.isLifecycleEvent()) {
            counters.lifecycleEvents.incrementAndGet();
            LOG.info("Lifecycle notification {} for subscription {}", ChangeNotification.loggable(item.lifecycleEvent()),
                    ChangeNotification.loggable(item.subscriptionId()));
            try {
                lifecycleListener.onLifecycleEvent(item);
            } catch (Exception e) {
                throw new IllegalStateException("lifecycle listener failed: " + e.getMessage(), e);
            }
            // the item itself is the body only when lifecycle events are forwarded to the route
            return new ReceivedNotification(item, null, forwardLifecycleEvents ? item.raw().toString() : null, false);
        }
        if (!item.hasEncryptedContent()) {
            if (fetcher != null) {
                String fetched = fetch(item);
                if (fetched != null) {
                    return new ReceivedNotification(item, accepted.notified(), fetched, true);
                }
            }
            String body = item.resourceData() != null ? item.resourceData().toString() : "{}";
            return new ReceivedNotification(item, accepted.notified(), body, false);
        }
        try {
            byte[] plain = decryptor.decrypt(item.encryptedContent(), accepted.key());
            return new ReceivedNotification(item, accepted.notified(), new String(plain, StandardCharsets.UTF_8), true);
        } catch (ContentSignatureException e) {
            counters.droppedUndecryptable.incrementAndGet();
            LOG.warn("Dropped a notification whose dataSignature does not match its data ({})", item.describe());
            return null;
        } catch (MalformedContentException e) {
            counters.droppedUndecryptable.incrementAndGet();
            LOG.warn("Dropped a notification whose encryptedContent cannot be decrypted ({}): {}", item.describe(),
                    e.getMessage());
            return null;
        }
    }

    private String fetch(ChangeNotification item) {
        try {
            String body = fetcher.fetch(item);
            if (body == null) {
                LOG.warn("Graph no longer has the message of a notification; forwarding its reference ({})",
                        item.describe());
            }
            return body;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting the message from Graph", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not get the message from Graph: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }
}
