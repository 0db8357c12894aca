package io.camelgraphteams.component.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelgraphteams.component.auth.GraphAuthenticationException;
import io.camelgraphteams.component.graph.GraphApiException;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.graph.Subscription;
import io.camelgraphteams.component.notification.ChangeNotification;
import io.camelgraphteams.component.notification.LifecycleEventListener;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop for one endpoint's subscription: desired state ({@link SubscriptionSpec}) against Graph's
 * actual state. Adopts a matching subscription or creates one, renews before expiry with jitter, recreates what Graph
 * removed, and reacts to each lifecycle event on its own path. Every Graph call and every state change runs on one
 * scheduler thread, so renewals and lifecycle reactions never race.
 */
public final class SubscriptionManager implements LifecycleEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionManager.class);

    private final SubscriptionSpec spec;
    private final GraphClient graph;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final SubscriptionGapListener gapListener;
    private final ExceptionHandler errors;

    private final ClientStateRecords clientStates;
    private final SubscriptionActivity activity = new SubscriptionActivity();
    // one reaction queued, running or waiting for its retry per kind of lifecycle event answers every event of that
    // kind that arrives meanwhile: a batch of 10,000 subscriptionRemoved items costs one reconcile
    private final AtomicBoolean reauthorizationPending = new AtomicBoolean();
    private final AtomicBoolean removalPending = new AtomicBoolean();
    private final AtomicBoolean missedPending = new AtomicBoolean();
    private final LifecycleEventTriage triage = new LifecycleEventTriage();

    private volatile boolean active;
    private volatile String subscriptionId;
    private volatile Instant expiration;
    private volatile Instant lastRenewal;
    private volatile Instant nextRenewalAt;
    // a PATCH and a reauthorization of one subscription are kept reauthorizationInterval apart; an older Microsoft
    // page asked for this spacing, so it is an option rather than a rule of Graph's we rely on
    private Instant lastPatch;
    private Instant lastReauthorization;
    private ScheduledFuture<?> nextRenewal;
    // its own slot: a retried reauthorization must not replace the pending renewal
    private ScheduledFuture<?> reauthorizationRetry;

    /**
     * @param clientStates which clientState each subscription was created with: Graph never says, so a subscription
     *                     recorded with another one is replaced rather than adopted
     * @param errors       told of every failed Graph call and every failure of the gap listener; the manager retries
     *                     on its own
     */
    public SubscriptionManager(SubscriptionSpec spec, GraphClient graph, ClientStateRecords clientStates,
                               ScheduledExecutorService scheduler, Clock clock, SubscriptionGapListener gapListener,
                               ExceptionHandler errors) {
        this.spec = spec;
        this.graph = graph;
        this.clientStates = Objects.requireNonNull(clientStates, "clientStates");
        this.scheduler = scheduler;
        this.clock = clock;
        this.gapListener = gapListener;
        this.errors = errors;
    }

    /**
     * Adopts or creates the subscription. Waits for the first attempt: a configuration Graph refuses (credentials,
     * permissions, a notificationUrl that fails the handshake) is thrown so start-up fails with Graph's message; a
     * transient failure is retried in the background.
     */
    public void start() throws Exception {
        active = true;
        Future<?> first = scheduler.submit(() -> {
            try {
                reconcile();
            } catch (Exception e) {
                // a refusal that retrying cannot fix: credentials, permissions, a bad request, a failed handshake
                if (e instanceof GraphApiException g ? g.isPermanent() : e instanceof GraphAuthenticationException) {
                    throw new IllegalStateException(SubscriptionActivity.describe(e), e);
                }
                recordFailure("reconcile", e);
                scheduleRetry(this::reconcileQuietly);
            }
            return null;
        });
        try {
            first.get();
        } catch (ExecutionException e) {
            active = false;
            throw (Exception) e.getCause();
        }
    }

    /**
     * Starts managing without failing: every error, even one retrying cannot fix, is retried with the backoff, so a
     * leader whose first attempt fails keeps trying (and the health check shows why) instead of giving up.
     */
    public void startInBackground() {
        active = true;
        scheduler.execute(this::reconcileQuietly);
    }

    /**
     * Stops renewing. With {@code deleteSubscription} the subscription is deleted too (deleteOnStop), but only by an
     * instance that was managing it: a former leader must not delete the subscription its successor now renews.
     */
    public void stop(boolean deleteSubscription) {
        boolean wasManaging = active;
        active = false;
        Future<?> done = scheduler.submit(() -> {
            cancelRenewal();
            cancelReauthorizationRetry();
            reauthorizationPending.set(false);
            removalPending.set(false);
            missedPending.set(false);
            String id = subscriptionId;
            if (deleteSubscription && wasManaging && id != null) {
                try {
                    graph.deleteSubscription(id);
                    LOG.info("Deleted subscription {} for {}", id, spec.resource());
                } catch (Exception e) {
                    if (!(e instanceof GraphApiException g && g.isNotFound())) {
                        LOG.warn("Could not delete subscription {}: {}", id, e.getMessage());
                    }
                }
                subscriptionId = null;
            }
        });
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Stopping the subscription manager for {} did not complete: {}", spec.resource(), e.getMessage());
        }
    }

    public SubscriptionStatus status() {
        return activity.status(active, subscriptionId, expiration, lastRenewal, nextRenewalAt);
    }

    public SubscriptionSpec spec() {
        return spec;
    }

    // ---------------------------------------------------------------- lifecycle events, each on its own path

    @Override
    public void onLifecycleEvent(ChangeNotification lifecycleEvent) {
        // both values come from the request body: logged only through LoggedValue (no forged lines)
        String event = LoggedValue.of(lifecycleEvent.lifecycleEvent());
        String id = LoggedValue.of(lifecycleEvent.subscriptionId());
        if (!active) {
            // refused (503), not ignored: Graph redelivers it, through the load balancer, to the instance that manages
            throw new IllegalStateException("lifecycle event " + event + " for subscription " + id
                                            + " refused: this instance does not manage " + spec.resource()
                                            + " (another instance leads)");
        }
        // the managed subscription first: a reconcile may adopt again the very subscription it was replacing
        if (!Objects.equals(lifecycleEvent.subscriptionId(), subscriptionId)) {
            if (triage.isLateCopy(lifecycleEvent.subscriptionId(), event, id, subscriptionId)) {
                activity.lifecycleEvents.incrementAndGet();
            }
            return;
        }
        switch (lifecycleEvent.lifecycleEvent()) {
            case "reauthorizationRequired" -> actOnce(reauthorizationPending, this::onReauthorizationRequired);
            case "subscriptionRemoved" -> actOnce(removalPending, this::onSubscriptionRemoved);
            case "missed" -> actOnce(missedPending, this::onMissed);
            // not counted: lifecycleEvents counts the events acted on
            default -> LOG.warn("Unknown lifecycle event {} for subscription {} ignored", event, id);
        }
    }

    /** Queues the reaction unless one of its kind is queued or running (its flag is cleared by the reaction). */
    private void actOnce(AtomicBoolean pending, Runnable reaction) {
        activity.lifecycleEvents.incrementAndGet();
        if (pending.compareAndSet(false, true)) {
            scheduler.execute(reaction);
        }
    }

    private void onReauthorizationRequired() {
        try {
            reauthorizeUnlessRecent();
        } finally {
            // cleared once done: events that came during the reauthorization are answered by it
            reauthorizationPending.set(false);
        }
    }

    private void reauthorizeUnlessRecent() {
        cancelReauthorizationRetry();
        if (!active || subscriptionId == null) {
            return;
        }
        Instant now = clock.instant();
        if (lastPatch != null && lastPatch.plus(spec.reauthorizationInterval()).isAfter(now)) {
            // a PATCH of expirationDateTime reauthorizes too; reauthorizing now would break reauthorizationInterval
            LOG.debug("reauthorizationRequired for {}: renewed at {}, which reauthorized it", subscriptionId, lastPatch);
            return;
        }
        try {
            graph.reauthorize(subscriptionId);
            lastReauthorization = clock.instant();
            activity.reauthorizations.incrementAndGet();
            activity.succeeded();
            // the renewal already scheduled may fall within reauthorizationInterval: move it past the interval
            scheduleRenewal();
            LOG.info("Reauthorized subscription {} for {}", subscriptionId, spec.resource());
        } catch (GraphApiException e) {
            if (e.isNotFound()) {
                recreate(SubscriptionGapListener.Reason.LAPSED);
            } else {
                recordFailure("reauthorize", e);
                retryReauthorization();
            }
        } catch (Exception e) {
            recordFailure("reauthorize", e);
            retryReauthorization();
        }
    }

    private void onSubscriptionRemoved() {
        try {
            if (active) {
                LOG.warn("Graph removed subscription {} for {}: creating a new one", subscriptionId, spec.resource());
                recreate(SubscriptionGapListener.Reason.SUBSCRIPTION_REMOVED);
            }
        } finally {
            removalPending.set(false);
        }
    }

    private void onMissed() {
        try {
            LOG.warn("Graph reports missed notifications for subscription {} ({})", subscriptionId, spec.resource());
            notifyGap(SubscriptionGapListener.Reason.MISSED);
        } finally {
            missedPending.set(false);
        }
    }

    // ---------------------------------------------------------------- the reconcile loop

    private void reconcileQuietly() {
        if (!active) {
            return;
        }
        try {
            reconcile();
        } catch (Exception e) {
            recordFailure("reconcile", e);
            scheduleRetry(this::reconcileQuietly);
        }
    }

    /** Adopts a matching subscription (renewing it and pushing the current certificate) or creates one. */
    private void reconcile() throws Exception {
        Subscription existing = findMatching();
        String difference = existing == null ? null
                : clientStates.differs(existing.id(), spec.clientState()) ? "clientState (as this endpoint recorded it)"
                : spec.unpatchableDifference(existing);
        if (difference != null) {
            // these properties cannot be changed by PATCH: replace the subscription
            LOG.info("Subscription {} for {} has another {}: replacing it", existing.id(), spec.resource(), difference);
            try {
                graph.deleteSubscription(existing.id());
                clientStates.forget(existing.id());
            } catch (GraphApiException e) {
                // a failed delete would let the create below meet 409 and adopt the wrong subscription: retry instead
                if (!e.isNotFound()) {
                    throw e;
                }
            }
            existing = null;
        }
        if (existing != null) {
            try {
                adopt(existing);
                LOG.info("Adopted subscription {} for {} (expires {})", subscriptionId, spec.resource(), expiration);
                return;
            } catch (GraphApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                LOG.info("Subscription {} vanished while adopting it: creating a new one", existing.id());
            }
        }
        create();
    }

    private Subscription findMatching() throws Exception {
        List<Subscription> subscriptions = graph.listSubscriptions();
        for (Subscription s : subscriptions) {
            if (spec.matches(s.resource(), s.changeType(), s.notificationUrl())) {
                return s;
            }
        }
        return null;
    }

    private void create() throws Exception {
        Subscription created;
        try {
            created = graph.createSubscription(spec.request(clock.instant().plus(spec.lifetime())));
        } catch (GraphApiException e) {
            if (!e.isConflict()) {
                throw e;
            }
            // another instance or an earlier run created it meanwhile: adopt that one instead
            Subscription existing = findMatching();
            if (existing == null) {
                throw e;
            }
            adopt(existing);
            return;
        }
        subscriptionId = created.id();
        clientStates.record(subscriptionId, spec.clientState());
        expiration = created.expirationDateTime();
        lastPatch = null;
        lastReauthorization = null;
        activity.creations.incrementAndGet();
        activity.succeeded();
        LOG.info("Created subscription {} for {} (expires {})", subscriptionId, spec.resource(), expiration);
        scheduleRenewal();
    }

    private void adopt(Subscription existing) throws Exception {
        subscriptionId = existing.id();
        expiration = existing.expirationDateTime();
        renew();
        clientStates.recordIfUnknown(subscriptionId, spec.clientState());
        activity.adoptions.incrementAndGet();
    }

    /** PATCHes the expiration (and the current certificate, so a rotated key reaches Graph at the next renewal). */
    private void renew() throws Exception {
        Instant requested = clock.instant().plus(spec.lifetime());
        Subscription renewed = graph.renewSubscription(subscriptionId, requested,
                spec.certificateBase64(), spec.certificateId());
        expiration = renewed.expirationDateTime() != null ? renewed.expirationDateTime() : requested;
        lastPatch = clock.instant();
        lastRenewal = lastPatch;
        activity.renewals.incrementAndGet();
        activity.succeeded();
        LOG.debug("Renewed subscription {} until {}", subscriptionId, expiration);
        scheduleRenewal();
    }

    private void renewDue() {
        if (!active) {
            return;
        }
        try {
            renew();
        } catch (GraphApiException e) {
            if (e.isNotFound()) {
                LOG.warn("Subscription {} for {} is gone (404 on renewal): creating a new one", subscriptionId,
                        spec.resource());
                recreate(SubscriptionGapListener.Reason.LAPSED);
            } else {
                renewalFailed(e);
            }
        } catch (Exception e) {
            renewalFailed(e);
        }
    }

    private void renewalFailed(Exception e) {
        recordFailure("renew", e);
        if (expiration != null && !clock.instant().isBefore(expiration)) {
            LOG.warn("Subscription {} for {} expired while renewals failed: creating a new one", subscriptionId,
                    spec.resource());
            recreate(SubscriptionGapListener.Reason.LAPSED);
        } else {
            scheduleRetry(this::renewDue);
        }
    }

    private void recreate(SubscriptionGapListener.Reason reason) {
        cancelRenewal();
        String previous = subscriptionId;
        triage.replaced(previous);
        subscriptionId = null;
        try {
            reconcile();
            if (!Objects.equals(previous, subscriptionId)) {
                clientStates.forget(previous);
            }
            activity.recreations.incrementAndGet();
            LOG.info("Replaced subscription {} by {} for {}", previous, subscriptionId, spec.resource());
        } catch (Exception e) {
            recordFailure("recreate", e);
            scheduleRetry(() -> {
                if (active && subscriptionId == null) {
                    recreate(reason);
                }
            });
            return;
        }
        notifyGap(reason);
    }

    private void notifyGap(SubscriptionGapListener.Reason reason) {
        if (gapListener == null) {
            return;
        }
        try {
            gapListener.onGap(reason, subscriptionId);
        } catch (RuntimeException e) {
            errors.handleException("Gap listener failed for " + spec.resource() + " (" + reason + "): "
                                   + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- scheduling

    private void scheduleRenewal() {
        cancelRenewal();
        if (!active || expiration == null) {
            return;
        }
        Duration renewBefore = spec.renewBefore();
        long jitterMillis = ThreadLocalRandom.current().nextLong(Math.max(1, renewBefore.toMillis() / 10));
        Instant due = expiration.minus(renewBefore).minusMillis(jitterMillis);
        if (lastReauthorization != null) {
            Instant allowed = lastReauthorization.plus(spec.reauthorizationInterval());
            // keep Graph's spacing unless waiting would let the subscription lapse
            if (allowed.isAfter(due) && allowed.isBefore(expiration.minus(renewBefore.dividedBy(4)))) {
                due = allowed;
            }
        }
        long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        nextRenewalAt = clock.instant().plusMillis(delay);
        nextRenewal = scheduler.schedule(this::renewDue, delay, TimeUnit.MILLISECONDS);
    }

    private void scheduleRetry(Runnable task) {
        if (!active) {
            return;
        }
        cancelRenewal();
        long delay = activity.retryDelayMillis(spec.renewBefore());
        nextRenewalAt = clock.instant().plusMillis(delay);
        nextRenewal = scheduler.schedule(task, delay, TimeUnit.MILLISECONDS);
    }

    private void retryReauthorization() {
        if (active) {
            reauthorizationPending.set(true);
            reauthorizationRetry = scheduler.schedule(this::onReauthorizationRequired,
                    activity.retryDelayMillis(spec.renewBefore()), TimeUnit.MILLISECONDS);
        }
    }

    private void cancelReauthorizationRetry() {
        if (reauthorizationRetry != null) {
            reauthorizationRetry.cancel(false);
            reauthorizationRetry = null;
        }
    }

    private void cancelRenewal() {
        if (nextRenewal != null) {
            nextRenewal.cancel(false);
            nextRenewal = null;
        }
        nextRenewalAt = null;
    }

    // ---------------------------------------------------------------- helpers

    private void recordFailure(String operation, Exception e) {
        int inARow = activity.failed(operation + ": " + SubscriptionActivity.describe(e), clock.instant());
        errors.handleException("Subscription " + subscriptionId + " for " + spec.resource() + ": " + operation
                               + " failed (" + inARow + " in a row): " + SubscriptionActivity.describe(e), e);
    }
}
