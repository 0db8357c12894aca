package io.camelgraphteams.component.notification;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.crypto.ContentSignatureException;
import io.camelgraphteams.component.crypto.MalformedContentException;
import io.camelgraphteams.component.crypto.NotificationDecryptor;
import io.camelgraphteams.component.crypto.UnknownCertificateException;
import io.camelgraphteams.component.notification.BatchCheck.AcceptedItem;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.security.ClientStateCheck;
import io.camelgraphteams.component.security.InvalidValidationTokenException;
import io.camelgraphteams.component.security.ValidationTokenVerifier;
import io.camelgraphteams.component.security.VerifiedValidationToken;
import io.camelgraphteams.component.support.Deadline;
import io.camelgraphteams.component.support.Failures;
import io.camelgraphteams.component.support.FanOut;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies and opens what Graph sent, for any intake. Knows nothing of HTTP or Kafka.
 * <ol>
 * <li>{@link #check(byte[])}, cheap, on the intake's thread: shape (else {@link Refusal#MALFORMED}) → validation tokens
 * ({@link Refusal#TOKEN_INVALID}, {@link Refusal#TOKENS_MISSING}, or {@link Refusal#KEYS_UNAVAILABLE} when the signing
 * keys cannot be fetched) → per item clientState, tenant and scope (a mismatching item is dropped) → a decryption key
 * for every encrypted item ({@link Refusal#UNKNOWN_CERTIFICATE} before anything is decrypted).</li>
 * <li>{@link #open(BatchCheck)}, spread over the workers: per item HMAC then AES (an item that fails is dropped), or
 * the GET of a notification without resource data.</li>
 * </ol>
 */
public final class NotificationBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationBatchProcessor.class);
    // a batch without validation tokens (no resource data) has no token life: its keys are kept this long
    private static final Duration UNVOUCHED_REPLAY_WINDOW = Duration.ofHours(1);

    private final NotificationBatchParser parser;
    private final ValidationTokenVerifier tokenVerifier;
    private final NotificationDecryptor decryptor;
    private final ClientStateCheck clientState;
    private final AcceptanceRules rules;
    private final Set<String> allowedTenantIds;
    private final MessageFetcher fetcher;
    private final Executor workers;
    private final int parallelism;
    private final NotificationCounters counters;
    private final ClientStateAlarm alarm;
    private final ExceptionHandler errors;
    private final Clock clock;
    private final AtomicBoolean tokensNullExplained = new AtomicBoolean();

    /**
     * @param tokenVerifier null when no clientId is configured: a batch that carries tokens is then refused
     * @param fetcher       GETs a message from Graph (an item without resource data or content, verifyByGet); null
     *                      when the endpoint has no credentials
     * @param parallelism   how many worker tasks one batch is spread over
     * @param errors        told when Graph could not be asked for a message (the batch is retried)
     */
    public NotificationBatchProcessor(NotificationBatchParser parser, ValidationTokenVerifier tokenVerifier,
                                      NotificationDecryptor decryptor, ClientStateCheck clientState,
                                      AcceptanceRules rules, MessageFetcher fetcher, Executor workers, int parallelism,
                                      NotificationCounters counters, ClientStateAlarm alarm, ExceptionHandler errors,
                                      Clock clock) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.tokenVerifier = tokenVerifier;
        this.decryptor = Objects.requireNonNull(decryptor, "decryptor");
        this.clientState = Objects.requireNonNull(clientState, "clientState");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.allowedTenantIds = rules.allowedTenantIds().stream().map(NotificationBatchProcessor::tenantKey)
                .collect(Collectors.toUnmodifiableSet());
        this.fetcher = fetcher;
        this.workers = Objects.requireNonNull(workers, "workers");
        this.parallelism = parallelism;
        this.counters = Objects.requireNonNull(counters, "counters");
        this.alarm = Objects.requireNonNull(alarm, "alarm");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public NotificationCounters counters() {
        return counters;
    }

    /** Parses the batch and runs every check that needs no decryption. */
    public BatchCheck check(byte[] body) {
        NotificationBatch batch;
        try {
            batch = parser.parse(body);
        } catch (MalformedBatchException e) {
            LOG.warn("Refused a notification batch: {}", e.getMessage());
            return BatchCheck.refused(Refusal.MALFORMED);
        }
        counters.countItemsReceived(batch.items().size());

        Vouching vouching;
        try {
            vouching = verifyTokens(batch);
        } catch (InvalidValidationTokenException e) {
            if (e.isKeySourceFailure()) {
                LOG.warn("Could not verify validation tokens, the batch is to be retried: {}", e.getMessage());
                return BatchCheck.refused(Refusal.KEYS_UNAVAILABLE);
            }
            LOG.warn("Refused a notification batch of {} items: {}", batch.items().size(), e.getMessage());
            return BatchCheck.refused(Refusal.TOKEN_INVALID);
        }
        if (vouching == null) {
            if (batch.validationTokensNull() && tokensNullExplained.compareAndSet(false, true)) {
                // said once: the fix is in the tenant, and every batch of Graph's will look the same until it is made
                LOG.warn("Graph sent a batch with validationTokens: null, which it does when the app's service "
                         + "principal has appRoleAssignmentRequired set: set it to false (Enterprise applications, "
                         + "Properties, Assignment required: No), or assign the Microsoft Graph Change Tracking service "
                         + "principal (appId 0bf30f3b-4a52-48df-9a82-234910c4a086) an app role of this app. Until then "
                         + "every resource-data batch is refused (401)");
            }
            LOG.warn("Refused a notification batch of {} items: validationTokens missing", batch.items().size());
            return BatchCheck.refused(Refusal.TOKENS_MISSING);
        }
        for (ChangeNotification item : batch.items()) {
            if (needsToken(item) && !vouching.tenants().contains(tenantKey(item.tenantId()))) {
                LOG.warn("Refused a notification batch: no validation token vouches for tenant {}",
                        LoggedValue.of(item.tenantId()));
                return BatchCheck.refused(Refusal.TOKEN_INVALID);
            }
        }

        List<AcceptedItem> accepted = new ArrayList<>(batch.items().size());
        int clientStateFailures = 0;
        for (ChangeNotification item : batch.items()) {
            if (!clientState.matches(item.clientState())) {
                clientStateFailures++;
                counters.countDroppedClientState();
                LOG.warn("Dropped a notification whose clientState does not match ({})", item.describe());
                continue;
            }
            AcceptedItem acceptedItem = accept(item);
            if (acceptedItem == null) {
                continue;
            }
            if (item.hasEncryptedContent()) {
                try {
                    acceptedItem = new AcceptedItem(item, acceptedItem.notified(),
                            decryptor.resolveKey(item.encryptedContent()));
                } catch (UnknownCertificateException e) {
                    LOG.warn("No decryption key for encryptionCertificateId '{}' (thumbprint {}), the batch is to be "
                             + "retried; add the key to keyStore/certificateId",
                            LoggedValue.of(e.getCertificateId()), LoggedValue.of(e.getThumbprint()));
                    return BatchCheck.refused(Refusal.UNKNOWN_CERTIFICATE);
                }
            }
            accepted.add(acceptedItem);
        }
        alarm.checked(vouching.verified(), batch.validationTokens(), batch.items(), clientStateFailures);
        return BatchCheck.passed(accepted, vouching.replayableUntil().plus(rules.clockSkew()));
    }

    /**
     * Decrypts (or fetches) the content of every accepted item on the workers. Never completes exceptionally: an item
     * whose content cannot be obtained now is counted in {@link VerifiedBatch#unopened()}.
     */
    public CompletableFuture<VerifiedBatch> open(BatchCheck check) {
        return open(check, Deadline.none(), CompletableFuture::completedFuture);
    }

    /**
     * As {@link #open(BatchCheck)}, then hands the opened batch to {@code then} on the worker that opened its last
     * item, so what follows (delivery) starts at once and never on the calling intake thread. An item not yet opened
     * when the deadline passes is left unopened (Graph has had its 503 and sends the batch again), and a GET of a
     * message never runs past it.
     */
    public <T> CompletableFuture<T> open(BatchCheck check, Deadline deadline,
                                         Function<VerifiedBatch, CompletableFuture<T>> then) {
        List<AcceptedItem> items = check.items();
        ReceivedNotification[] opened = new ReceivedNotification[items.size()];
        AtomicInteger unopened = new AtomicInteger();
        return FanOut.spread(workers, items.size(), parallelism, i -> {
            AcceptedItem item = items.get(i);
            if (deadline.hasPassed()) {
                unopened.incrementAndGet();
                return;
            }
            try {
                opened[i] = item.item().isLifecycleEvent()
                        // nothing to decrypt: the item is its own content
                        ? new ReceivedNotification(item.item(), null, null, false)
                        : openOne(item, deadline);
            } catch (RuntimeException e) {
                notOpened(item, e, unopened);
            }
        }, i -> {
            LOG.warn("Worker pool saturated; the batch is to be retried ({})", items.get(i).item().describe());
            unopened.incrementAndGet();
            counters.countItemFailed();
        }, () -> {
            List<ReceivedNotification> notifications = new ArrayList<>(opened.length);
            for (ReceivedNotification notification : opened) {
                if (notification != null) {
                    notifications.add(notification);
                }
            }
            return then.apply(new VerifiedBatch(notifications, unopened.get(), check.keepKeysUntil()));
        });
    }

    /** Graph's reference to the message, rebuilt from the notification's resource. */
    static String reference(NotifiedResource message) {
        ObjectNode reference = JsonNodeFactory.instance.objectNode();
        reference.put("@odata.type", "#Microsoft.Graph.chatMessage");
        if (message != null) {
            reference.put("@odata.id", message.toResourcePath());
            reference.put("id", message.effectiveMessageId());
        }
        return reference.toString();
    }

    private void notOpened(AcceptedItem item, RuntimeException e, AtomicInteger unopened) {
        unopened.incrementAndGet();
        counters.countItemFailed();
        errors.handleException("Notification not delivered, Graph is to redeliver the batch ("
                               + item.item().describe() + "): " + Failures.rootMessage(e), e);
    }

    /** Runs on a worker. Returns null for an item to drop. */
    private ReceivedNotification openOne(AcceptedItem accepted, Deadline deadline) {
        ChangeNotification item = accepted.item();
        if (rules.verifyByGet() || (rules.includeResourceData() && !item.hasEncryptedContent())) {
            // Graph's own copy: what it says about the message is true whatever the notification claims
            String fetched = fetcher != null ? fetch(item, deadline) : null;
            if (fetched == null) {
                counters.countDroppedWithoutContent();
                LOG.warn("Dropped a notification {}: Graph {} the message", fetcher == null
                        ? "without encryptedContent on a resource-data endpoint without Graph credentials to get"
                        : "whose message Graph no longer has; no copy of", item.describe());
                return null;
            }
            return ReceivedNotification.fetched(item, accepted.notified(), fetched);
        }
        if (!item.hasEncryptedContent()) {
            if (fetcher != null) {
                String fetched = fetch(item, deadline);
                if (fetched != null) {
                    return ReceivedNotification.fetched(item, accepted.notified(), fetched);
                }
                LOG.warn("Graph no longer has the message of a notification; forwarding its reference ({})",
                        item.describe());
            }
            // the posted resourceData is unsigned and could hold anything: only the ids it must hold are forwarded
            return new ReceivedNotification(item, accepted.notified(), reference(accepted.notified()), false);
        }
        try {
            byte[] plain = decryptor.decrypt(item.encryptedContent(), accepted.key());
            return new ReceivedNotification(item, accepted.notified(), new String(plain, StandardCharsets.UTF_8), true,
                    plain);
        } catch (ContentSignatureException e) {
            counters.countDroppedUndecryptable();
            LOG.warn("Dropped a notification whose dataSignature does not match its data ({})", item.describe());
            return null;
        } catch (MalformedContentException e) {
            counters.countDroppedUndecryptable();
            LOG.warn("Dropped a notification whose encryptedContent cannot be decrypted ({}): {}", item.describe(),
                    e.getMessage());
            return null;
        }
    }

    /** Graph's copy of the item's message, or null when Graph no longer has it. */
    private String fetch(ChangeNotification item, Deadline deadline) {
        try {
            return fetcher.fetch(item, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting the message from Graph", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not get the message from Graph: " + e.getMessage(), e);
        }
    }

    /**
     * What the batch's validation tokens vouch for.
     *
     * @param tenants         the tenants they vouch for (case-folded)
     * @param verified        whether there were tokens and all verified
     * @param replayableUntil until when a copy of this batch could be replayed: the latest expiry among its tokens,
     *                        or for a batch without tokens (no resource data) the default window
     */
    private record Vouching(Set<String> tenants, boolean verified, Instant replayableUntil) {
    }

    /** @return null when encrypted content (or, with resource data, any change) came without any token */
    private Vouching verifyTokens(NotificationBatch batch) throws InvalidValidationTokenException {
        if (batch.validationTokens().isEmpty()) {
            return batch.items().stream().anyMatch(this::needsToken) ? null
                    : new Vouching(Set.of(), false, clock.instant().plus(UNVOUCHED_REPLAY_WINDOW));
        }
        if (tokenVerifier == null) {
            throw new InvalidValidationTokenException("validation tokens cannot be checked without the clientId option");
        }
        // every token present must be valid, even if no item needs it: a forged token means a forged batch
        Set<String> tenants = new HashSet<>();
        Instant latest = clock.instant();
        for (String token : batch.validationTokens()) {
            VerifiedValidationToken verified = tokenVerifier.verify(token);
            tenants.add(tenantKey(verified.tenantId()));
            latest = verified.expiresAt().isAfter(latest) ? verified.expiresAt() : latest;
        }
        return new Vouching(tenants, true, latest);
    }

    private boolean needsToken(ChangeNotification item) {
        return item.hasEncryptedContent() || (rules.includeResourceData() && !item.isLifecycleEvent());
    }

    /** Tenant ids are GUIDs: compared without regard to case. */
    private static String tenantKey(String tenantId) {
        return tenantId == null ? "" : tenantId.toLowerCase(Locale.ROOT);
    }

    /** Per-item checks that drop a single item without failing the batch. */
    private AcceptedItem accept(ChangeNotification item) {
        if (!allowedTenantIds.isEmpty() && !allowedTenantIds.contains(tenantKey(item.tenantId()))) {
            counters.countDroppedMisaddressed();
            LOG.warn("Dropped a notification from a tenant not in allowedTenantIds ({})", item.describe());
            return null;
        }
        if (item.isLifecycleEvent()) {
            return new AcceptedItem(item, null, null);
        }
        NotifiedResource notified = NotifiedResource.parse(item.resource()).orElse(null);
        if (notified == null || !rules.scope().covers(notified)) {
            counters.countDroppedMisaddressed();
            LOG.warn("Dropped a notification outside this endpoint's resource {} ({})", rules.scope(), item.describe());
            return null;
        }
        return new AcceptedItem(item, notified, null);
    }
}
