package io.camelgraphteams.component;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.backfill.BackfillScheduler;
import io.camelgraphteams.component.backfill.BackfillState;
import io.camelgraphteams.component.backfill.BackfillStatus;
import io.camelgraphteams.component.cluster.Leadership;
import io.camelgraphteams.component.delivery.DedupGate;
import io.camelgraphteams.component.delivery.MessageDelivery;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.health.GraphTeamsConsumerHealthCheck;
import io.camelgraphteams.component.health.GraphTeamsSubscriptionHealthCheck;
import io.camelgraphteams.component.health.MonitoredConsumer;
import io.camelgraphteams.component.health.StoreProbe;
import io.camelgraphteams.component.notification.ClientStateAlarm;
import io.camelgraphteams.component.notification.LifecycleEventListener;
import io.camelgraphteams.component.notification.LifecycleEventListeners;
import io.camelgraphteams.component.notification.NotificationBatchProcessor;
import io.camelgraphteams.component.notification.NotificationCounters;
import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.subscription.ClientStateRecords;
import io.camelgraphteams.component.subscription.LifecycleEventRelay;
import io.camelgraphteams.component.subscription.SubscriptionGapListener;
import io.camelgraphteams.component.subscription.SubscriptionManager;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import io.camelgraphteams.component.support.ConsumerThreadPools;
import io.camelgraphteams.component.support.WarningExceptionHandler;
import io.camelgraphteams.component.webhook.WebhookPaths;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one graph-teams route: the webhook intake ({@link WebhookPaths}) checks and opens each batch
 * ({@link NotificationBatchProcessor}) and hands it to delivery ({@link MessageDelivery}: dedup, a fresh exchange,
 * the watermark); the leader (alone, or per Camel cluster service) manages the subscription
 * ({@link SubscriptionManager}) and backfills what Graph did not deliver ({@link BackfillScheduler}). Failures outside
 * the route go to this consumer's ExceptionHandler.
 */
