package io.camelgraphteams.component.delivery;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.notification.BatchDelivery;
import io.camelgraphteams.component.notification.ChangeNotification;
import io.camelgraphteams.component.notification.LifecycleEventListener;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.notification.ReceivedNotification;
import io.camelgraphteams.component.notification.VerifiedBatch;
import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.support.Failures;
import io.camelgraphteams.component.support.FanOut;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers verified notifications, live and backfilled alike: each change once (its dedup key looked up before the
 * exchange is made, recorded after it completed), as a fresh exchange with the body and headers of the notification
 * alone, and its conversation's watermark moved up once the exchange completed. Lifecycle events go to the lifecycle
 * listeners (and to the route with {@code forwardLifecycleEvents}).
 */
public final class MessageDelivery implements BatchDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MessageDelivery.class);

    private final Consumer consumer;
    private final Executor workers;
    private final int parallelism;
    private final AsyncProcessor route;
    private final DedupGate dedup;
    private final DeliverySettings settings;
    private final Watermarks watermarks;
    private final LifecycleEventListener lifecycleListener;
    private final NotificationCounters counters;
    private final Supplier<String> subscriptionId;

    /**
     * @param consumer       makes and releases the exchanges, and leads to the route
     * @param workers        hand the exchanges to the route, a batch spread over {@code parallelism} of them
     * @param watermarks     null when nothing is backfilled
     * @param subscriptionId the managed subscription's id, for backfilled messages (may give null)
     */
    public MessageDelivery(Consumer consumer, Executor workers, int parallelism, DedupGate dedup,
                           DeliverySettings settings, Watermarks watermarks, LifecycleEventListener lifecycleListener,
                           NotificationCounters counters, Supplier<String> subscriptionId) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.parallelism = parallelism;
        this.route = AsyncProcessorConverterHelper.convert(consumer.getProcessor());
        this.dedup = Objects.requireNonNull(dedup, "dedup");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.watermarks = watermarks;
        this.lifecycleListener = Objects.requireNonNull(lifecycleListener, "lifecycleListener");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.subscriptionId = Objects.requireNonNull(subscriptionId, "subscriptionId");
    }

    public DedupGate dedup() {
        return dedup;
    }

    /** The notifications are handed to the route in parallel, spread over the workers: a slow route is not serial. */
    @Override
    public CompletableFuture<Outcome> deliver(VerifiedBatch batch) {
        List<ReceivedNotification> notifications = batch.notifications();
        @SuppressWarnings("unchecked")
        CompletableFuture<Boolean>[] outcomes = new CompletableFuture[notifications.size()];
        // the calling thread (the worker that finished opening the batch) takes chunks too: the batch never waits for a
        // turn in the workers' queue behind other batches' decryption
        return FanOut.share(workers, notifications.size(), parallelism,
                i -> outcomes[i] = deliverLive(notifications.get(i), batch.keepKeysUntil()))
                .thenCompose(handedOver -> CompletableFuture.allOf(outcomes))
                .handle((ignored, error) -> batch.unopened() == 0 && error == null
                                            && Arrays.stream(outcomes).allMatch(CompletableFuture::join)
                        ? Outcome.ACCEPTED : Outcome.RETRY);
    }

    /** Completes with true when delivered (or deliberately not), false when Graph should deliver it again. */
    private CompletableFuture<Boolean> deliverLive(ReceivedNotification notification, Instant keepKeysUntil) {
        CompletableFuture<Boolean> delivered;
        try {
            delivered = notification.item().isLifecycleEvent()
                    ? deliverLifecycleEvent(notification)
                    : deliverNotifiedChange(notification, keepKeysUntil);
        } catch (RuntimeException e) {
            delivered = CompletableFuture.failedFuture(e);
        }
        return delivered.handle((done, error) -> {
            if (error == null) {
                return true;
            }
            counters.countItemFailed();
            LOG.warn("Notification not delivered, Graph will redeliver the batch ({}): {}",
                    notification.item().describe(), LoggedValue.of(Failures.rootMessage(error)));
            return false;
        });
    }

    /**
     * A live change: its content decides. Dedup key, watermark and conversation come from the message the route
     * receives; an envelope that disagrees with it is dropped.
     */
    private CompletableFuture<Boolean> deliverNotifiedChange(ReceivedNotification notification, Instant keepKeysUntil) {
        ChangeNotification item = notification.item();
        ChatMessageFacts facts = facts(notification);
        String mismatch;
        if (notification.resourceDataIncluded()) {
            mismatch = facts == null ? "the content is no chatMessage"
                    : EnvelopeCheck.mismatch(notification.notified(), facts, item.changeType(), settings.changeTypes(),
                            notification.fetched());
        } else {
            // Graph's reference only (no credentials to get the message): nothing to compare but the changeType
            mismatch = settings.changeTypes().contains(item.changeType()) ? null
                    : "changeType " + LoggedValue.of(item.changeType()) + " is not one the subscription asks for";
        }
        if (mismatch != null) {
            counters.countDroppedEnvelopeMismatch();
            LOG.warn("Dropped a notification whose envelope disagrees with its content ({}): {}", item.describe(),
                    mismatch);
            return CompletableFuture.completedFuture(true);
        }
        Conversation conversation = facts == null ? null : facts.conversation().orElse(null);
        return deliverChange(notification, facts, conversation, legacyKeys(notification.notified(), facts),
                keepKeysUntil,
                ExchangeHeaders.SOURCE_NOTIFICATION).thenApply(routed -> {
                    // a duplicate counts as forwarded: it was delivered, once
                    counters.countItemForwarded();
                    return true;
                });
    }

    /** Read from the decrypted bytes where there are some: cheaper than from the string of the body. */
    private static ChatMessageFacts facts(ReceivedNotification notification) {
        if (!notification.resourceDataIncluded()) {
            return null;
        }
        return (notification.decrypted() != null ? ChatMessageFacts.parse(notification.decrypted())
                : ChatMessageFacts.parse(notification.body())).orElse(null);
    }

    private CompletableFuture<Boolean> deliverLifecycleEvent(ReceivedNotification notification) {
        ChangeNotification item = notification.item();
        counters.countLifecycleEvent();
        // DEBUG: the subscription manager says what it does about them, once per reaction
        LOG.debug("Lifecycle notification {} for subscription {}", LoggedValue.of(item.lifecycleEvent()),
                LoggedValue.of(item.subscriptionId()));
        try {
            lifecycleListener.onLifecycleEvent(item);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("lifecycle listener failed: " + e.getMessage(), e));
        }
        if (!settings.forwardLifecycleEvents()) {
            return CompletableFuture.completedFuture(true);
        }
        return route(notification, null, withoutClientState(item.raw()), ExchangeHeaders.SOURCE_NOTIFICATION)
                .thenApply(done -> {
                    counters.countItemForwarded();
                    return true;
                });
    }

    /** The event as Graph sent it, less the clientState: the secret stays out of the route (and whatever it logs). */
    private static String withoutClientState(JsonNode raw) {
        if (raw instanceof ObjectNode object && object.has("clientState")) {
            ObjectNode copy = object.deepCopy();
            copy.remove("clientState");
            return copy.toString();
        }
        return String.valueOf(raw);
    }

    /**
     * Routes a message a backfill listed, as a live notification of the inferred changeType would have been, through
     * the same dedup.
     *
     * @return completes with true when routed, false when it had been delivered already; fails when the exchange
     *         failed
     */
    public CompletableFuture<Boolean> deliverListed(NotifiedResource where, ChatMessageFacts facts, String body,
                                                    String changeType) {
        ChangeNotification item = new ChangeNotification(subscriptionId.get(), changeType, null, null,
                settings.tenantId(), where.toResourcePath(), null, null, null, null);
        // Graph's own listing: where it was listed is where it is, when the message does not say
        Conversation listed = where.isChannelMessage() ? Conversation.channel(where.teamId(), where.channelId())
                : Conversation.chat(where.chatId());
        return deliverChange(new ReceivedNotification(item, where, body, true), facts,
                facts.conversation().orElse(listed), legacyKeys(where, facts), null, ExchangeHeaders.SOURCE_BACKFILL);
    }

    /**
     * @param  facts         read from the body already; null when the body is no chatMessage (it is routed without
     *                       dedup)
     * @param  conversation  where the message is, as the message (or Graph's listing) says
     * @param  keepKeysUntil the end of the replay window of the batch that carried it; null for none
     * @return               completes with true when routed, false when it was a duplicate; fails when the exchange
     *                       failed
     */
    private CompletableFuture<Boolean> deliverChange(ReceivedNotification notification, ChatMessageFacts facts,
                                                     Conversation conversation, List<String> legacyKeys,
                                                     Instant keepKeysUntil, String source) {
        String key = facts == null ? null : DedupKeys.of(settings.namespace(), conversation, facts);
        CompletableFuture<Boolean> outcome = dedup.pass(key, legacyKeys, keepKeysUntil,
                () -> route(notification, facts, notification.body(), source));
        if (watermarks == null || facts == null || facts.changedAt() == null) {
            return outcome;
        }
        // a single channel, chat or user keeps the watermark under the endpoint's own; others under the message's
        Conversation marked = Conversation.single(settings.scope()).orElse(conversation);
        if (marked == null) {
            return outcome;
        }
        // before the caller hears of it: a batch acknowledged or a backfill page finished has moved the watermark
        return outcome.thenApply(routed -> {
            try {
                watermarks.advance(marked, facts.changedAt());
            } catch (RuntimeException e) {
                LOG.warn("Could not move the backfill watermark of {}: {}", settings.scope(), e.getMessage());
            }
            return routed;
        });
    }

    /**
     * The keys version 0.1 may have stored for this message version: its key held the changeType, which a live
     * notification's envelope (or a listing) states, so each changeType that version could have stored is looked up.
     */
    private List<String> legacyKeys(NotifiedResource where, ChatMessageFacts facts) {
        if (facts == null) {
            return List.of();
        }
        List<String> changeTypes = facts.deletedDateTime() != null ? List.of(ChatMessageFacts.DELETED)
                : List.of(ChatMessageFacts.CREATED, ChatMessageFacts.UPDATED);
        return changeTypes.stream().filter(settings.changeTypes()::contains)
                .map(changeType -> DedupKeys.legacy(settings.namespace(), where, changeType, facts.version()))
                .filter(Objects::nonNull).toList();
    }

    private CompletableFuture<Void> route(ReceivedNotification notification, ChatMessageFacts facts, String body,
                                          String source) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Exchange exchange = consumer.createExchange(false);
        try {
            ExchangeHeaders.populate(exchange.getMessage(), notification, facts, body, source);
            route.process(exchange, doneSync -> {
                Exception failure = exchange.getException();
                boolean rolledBack = exchange.isRollbackOnly();
                consumer.releaseExchange(exchange, false);
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else if (rolledBack) {
                    done.completeExceptionally(new IllegalStateException("exchange marked rollback only"));
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            consumer.releaseExchange(exchange, false);
            done.completeExceptionally(e);
        }
        return done;
    }
}
