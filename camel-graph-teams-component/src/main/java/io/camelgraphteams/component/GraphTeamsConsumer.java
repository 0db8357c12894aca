package io.camelgraphteams.component;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.backfill.Backfill;
import io.camelgraphteams.component.backfill.BackfillSettings;
import io.camelgraphteams.component.backfill.BackfillState;
import io.camelgraphteams.component.backfill.BackfillStatus;
import io.camelgraphteams.component.backfill.ChatMessageFacts;
import io.camelgraphteams.component.backfill.Conversation;
import io.camelgraphteams.component.backfill.DedupGate;
import io.camelgraphteams.component.backfill.DedupKeys;
import io.camelgraphteams.component.backfill.MessageFilter;
import io.camelgraphteams.component.graph.GraphApiException;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.operations.GraphTeamsConsumerHealthCheck;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.subscription.SubscriptionGapListener;
import io.camelgraphteams.component.subscription.SubscriptionManager;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import io.camelgraphteams.component.webhook.ChangeNotification;
import io.camelgraphteams.component.webhook.LifecycleEventListener;
import io.camelgraphteams.component.webhook.MessageFetcher;
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
 * verified notification into a fresh exchange, once: a change already delivered is skipped ({@link DedupGate}). The
 * HTTP request itself never reaches the route. Where it leads (manages the subscription), it also backfills what
 * Graph did not deliver ({@link Backfill}) through the same dedup.
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
    // this instance manages the subscription and runs backfills (always true without a cluster service)
    private volatile boolean leading;
    private boolean ledBefore;
    private DedupGate dedup;
    private String stateNamespace;
    private BackfillState backfillState;
    private Backfill backfill;
    private String backfillOff;
    // the endpoint had backfill state when this consumer started: a restart, so the leader backfills
    private boolean restarted;
    private ScheduledExecutorService backfillExecutor;

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

    /**
     * Also told when notifications may have been lost (subscription removed or lapsed, missed); the consumer's own
     * backfill reacts to them in any case.
     */
    public void setGapListener(SubscriptionGapListener gapListener) {
        this.gapListener = gapListener;
    }

    /**
     * Runs a backfill now (or, when one is running, once more after it). The future completes when that run finished;
     * it fails when the run failed, when this instance does not lead, or when the endpoint cannot backfill
     * (backfill=false, no Graph credentials).
     */
    public CompletableFuture<Void> backfillNow() {
        Backfill b = backfill;
        if (b == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    backfillOff != null ? backfillOff : "the consumer is not started"));
        }
        return b.request("requested");
    }

    /** Copies not routed because the same change was delivered already (live and backfilled). */
    public long getDuplicatesSkipped() {
        return dedup != null ? dedup.duplicatesSkipped() : 0;
    }

    /** Copies waiting right now for the outcome of the same change already in the route (they are not routed). */
    public int getDuplicatesWaiting() {
        return dedup != null ? dedup.waitingCopies() : 0;
    }

    /** Messages the backfill routed (duplicates not counted). */
    public long getBackfilledMessages() {
        return backfill != null ? backfill.backfilledMessages() : 0;
    }

    /** The backfill's state; null when it is off (backfill=false or no Graph credentials). */
    public BackfillStatus getBackfillStatus() {
        return backfill != null ? backfill.status() : null;
    }

    /** Why the backfill is off, or null when it is on. */
    public String getBackfillOff() {
        return backfill != null ? null : backfillOff;
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
        setUpGraphAccess();
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
                configuration.isIncludeResourceData())
                .withFetcher(fetcher());
        intake = getEndpoint().getCamelContext().getExecutorServiceManager().newThreadPool(this,
                "GraphTeamsIntake[" + endpoint.getResource() + "]",
                intakeProfile(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
        httpRoutes = new NotificationHttpRoutes(processor, intake, configuration.getMaxBodySize());
        if (configuration.isManageSubscription()) {
            createSubscriptionManager();
        }
        // before the paths are served: the restart's lower bounds are taken before any live delivery moves them
        openBackfill();
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
        // a failure here fails the start; Camel then calls doStop, which releases the paths and threads
        startLeadership();
    }

    /**
     * The Graph client (for the subscription, the backfill and fetching messages) and the dedup gate. Graph is
     * called only with credentials; a receive-only endpoint without them still deduplicates.
     */
    private void setUpGraphAccess() {
        GraphTeamsEndpoint endpoint = getEndpoint();
        GraphTeamsConfiguration configuration = endpoint.getConfiguration();
        stateNamespace = endpoint.stateNamespace();
        dedup = new DedupGate(endpoint.idempotentRepository());
        String missing = configuration.isManageSubscription() ? null : endpoint.missingGraphCredentials();
        boolean wantsGraph = configuration.isManageSubscription() || configuration.isBackfill()
                             || !configuration.isIncludeResourceData();
        if (missing == null && wantsGraph) {
            graphClient = endpoint.createGraphClient();
        }
        if (!configuration.isBackfill()) {
            backfillOff = "backfill is off (backfill=false)";
        } else if (graphClient == null) {
            backfillOff = "backfill is off: it lists messages from Graph and the endpoint has no Graph credentials "
                          + "(tenantId, clientId and clientSecret or clientCertificate, or a tokenProvider bean)";
            LOG.info("graph-teams consumer for {}: {}", endpoint.getResource(), backfillOff);
        }
        if (!configuration.isIncludeResourceData() && graphClient == null) {
            LOG.info("graph-teams consumer for {}: notifications carry no resource data and the endpoint has no Graph "
                     + "credentials to get the messages: the body is Graph's resourceData reference",
                    endpoint.getResource());
        }
    }

    /** GETs the message of notifications without resource data, when the endpoint can call Graph. */
    private MessageFetcher fetcher() {
        if (getEndpoint().getConfiguration().isIncludeResourceData() || graphClient == null) {
            return null;
        }
        GraphClient client = graphClient;
        return item -> {
            // the path is rebuilt from the parsed ids, each percent-encoded as one segment: a notification's resource
            // never adds a query or other segments to the call made with our credentials
            NotifiedResource notified = NotifiedResource.parse(item.resource())
                    .orElseThrow(() -> new IllegalArgumentException("not a chatMessage resource"));
            try {
                return client.getMessage(notified.toResourcePath()).toString();
            } catch (GraphApiException e) {
                if (e.isNotFound()) {
                    return null;
                }
                throw e;
            }
        };
    }

    /** Loads the backfill's state and, at a restart, takes the lower bounds before anything is received. */
    private void openBackfill() {
        if (backfillOff != null || graphClient == null) {
            return;
        }
        GraphTeamsEndpoint endpoint = getEndpoint();
        GraphTeamsConfiguration configuration = endpoint.getConfiguration();
        backfillState = new BackfillState(endpoint.stateRepository(), stateNamespace);
        restarted = backfillState.open(Clock.systemUTC().instant());
        // a single channel, chat or user is known from the start: even its first lost message is found
        Conversation.single(endpoint.getResource()).ifPresent(backfillState::register);
        MessageFilter filter = MessageFilter.of(configuration.getSearch(), configuration.getMentionedUserId(),
                configuration.getFilter());
        if (filter.limitation() != null) {
            LOG.warn("graph-teams consumer for {}: {}", endpoint.getResource(), filter.limitation());
        }
        BackfillSettings settings = new BackfillSettings(Duration.ofMillis(configuration.getBackfillOverlap()),
                configuration.getBackfillPageSize(), new HashSet<>(endpoint.changeTypes()), filter);
        backfillExecutor = endpoint.getCamelContext().getExecutorServiceManager()
                .newScheduledThreadPool(this, "GraphTeamsBackfill[" + endpoint.getResource() + "]", 2);
        backfill = new Backfill(settings, graphClient, backfillState, this::emitBackfilled, backfillExecutor,
                Clock.systemUTC(), () -> leading && isRunAllowed());
        if (restarted) {
            backfill.markPending();
        }
        backfillExecutor.scheduleWithFixedDelay(this::flushWatermarks, 1, 1, TimeUnit.SECONDS);
        long interval = configuration.getBackfillInterval();
        if (interval > 0) {
            backfillExecutor.scheduleWithFixedDelay(() -> {
                if (leading) {
                    backfill.request("sweep").exceptionally(e -> null);
                }
            }, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    private void flushWatermarks() {
        try {
            backfillState.flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not write the backfill watermarks of {}: {}", getEndpoint().getResource(), e.getMessage());
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
        subscriptionScheduler = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "GraphTeamsSubscription[" + endpoint.getResource() + "]");
        subscriptionManager = new SubscriptionManager(endpoint.subscriptionSpec(), graphClient, subscriptionScheduler,
                Clock.systemUTC(), this::onGap);
        addLifecycleEventListener(subscriptionManager);
    }

    /**
     * Manages the subscription and runs backfills, on this instance or, with a Camel cluster service, on the leader of
     * the endpoint's namespace only. Every instance receives.
     */
    private void startLeadership() throws Exception {
        if (subscriptionManager == null && backfill == null) {
            return;
        }
        GraphTeamsEndpoint endpoint = getEndpoint();
        clusterService = ClusterServiceHelper.lookupService(endpoint.getCamelContext()).orElse(null);
        if (clusterService == null) {
            if (subscriptionManager != null) {
                subscriptionManager.start();
            }
            leading = true;
            tookLead();
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
        if (!isRunAllowed() || (subscriptionManager == null && backfill == null)) {
            return;
        }
        boolean nowLeading = view.getLocalMember().isLeader();
        if (nowLeading && !leading) {
            LOG.info("Leadership taken: managing the subscription for {}", getEndpoint().getResource());
            leading = true;
            if (subscriptionManager != null) {
                // never fails: a failed first attempt is retried in the background and shows in the health check
                subscriptionManager.startInBackground();
            }
            tookLead();
        } else if (!nowLeading && leading) {
            LOG.info("Leadership lost: no longer managing the subscription for {}", getEndpoint().getResource());
            leading = false;
            if (subscriptionManager != null) {
                subscriptionManager.stop(false);
            }
        }
    }

    /**
     * This instance now runs backfills: after a restart it backfills at once; when it takes over, only if a listing was
     * left unfinished (by a leader that stopped in the middle of a run, with a shared state repository).
     */
    private void tookLead() {
        boolean first = !ledBefore;
        ledBefore = true;
        if (backfill == null) {
            return;
        }
        if (first && restarted) {
            backfill.request("restart").exceptionally(e -> null);
        } else if (backfillState.hasUnfinished()) {
            backfill.request("unfinished listing").exceptionally(e -> null);
        }
    }

    private void onGap(SubscriptionGapListener.Reason reason, String subscriptionId) {
        Backfill b = backfill;
        if (b != null) {
            b.request("gap: " + reason).exceptionally(e -> null);
        }
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
        leading = false;
        ledBefore = false;
        if (backfill != null) {
            // a run in progress is interrupted; what it did not finish stays pending in the state repository
            backfill.stop();
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(backfillExecutor);
            try {
                backfillExecutor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            backfill = null;
            backfillExecutor = null;
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
        if (backfillState != null) {
            // after the last exchange: every watermark delivered reaches the repository
            flushWatermarks();
            backfillState = null;
        }
        graphClient = null;
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

    /** The processor's forwarder: a verified live notification, through the dedup gate. */
    private CompletableFuture<Void> forward(ReceivedNotification notification) {
        return deliver(notification, GraphTeamsConstants.SOURCE_NOTIFICATION).thenApply(routed -> null);
    }

    /**
     * Routes a change once: its dedup key is looked up before the exchange is made and recorded after it completed;
     * the conversation's watermark moves up to it.
     *
     * @return completes with true when routed, false when it was a duplicate; fails when the exchange failed
     */
    private CompletableFuture<Boolean> deliver(ReceivedNotification notification, String source) {
        ChangeNotification item = notification.item();
        if (item.isLifecycleEvent()) {
            return route(notification, source).thenApply(done -> true);
        }
        ChatMessageFacts facts = notification.resourceDataIncluded()
                ? ChatMessageFacts.parse(notification.body()).orElse(null) : null;
        String key = facts == null ? null
                : DedupKeys.of(stateNamespace, notification.notified(), item.changeType(), facts.version());
        CompletableFuture<Boolean> outcome = dedup.pass(key, () -> route(notification, source));
        BackfillState state = backfillState;
        if (state == null || facts == null || facts.changedAt() == null) {
            return outcome;
        }
        // before the caller hears of it: a batch acknowledged or a backfill page finished has moved the watermark
        return outcome.thenApply(routed -> {
            try {
                Conversation.of(getEndpoint().getResource(), notification.notified())
                        .ifPresent(conversation -> state.advance(conversation, facts.changedAt()));
            } catch (RuntimeException e) {
                LOG.warn("Could not move the backfill watermark of {}: {}", getEndpoint().getResource(), e.getMessage());
            }
            return routed;
        });
    }

    /** The backfill's emitter: a listed message becomes an exchange like a live one, with source=backfill. */
    private CompletableFuture<Boolean> emitBackfilled(NotifiedResource where, ChatMessageFacts facts, String changeType) {
        SubscriptionManager manager = subscriptionManager;
        String subscriptionId = manager != null ? manager.status().subscriptionId() : null;
        ChangeNotification item = new ChangeNotification(subscriptionId, changeType, null, null,
                getEndpoint().getConfiguration().getTenantId(), where.toResourcePath(), null, null, null, null);
        return deliver(new ReceivedNotification(item, where, facts.body(), true), GraphTeamsConstants.SOURCE_BACKFILL);
    }

    private CompletableFuture<Void> route(ReceivedNotification notification, String source) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Exchange exchange = createExchange(false);
        try {
            populate(exchange.getMessage(), notification, source);
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
        populate(message, notification, GraphTeamsConstants.SOURCE_NOTIFICATION);
    }

    static void populate(Message message, ReceivedNotification notification, String source) {
        ChangeNotification item = notification.item();
        message.setBody(notification.body());
        message.setHeader(GraphTeamsConstants.SOURCE, source);
        setIfPresent(message, GraphTeamsConstants.SUBSCRIPTION_ID, item.subscriptionId());
        setIfPresent(message, GraphTeamsConstants.TENANT_ID, item.tenantId());
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
