package io.camelgraphteams.component;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.operations.GraphTeamsConsumerHealthCheck;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.subscription.SubscriptionGapListener;
import io.camelgraphteams.component.subscription.SubscriptionManager;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import io.camelgraphteams.component.webhook.ChangeNotification;
import io.camelgraphteams.component.webhook.LifecycleEventListener;
import io.camelgraphteams.component.webhook.NotificationBatchParser;
import io.camelgraphteams.component.webhook.NotificationBatchProcessor;
import io.camelgraphteams.component.webhook.NotificationCounters;
import io.camelgraphteams.component.webhook.NotificationHttpRoutes;
import io.camelgraphteams.component.webhook.ReceivedNotification;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the notification and lifecycle paths on the application's platform-http (Vert.x) server and turns each
 * verified notification into a fresh exchange. The HTTP request itself never reaches the route.
 */
public class GraphTeamsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(GraphTeamsConsumer.class);
    // bounded so an overload is answered 503 (Graph retries) instead of growing the heap
    private static final int MAX_QUEUED_TASKS = 10_000;
    private static final int MAX_QUEUED_BATCHES = 64;

    private final NotificationCounters counters = new NotificationCounters();
    private final List<LifecycleEventListener> lifecycleListeners = new CopyOnWriteArrayList<>();
    private ExecutorService workers;
    // batches are parsed and verified on their own small pool, so a new batch is judged (and maybe shed) at once
    // instead of queueing behind the item decryptions of earlier batches
    private ExecutorService intake;
    private NotificationHttpRoutes httpRoutes;
    private volatile boolean listening;
    private ScheduledExecutorService subscriptionScheduler;
    private GraphClient graphClient;
    private SubscriptionManager subscriptionManager;
    private SubscriptionGapListener gapListener;
    private CamelClusterService clusterService;
    private CamelClusterView clusterView;
    private final CamelClusterEventListener.Leadership leadershipListener = this::leadershipChanged;

    public GraphTeamsConsumer(GraphTeamsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public GraphTeamsEndpoint getEndpoint() {
        return (GraphTeamsEndpoint) super.getEndpoint();
    }

    /** Adds a listener for verified lifecycle notifications (the subscription manager plugs in here). */
    public void addLifecycleEventListener(LifecycleEventListener listener) {
        lifecycleListeners.add(listener);
    }

    public void removeLifecycleEventListener(LifecycleEventListener listener) {
        lifecycleListeners.remove(listener);
    }

    public NotificationCounters getCounters() {
        return counters;
    }

    /** Whether the notification and lifecycle paths are being served. */
    public boolean isListening() {
        return listening;
    }

    /** The managed subscription's state; null with manageSubscription=false. */
    public SubscriptionStatus getSubscriptionStatus() {
        return subscriptionManager != null ? subscriptionManager.status() : null;
    }

    /** Calls to Graph that were retried (429, 503, other 5xx, I/O errors). */
    public long getGraphRetries() {
        return graphClient != null ? graphClient.counters().retries() : 0;
    }

    /** Told when notifications may have been lost (subscription removed or lapsed, missed); the backfill plugs in. */
    public void setGapListener(SubscriptionGapListener gapListener) {
        this.gapListener = gapListener;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        GraphTeamsEndpoint endpoint = getEndpoint();
        GraphTeamsConfiguration configuration = endpoint.getConfiguration();
        int poolSize = configuration.getWorkerPoolSize() > 0
                ? configuration.getWorkerPoolSize() : 2 * Runtime.getRuntime().availableProcessors();
        workers = getEndpoint().getCamelContext().getExecutorServiceManager().newThreadPool(this,
                "GraphTeamsNotifications[" + endpoint.getResource() + "]",
                workerProfile(poolSize));
        NotificationBatchProcessor processor = new NotificationBatchProcessor(
                new NotificationBatchParser(configuration.getMaxBodySize()),
                endpoint.getTokenVerifier(),
                endpoint.getDecryptor(),
                endpoint.getClientStateCheck(),
                endpoint.getResource(),
                endpoint.getAllowedTenantIds(),
                this::onLifecycleEvent,
                configuration.isForwardLifecycleEvents(),
                this::forward,
                workers,
                counters,
                configuration.getMaxPendingNotifications() > 0
                        ? configuration.getMaxPendingNotifications() : 1000 * Runtime.getRuntime().availableProcessors(),
                configuration.isIncludeResourceData());
        intake = getEndpoint().getCamelContext().getExecutorServiceManager().newThreadPool(this,
                "GraphTeamsIntake[" + endpoint.getResource() + "]",
                intakeProfile(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
        httpRoutes = new NotificationHttpRoutes(processor, intake, configuration.getMaxBodySize());
        if (configuration.isManageSubscription()) {
            createSubscriptionManager();
        }
        endpoint.getComponent().registerHttpRoutes(this, httpRoutes,
                configuration.getNotificationPath(), configuration.getLifecycleNotificationPath());
        LOG.info("graph-teams consumer for {} listening on {} and {}", endpoint.getResource(),
                configuration.getNotificationPath(), configuration.getLifecycleNotificationPath());
        if (!endpoint.getClientStateCheck().isConfigured()) {
            LOG.warn("graph-teams consumer for {} has no clientState: notifications are not matched against a "
                     + "secret; set clientState to the value the subscription was created with", endpoint.getResource());
        }
        listening = true;
        warmUpSigningKeys();
        registerHealthCheck();
        if (configuration.isManageSubscription()) {
            // a failure here fails the start; Camel then calls doStop, which releases the paths and threads
            startSubscriptionManagement();
        }
    }

    /**
     * Manages the subscription once this consumer is listening (Graph's handshake must find it answering). With a Camel
     * cluster service only the leader manages; every instance receives.
     */
    /**
     * Creates the subscription manager and makes it the lifecycle listener before the paths are served: until it
     * manages, it answers lifecycle events 503, so none is acknowledged without being acted on.
     */
    private void createSubscriptionManager() {
        GraphTeamsEndpoint endpoint = getEndpoint();
        graphClient = endpoint.createGraphClient();
        subscriptionScheduler = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "GraphTeamsSubscription[" + endpoint.getResource() + "]");
        subscriptionManager = new SubscriptionManager(endpoint.subscriptionSpec(), graphClient, subscriptionScheduler,
                Clock.systemUTC(), this::onGap);
        addLifecycleEventListener(subscriptionManager);
    }

    private void startSubscriptionManagement() throws Exception {
        GraphTeamsEndpoint endpoint = getEndpoint();
        clusterService = ClusterServiceHelper.lookupService(endpoint.getCamelContext()).orElse(null);
        if (clusterService == null) {
            subscriptionManager.start();
            return;
        }
        String namespace = endpoint.clusterNamespace();
        LOG.info("graph-teams consumer for {}: the leader of cluster namespace {} manages the subscription",
                endpoint.getResource(), namespace);
        clusterView = clusterService.getView(namespace);
        clusterView.addEventListener(leadershipListener);
        // the view does not replay a leadership taken before the listener was added: catch up once
        leadershipChanged(clusterView, null);
    }

    private synchronized void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        if (!isRunAllowed() || subscriptionManager == null) {
            return;
        }
        boolean leading = view.getLocalMember().isLeader();
        boolean managing = subscriptionManager.status().managing();
        if (leading && !managing) {
            LOG.info("Leadership taken: managing the subscription for {}", getEndpoint().getResource());
            // never fails: a failed first attempt is retried in the background and shows in the health check
            subscriptionManager.startInBackground();
        } else if (!leading && managing) {
            LOG.info("Leadership lost: no longer managing the subscription for {}", getEndpoint().getResource());
            subscriptionManager.stop(false);
        }
    }

    private void onGap(SubscriptionGapListener.Reason reason, String subscriptionId) {
        SubscriptionGapListener listener = gapListener;
        if (listener != null) {
            listener.onGap(reason, subscriptionId);
        }
    }

    private void registerHealthCheck() {
        // Camel's consumers health-check repository asks each route's consumer for its check (HealthCheckAware)
        if (getEndpoint().getComponent().isHealthCheckConsumerEnabled()) {
            GraphTeamsConsumerHealthCheck check = new GraphTeamsConsumerHealthCheck(this, getRouteId());
            check.setCamelContext(getEndpoint().getCamelContext());
            setHealthCheck(check);
        }
    }

    /**
     * Fetches the identity platform's signing keys in the background, so the first batch does not pay for the fetch
     * inside Graph's 3-second window. A failure here is only logged: the first batch retries the fetch.
     */
    private void warmUpSigningKeys() {
        GraphTeamsEndpoint endpoint = getEndpoint();
        if (endpoint.getTokenVerifier() == null || !endpoint.getConfiguration().isIncludeResourceData()) {
            return;
        }
        String url = endpoint.getConfiguration().getOpenIdConfigurationUrl();
        workers.execute(() -> {
            try {
                endpoint.getComponent().signingKeys(url).refresh();
            } catch (Exception e) {
                LOG.warn("Could not fetch the validation token signing keys from {} yet: {}", url, e.getMessage());
            }
        });
    }

    @Override
    protected void doStop() throws Exception {
        if (clusterView != null) {
            clusterView.removeEventListener(leadershipListener);
            clusterService.releaseView(clusterView);
            clusterView = null;
        }
        if (subscriptionManager != null) {
            subscriptionManager.stop(getEndpoint().getConfiguration().isDeleteOnStop());
            removeLifecycleEventListener(subscriptionManager);
            subscriptionManager = null;
        }
        if (subscriptionScheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(subscriptionScheduler);
            subscriptionScheduler = null;
        }
        listening = false;
        if (httpRoutes != null) {
            getEndpoint().getComponent().unregisterHttpRoutes(this, httpRoutes);
            httpRoutes = null;
        }
        if (intake != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(intake);
            intake = null;
        }
        if (workers != null) {
            // let accepted batches finish so their exchanges complete and Graph gets its answer
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(workers);
            workers = null;
        }
        super.doStop();
    }

    private static ThreadPoolProfile workerProfile(int poolSize) {
        ThreadPoolProfile profile = new ThreadPoolProfile("graph-teams-notifications");
        profile.setPoolSize(poolSize);
        profile.setMaxPoolSize(poolSize);
        profile.setMaxQueueSize(MAX_QUEUED_TASKS);
        // never CallerRuns: the caller may be the Vert.x event loop
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        profile.setAllowCoreThreadTimeOut(false);
        return profile;
    }

    /** Each queued batch holds its body (up to maxBodySize): a short queue bounds that memory; beyond it, 503. */
    private static ThreadPoolProfile intakeProfile(int poolSize) {
        ThreadPoolProfile profile = workerProfile(poolSize);
        profile.setId("graph-teams-intake");
        profile.setMaxQueueSize(MAX_QUEUED_BATCHES);
        return profile;
    }

    private void onLifecycleEvent(ChangeNotification event) throws Exception {
        for (LifecycleEventListener listener : lifecycleListeners) {
            listener.onLifecycleEvent(event);
        }
    }

    private CompletableFuture<Void> forward(ReceivedNotification notification) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Exchange exchange = createExchange(false);
        try {
            populate(exchange.getMessage(), notification);
            getAsyncProcessor().process(exchange, doneSync -> {
                Exception failure = exchange.getException();
                boolean rolledBack = exchange.isRollbackOnly();
                releaseExchange(exchange, false);
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else if (rolledBack) {
                    done.completeExceptionally(new IllegalStateException("exchange marked rollback only"));
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            releaseExchange(exchange, false);
            done.completeExceptionally(e);
        }
        return done;
    }

    static void populate(Message message, ReceivedNotification notification) {
        ChangeNotification item = notification.item();
        message.setBody(notification.body());
        message.setHeader(GraphTeamsConstants.SOURCE, GraphTeamsConstants.SOURCE_NOTIFICATION);
        message.setHeader(GraphTeamsConstants.SUBSCRIPTION_ID, item.subscriptionId());
        message.setHeader(GraphTeamsConstants.TENANT_ID, item.tenantId());
        setIfPresent(message, GraphTeamsConstants.SUBSCRIPTION_EXPIRATION, item.subscriptionExpirationDateTime());
        if (item.isLifecycleEvent()) {
            message.setHeader(GraphTeamsConstants.LIFECYCLE_EVENT, item.lifecycleEvent());
            return;
        }
        message.setHeader(GraphTeamsConstants.CHANGE_TYPE, item.changeType());
        message.setHeader(GraphTeamsConstants.RESOURCE, item.resource());
        message.setHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED, notification.resourceDataIncluded());
        NotifiedResource notified = notification.notified();
        message.setHeader(GraphTeamsConstants.MESSAGE_ID, notified.effectiveMessageId());
        if (notified.replyId() != null) {
            message.setHeader(GraphTeamsConstants.REPLY_TO_ID, notified.messageId());
        }
        setIfPresent(message, GraphTeamsConstants.TEAM_ID, notified.teamId());
        setIfPresent(message, GraphTeamsConstants.CHANNEL_ID, notified.channelId());
        setIfPresent(message, GraphTeamsConstants.CHAT_ID, notified.chatId());
    }

    private static void setIfPresent(Message message, String header, String value) {
        if (value != null) {
            message.setHeader(header, value);
        }
    }
}