public class GraphTeamsConsumer extends DefaultConsumer implements MonitoredConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(GraphTeamsConsumer.class);

    private final NotificationCounters counters = new NotificationCounters();
    private final LifecycleEventListeners lifecycleListeners = new LifecycleEventListeners();
    private ExecutorService workers;
    private ExecutorService intake;
    private ScheduledExecutorService subscriptionScheduler;
    private ScheduledExecutorService backfillExecutor;
    private WebhookPaths httpRoutes;
    private volatile boolean listening;
    private GraphClient graphClient;
    private DedupGate dedup;
    private volatile SubscriptionManager subscriptionManager;
    private LifecycleEventRelay lifecycleRelay;
    private SubscriptionGapListener gapListener;
    private BackfillScheduler backfill;
    private String backfillOff;
    private Leadership leadership;
    private volatile ClientStateAlarm clientStateAlarm;
    private GraphTeamsSubscriptionHealthCheck subscriptionCheck;

    public GraphTeamsConsumer(GraphTeamsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        setExceptionHandler(new WarningExceptionHandler(GraphTeamsConsumer.class));
    }

    @Override
    public GraphTeamsEndpoint getEndpoint() {
        return (GraphTeamsEndpoint) super.getEndpoint();
    }

    /** Adds a listener for verified lifecycle notifications (as the subscription manager does). */
    public void addLifecycleEventListener(LifecycleEventListener listener) {
        lifecycleListeners.add(listener);
    }

    /** Also told when notifications may have been lost; the consumer's own backfill reacts to them in any case. */
    public void setGapListener(SubscriptionGapListener gapListener) {
        this.gapListener = gapListener;
    }

    /**
     * Runs a backfill now (or once more after the running one); completes when it finished, fails when it failed, when
     * this instance does not lead, or when the endpoint cannot backfill (backfill=false, no Graph credentials).
     */
    public CompletableFuture<Void> backfillNow() {
        BackfillScheduler b = backfill;
        return b != null ? b.requestNow() : CompletableFuture.failedFuture(new IllegalStateException(
                backfillOff != null ? backfillOff : "the consumer is not started"));
    }

    @Override
    public NotificationCounters getCounters() {
        return counters;
    }

    @Override
    public boolean isListening() {
        return listening;
    }

    @Override
    public SubscriptionStatus getSubscriptionStatus() {
        SubscriptionManager manager = subscriptionManager;
        return manager != null ? manager.status() : null;
    }

    @Override
    public String getClientStateMismatch() {
        return clientStateAlarm != null ? clientStateAlarm.raisedFor() : null;
    }

    private String managedSubscriptionId() {
        SubscriptionManager manager = subscriptionManager;
        return manager != null ? manager.status().subscriptionId() : null;
    }

    @Override
    public long getGraphRetries() {
        return graphClient != null ? graphClient.counters().retries() : 0;
    }

    @Override
    public long getDuplicatesSkipped() {
        return dedup != null ? dedup.duplicatesSkipped() : 0;
    }

    @Override
    public int getDuplicatesWaiting() {
        return dedup != null ? dedup.waitingCopies() : 0;
    }

    @Override
    public BackfillStatus getBackfillStatus() {
        BackfillScheduler b = backfill;
        return b != null ? b.backfill().status() : null;
    }

    @Override
    public String getBackfillOff() {
        return backfill != null ? null : backfillOff;
    }

    @Override
    public String getResourcePath() {
        return getEndpoint().getResource().path();
    }

    @Override
    public String getNotificationPath() {
        return getEndpoint().getConfiguration().getNotificationPath();
    }

    @Override
    public String getLifecycleNotificationPath() {
        return getEndpoint().getConfiguration().getLifecycleNotificationPath();
    }

    @Override
    public Duration getRenewBefore() {
        return getEndpoint().renewBefore();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        GraphTeamsEndpoint endpoint = getEndpoint();
        GraphTeamsConfiguration configuration = endpoint.getConfiguration();
        ExecutorServiceManager executors = endpoint.getCamelContext().getExecutorServiceManager();
        workers = ConsumerThreadPools.workers(endpoint.getCamelContext(), this,
                "GraphTeamsNotifications[" + endpoint.getResource() + "]", configuration.getWorkerPoolSize());
        intake = ConsumerThreadPools.intake(endpoint.getCamelContext(), this,
                "GraphTeamsIntake[" + endpoint.getResource() + "]");
        graphClient = endpoint.graphClientIfWanted();
        dedup = new DedupGate(endpoint.idempotentRepository(), endpoint.getComponent().recentKeys());
        backfillOff = endpoint.backfillOff(graphClient != null);
        // opened before the paths are served: a restart's lower bounds are taken before live deliveries move them
        BackfillState state = backfillOff == null ? new BackfillState(endpoint.stateRepository(),
                endpoint.stateNamespace(), configuration.getBackfillMaxConversations(), Clock.systemUTC(),
                Duration.ofMillis(configuration.getValidationTokenClockSkew())) : null;
        int parallelism = ConsumerThreadPools.workerThreads(configuration.getWorkerPoolSize());
        MessageDelivery delivery = new MessageDelivery(this, workers, parallelism, dedup, endpoint.deliverySettings(),
                state, lifecycleListeners, counters, this::managedSubscriptionId);
        clientStateAlarm = new ClientStateAlarm(configuration.isManageSubscription()
                ? this::managedSubscriptionId : null);
        NotificationBatchProcessor processor = endpoint.notificationBatchProcessor(workers, parallelism, counters,
                graphClient, clientStateAlarm, getExceptionHandler());
        if (configuration.isManageSubscription()) {
            // the lifecycle listener before the paths are served: until it manages, events go to a shared inbox or 503
            subscriptionScheduler = executors.newSingleThreadScheduledExecutor(this,
                    "GraphTeamsSubscription[" + endpoint.getResource() + "]");
            subscriptionManager = new SubscriptionManager(endpoint.subscriptionSpec(), graphClient,
                    new ClientStateRecords(endpoint.stateRepository(), endpoint.stateNamespace()),
                    subscriptionScheduler, Clock.systemUTC(), this::onGap, getExceptionHandler());
            lifecycleRelay = LifecycleEventRelay.start(subscriptionManager, endpoint.stateRepository(),
                    endpoint.stateNamespace(), subscriptionScheduler);
            addLifecycleEventListener(lifecycleRelay);
        }
        if (state != null) {
            backfillExecutor = executors.newScheduledThreadPool(this,
                    "GraphTeamsBackfill[" + endpoint.getResource() + "]", 2);
            backfill = new BackfillScheduler(endpoint.backfillSettings(), graphClient, state,
                    state.open(Clock.systemUTC().instant()), delivery::deliverListed, backfillExecutor,
                    Duration.ofMillis(configuration.getBackfillInterval()),
                    () -> leadership != null && leadership.isLeading() && isRunAllowed(), getExceptionHandler());
            // a single channel, chat or user is known from the start: even its first lost message is found
            Conversation.single(endpoint.getResource()).ifPresent(state::register);
            backfill.start();
        }
        httpRoutes = endpoint.getComponent().serve(this, endpoint.batchIntake(processor, delivery, intake, counters),
                configuration.getNotificationPath(), configuration.getLifecycleNotificationPath());
        LOG.info("graph-teams consumer for {} listening on {} and {}", endpoint.getResource(),
                configuration.getNotificationPath(), configuration.getLifecycleNotificationPath());
        endpoint.startWarnings(graphClient != null)
                .forEach(warning -> LOG.warn("graph-teams consumer for {}: {}", endpoint.getResource(), warning));
        listening = true;
        // fetched now, so the first batch does not pay for the fetch inside Graph's 3-second window
        endpoint.warmUpSigningKeys(workers, getExceptionHandler());
        if (endpoint.getComponent().isHealthCheckConsumerEnabled()) {
            // Camel's consumers health-check repository asks each route's consumer for its check (HealthCheckAware)
            setHealthCheck(GraphTeamsConsumerHealthCheck.of(this, getRouteId(), endpoint.getCamelContext(),
                    () -> StoreProbe.problem(endpoint.idempotentRepository(), endpoint.stateRepository())));
            subscriptionCheck = GraphTeamsSubscriptionHealthCheck.register(this, getRouteId(), endpoint.getCamelContext());
        }
        if (subscriptionManager != null || backfill != null) {
            // a failure here fails the start; Camel then calls doStop, which releases the paths and threads
            leadership = new Leadership(endpoint.getCamelContext(), endpoint.clusterNamespace(), this::tookLead,
                    () -> Optional.ofNullable(subscriptionManager).ifPresent(manager -> manager.stop(false)));
            // a leader paused past its lease must not write to Graph once it resumes
            Optional.ofNullable(graphClient).ifPresent(graph -> graph.guardSubscriptionWrites(leadership::checkLeading));
            leadership.start();
        }
    }

    /** Alone, a first reconcile Graph refuses fails the start; taken over in a cluster, it is retried in the background. */
    private void tookLead(boolean alone) throws Exception {
        if (subscriptionManager != null && alone) {
            subscriptionManager.start();
        } else if (subscriptionManager != null) {
            subscriptionManager.startInBackground();
        }
        if (backfill != null) {
            backfill.tookLead();
        }
    }

    private void onGap(SubscriptionGapListener.Reason reason, String subscriptionId) {
        Optional.ofNullable(backfill).ifPresent(b -> b.gap(reason.toString()));
        SubscriptionGapListener listener = gapListener;
        if (listener != null) {
            listener.onGap(reason, subscriptionId);
        }
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (subscriptionManager != null) {
            // while still in the cluster's view: deleteOnStop's delete is a leader's write
            subscriptionManager.stop(getEndpoint().getConfiguration().isDeleteOnStop());
            lifecycleListeners.remove(lifecycleRelay);
            executors.shutdownNow(subscriptionScheduler);
        }
        if (leadership != null) {
            leadership.stop();
            leadership = null;
        }
        subscriptionManager = null;
        if (backfill != null) {
            backfill.stop();
            executors.shutdownNow(backfillExecutor);
            backfillExecutor.awaitTermination(10, TimeUnit.SECONDS);
        }
        listening = false;
        Optional.ofNullable(subscriptionCheck).ifPresent(GraphTeamsSubscriptionHealthCheck::unregister);
        if (httpRoutes != null) {
            getEndpoint().getComponent().release(this, httpRoutes);
            httpRoutes = null;
        }
        // let accepted batches finish so their exchanges complete and Graph gets its answer
        executors.shutdownGraceful(intake);
        executors.shutdownGraceful(workers);
        if (backfill != null) {
            // after the last exchange: every watermark delivered reaches the repository
            backfill.flush();
            backfill = null;
        }
        super.doStop();
    }
}
