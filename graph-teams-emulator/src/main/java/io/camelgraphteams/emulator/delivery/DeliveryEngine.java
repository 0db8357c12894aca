package io.camelgraphteams.emulator.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.subscriptions.SubscriptionStore;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.MessageEvent;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.GraphTimings;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns message changes into Graph notification POSTs: finds the matching subscriptions, builds each item (encrypting
 * the message and adding validationTokens for includeResourceData), batches items per notificationUrl, and delivers
 * with Graph's policy: a 2xx within the delivery timeout counts, anything else is retried with exponential backoff
 * until the retry window is used up; an endpoint that answers slowly too often is put in Graph's slow state (new
 * notifications held back) or drop state (new notifications discarded), see {@link EndpointHealth}.
 *
 * <p>All state lives on one worker thread (crypto runs there too, off the Vert.x event loop); HTTP I/O is Vert.x's.
 */
public final class DeliveryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final DateTimeFormatter GRAPH_OFFSET_TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSxxx").withZone(ZoneOffset.UTC);

    private final Vertx vertx;
    private final HttpClient client;
    private final SubscriptionStore subscriptions;
    private final TeamsStore teams;
    private final NotificationEncryptor encryptor = new NotificationEncryptor();
    private final ValidationTokenIssuer tokenIssuer;
    private final Chaos chaos;
    private final DeliveryLog log;
    private final Supplier<GraphTimings> timings;
    private final Supplier<ValidationTokenVersion> tokenVersion;
    private final Supplier<String> graphBaseUrl;
    private final Clock clock;
    private final int maxBatchSize;
    private final int healthMinSamples;
    private final int evaluationModeCap;
    private final Map<String, Integer> evaluationUse = new HashMap<>();
    private final AtomicLong evaluationWithheld = new AtomicLong();
    private final ScheduledExecutorService worker;
    private final Map<String, EndpointHealth> health = new java.util.HashMap<>();
    private final Map<String, PendingBatch> pending = new LinkedHashMap<>();

    /** Items waiting for their batch window to close, for one URL. */
    private static final class PendingBatch {
        final List<ObjectNode> items = new ArrayList<>();
        final Set<String> subscriptionIds = new LinkedHashSet<>();
        final Set<List<String>> tokenAudiences = new LinkedHashSet<>();
        ScheduledFuture<?> flush;
    }

    /** One batch on its way, with all its attempts. */
    private record Delivery(String id, DeliveryRecord.Kind kind, String url, String body, List<String> subscriptionIds,
            int itemCount, long firstAttemptNanos) {
    }

    public DeliveryEngine(Vertx vertx, HttpClient client, SubscriptionStore subscriptions, TeamsStore teams,
            ValidationTokenIssuer tokenIssuer, Chaos chaos, DeliveryLog log, Supplier<GraphTimings> timings,
            Supplier<ValidationTokenVersion> tokenVersion, Supplier<String> graphBaseUrl, Clock clock, int maxBatchSize,
            int healthMinSamples, int evaluationModeCap) {
        this.vertx = vertx;
        this.client = client;
        this.subscriptions = subscriptions;
        this.teams = teams;
        this.tokenIssuer = tokenIssuer;
        this.chaos = chaos;
        this.log = log;
        this.timings = timings;
        this.tokenVersion = tokenVersion;
        this.graphBaseUrl = graphBaseUrl;
        this.clock = clock;
        this.maxBatchSize = maxBatchSize;
        this.healthMinSamples = healthMinSamples;
        this.evaluationModeCap = evaluationModeCap;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graph-emulator-delivery");
            t.setDaemon(true);
            return t;
        });
    }

    public void shutdown() {
        worker.shutdownNow();
    }

    /** Graph's judgement of every notification URL it delivered to, read on the delivery worker. */
    public List<EndpointJudgement> endpointJudgements() {
        try {
            return worker.submit(() -> health.entrySet().stream()
                    .map(entry -> entry.getValue().judgement(entry.getKey())).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the endpoint judgements", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not read the endpoint judgements", e.getCause());
        }
    }

    /**
     * Called by the Teams store for every change, in order, while it holds its lock: the matching subscriptions are
     * chosen against the data as it is at this change (a chat joined or an app installed later does not count), and
     * the encryption and sending happen on the worker.
     */
    public void onMessageEvent(MessageEvent event) {
        List<Subscription> matching = matching(event);
        if (!matching.isEmpty()) {
            submit(() -> matching.stream().filter(this::withinEvaluationCap).forEach(s -> enqueue(s, item(s, event))));
        }
    }

    /**
     * Metered resources subscribed without {@code model} run in evaluation mode: past the cap, Graph sends nothing
     * more and says nothing (on the worker, so counted in order).
     */
    private boolean withinEvaluationCap(Subscription s) {
        if (evaluationModeCap <= 0 || !s.parsedResource().kind().allowsModel() || s.parsedResource().model() != null) {
            return true;
        }
        int used = evaluationUse.merge(s.applicationId() + "|" + s.tenantId(), 1, Integer::sum);
        if (used > evaluationModeCap) {
            evaluationWithheld.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Notifications Graph did not send because an app's evaluation mode was used up. */
    public long evaluationWithheld() {
        return evaluationWithheld.get();
    }

    /** Posts a lifecycle notification for the subscription to its lifecycleNotificationUrl. */
    public void sendLifecycleEvent(Subscription s, LifecycleEvent event) {
        if (s.lifecycleNotificationUrl() == null) {
            throw new IllegalStateException("subscription " + s.id() + " has no lifecycleNotificationUrl");
        }
        submit(() -> {
            ObjectNode body = Json.object();
            ObjectNode item = body.putArray("value").addObject();
            item.put("subscriptionId", s.id());
            item.put("subscriptionExpirationDateTime", GRAPH_OFFSET_TIME.format(s.expirationDateTime()));
            item.put("tenantId", s.tenantId());
            item.put("clientState", s.clientState());
            item.put("lifecycleEvent", event.graphName());
            dispatch(new Delivery(UUID.randomUUID().toString(), DeliveryRecord.Kind.LIFECYCLE,
                    s.lifecycleNotificationUrl(), Json.write(body), List.of(s.id()), 1, System.nanoTime()));
        });
    }

    private void submit(Runnable task) {
        try {
            worker.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // stopped: nothing more is delivered
        }
    }

    private List<Subscription> matching(MessageEvent event) {
        ChatMessage message = event.message();
        List<Subscription> result = new ArrayList<>();
        for (Subscription s : subscriptions.live()) {
            if (s.tenantId().equals(message.tenantId()) && s.wants(event.changeType())
                    && s.parsedResource().matches(message, teams)) {
                result.add(s);
            }
        }
        return result;
    }

    private ObjectNode item(Subscription s, MessageEvent event) {
        ChatMessage message = event.message();
        ObjectNode item = Json.object();
        item.put("subscriptionId", s.id());
        item.put("changeType", event.changeType().graphName());
        item.put("clientState", s.clientState());
        item.put("subscriptionExpirationDateTime", GRAPH_OFFSET_TIME.format(s.expirationDateTime()));
        item.put("resource", message.resourcePath());
        item.put("tenantId", s.tenantId());
        ObjectNode resourceData = item.putObject("resourceData");
        resourceData.put("id", message.id());
        resourceData.put("@odata.type", "#Microsoft.Graph.chatMessage");
        resourceData.put("@odata.id", message.resourcePath());
        if (s.includeResourceData()) {
            ObjectNode json = message.toJson();
            ObjectNode plaintext = Json.object();
            plaintext.put("@odata.context", graphBaseUrl.get() + "/" + s.apiVersion() + "/$metadata#" + entitySet(message)
                    + "/$entity");
            plaintext.setAll(json);
            item.set("encryptedContent", encryptor.encrypt(Json.bytes(plaintext), s.parsedEncryptionCertificate(),
                    s.encryptionCertificateId()));
        }
        return item;
    }

    private static String entitySet(ChatMessage m) {
        if (m.isChannelMessage()) {
            String channel = "teams('" + m.teamId() + "')/channels('" + m.channelId() + "')/messages";
            return m.isReply() ? channel + "('" + m.replyToId() + "')/replies" : channel;
        }
        return "chats('" + m.chatId() + "')/messages";
    }

    private void enqueue(Subscription s, ObjectNode item) {
        String url = s.notificationUrl();
        PendingBatch batch = pending.computeIfAbsent(url, u -> new PendingBatch());
        batch.items.add(item);
        batch.subscriptionIds.add(s.id());
        if (s.includeResourceData()) {
            batch.tokenAudiences.add(List.of(s.applicationId(), s.tenantId()));
        }
        if (batch.items.size() >= maxBatchSize) {
            if (batch.flush != null) {
                batch.flush.cancel(false);
            }
            flush(url);
        } else if (batch.flush == null) {
            batch.flush = worker.schedule(() -> guarded(() -> flush(url)), timings.get().batchWindow().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void flush(String url) {
        PendingBatch batch = pending.remove(url);
        if (batch == null || batch.items.isEmpty()) {
            return;
        }
        ObjectNode body = Json.object();
        ArrayNode value = body.putArray("value");
        batch.items.forEach(value::add);
        if (batch.tokenAudiences.stream().anyMatch(audience -> tokenIssuer.withholdsTokensFor(audience.get(0)))) {
            // Microsoft: a service principal with appRoleAssignmentRequired gets no tokens, the field is null
            body.putNull("validationTokens");
        } else if (!batch.tokenAudiences.isEmpty()) {
            ArrayNode tokens = body.putArray("validationTokens");
            Duration lifetime = timings.get().validationTokenLifetime();
            for (List<String> appAndTenant : batch.tokenAudiences) {
                tokens.add(tokenIssuer.issue(appAndTenant.get(0), appAndTenant.get(1), tokenVersion.get(), lifetime));
            }
        }
        dispatch(new Delivery(UUID.randomUUID().toString(), DeliveryRecord.Kind.NOTIFICATION, url, Json.write(body),
                List.copyOf(batch.subscriptionIds), batch.items.size(), System.nanoTime()));
    }

    private void dispatch(Delivery delivery) {
        EndpointHealth endpoint = health.computeIfAbsent(delivery.url(), u -> new EndpointHealth());
        long now = System.nanoTime();
        boolean endpointDropping = healthMinSamples > 0 && endpoint.dropping(now);
        if (endpointDropping || chaos.shouldDrop()) {
            log.add(delivery.kind(), delivery.id(), delivery.url(), 1, false, clock.instant(), 0, 0,
                    DeliveryRecord.Outcome.DROPPED, endpointDropping ? "endpoint in drop state: 15 % or more of its answers "
                            + "took over " + EndpointHealth.slowAfterMillis(timings.get()) + " ms" : "chaos: dropped",
                    delivery.subscriptionIds(), delivery.itemCount(), delivery.body());
            return;
        }
        boolean duplicate = chaos.shouldDuplicate();
        long slowDelay = healthMinSamples > 0 ? endpoint.slowDelayNanos(now) : 0;
        long delay = Math.max(chaos.deliveryDelay().toNanos(), slowDelay);
        String note = slowDelay > 0 ? "endpoint in slow state: held back " + slowDelay / 1_000_000 + " ms" : null;
        boolean atOnce = duplicate && chaos.duplicatesAtOnce();
        Runnable first = () -> {
            if (atOnce) {
                sendDuplicate(delivery);
            }
            attempt(delivery, 1, duplicate && !atOnce, note);
        };
        if (delay <= 0) {
            first.run();
        } else {
            worker.schedule(() -> guarded(first), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RejectedExecutionException e) {
            // stopped while scheduling a retry or a flush
        } catch (RuntimeException e) {
            LOG.error("Delivery engine task failed", e);
        }
    }

    /**
     * Sends one attempt and waits up to the retry timeout (10 s) for the answer; it counts as delivered only when it
     * is a 2xx that came within the delivery timeout (3 s). The outcome comes back to the worker thread.
     */
    private void attempt(Delivery delivery, int attempt, boolean thenDuplicate, String note) {
        GraphTimings t = timings.get();
        post(delivery.url(), delivery.body(), t.retryRequestTimeout(), (status, elapsedMillis, detail, sentAt) ->
                submit(() -> {
            boolean success = status >= 200 && status < 300;
            boolean inTime = elapsedMillis <= t.deliveryTimeout().toMillis();
            DeliveryRecord.Outcome outcome = success && inTime ? DeliveryRecord.Outcome.DELIVERED
                    : status == 0 ? DeliveryRecord.Outcome.TIMED_OUT : DeliveryRecord.Outcome.FAILED;
            String why = success && !inTime ? "answered " + status + " after " + elapsedMillis + " ms, over the "
                    + t.deliveryTimeout().toMillis() + " ms delivery timeout" : detail;
            if (note != null) {
                why = why == null ? note : note + "; " + why;
            }
            health.computeIfAbsent(delivery.url(), u -> new EndpointHealth())
                    .record(System.nanoTime(), elapsedMillis, status == 0, t, healthMinSamples);
            log.add(delivery.kind(), delivery.id(), delivery.url(), attempt, false, sentAt, elapsedMillis, status, outcome,
                    why, delivery.subscriptionIds(), delivery.itemCount(), delivery.body());
            if (thenDuplicate) {
                sendDuplicate(delivery);
            }
            if (outcome != DeliveryRecord.Outcome.DELIVERED) {
                scheduleRetry(delivery, attempt);
            }
        }));
    }

    private void sendDuplicate(Delivery delivery) {
        post(delivery.url(), delivery.body(), timings.get().deliveryTimeout(), (status, elapsedMillis, detail, sentAt) ->
                log.add(delivery.kind(), delivery.id(), delivery.url(), 1, true, sentAt, elapsedMillis, status,
                        status >= 200 && status < 300 ? DeliveryRecord.Outcome.DELIVERED
                                : status == 0 ? DeliveryRecord.Outcome.TIMED_OUT : DeliveryRecord.Outcome.FAILED,
                        "chaos: duplicate" + (detail == null ? "" : "; " + detail), delivery.subscriptionIds(),
                        delivery.itemCount(), delivery.body()));
    }

    private void scheduleRetry(Delivery delivery, int attempt) {
        GraphTimings t = timings.get();
        boolean anyAlive = delivery.subscriptionIds().stream().anyMatch(id -> subscriptions.find(id).isPresent());
        if (!anyAlive) {
            log.add(delivery.kind(), delivery.id(), delivery.url(), attempt, false, clock.instant(), 0, 0,
                    DeliveryRecord.Outcome.ABANDONED, "the subscriptions are gone", delivery.subscriptionIds(),
                    delivery.itemCount(), delivery.body());
            return;
        }
        long backoff = t.retryInitialBackoff().toNanos() << Math.min(attempt - 1, 30);
        if (backoff <= 0 || backoff > t.retryMaxBackoff().toNanos()) {
            backoff = t.retryMaxBackoff().toNanos();
        }
        long nextStart = System.nanoTime() + backoff - delivery.firstAttemptNanos();
        if (nextStart > t.retryWindow().toNanos()) {
            log.add(delivery.kind(), delivery.id(), delivery.url(), attempt, false, clock.instant(), 0, 0,
                    DeliveryRecord.Outcome.GAVE_UP, "retry window of " + t.retryWindow() + " used up",
                    delivery.subscriptionIds(), delivery.itemCount(), delivery.body());
            return;
        }
        worker.schedule(() -> guarded(() -> attempt(delivery, attempt + 1, false, null)), backoff, TimeUnit.NANOSECONDS);
    }

    @FunctionalInterface
    private interface Outcome {
        /** status 0 = no answer in time or no connection. */
        void done(int status, long elapsedMillis, String detail, Instant sentAt);
    }

    private void post(String url, String body, Duration timeout, Outcome outcome) {
        Promise<int[]> result = Promise.promise();
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        // Graph's clock runs from the send, not from a wait for one of the emulator's pooled connections
        AtomicLong sentNanos = new AtomicLong(System.nanoTime());
        Instant sentAt = clock.instant();
        vertx.runOnContext(v -> {
            long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
                if (result.tryFail("no 2xx within " + timeout.toMillis() + " ms")) {
                    HttpClientRequest r = request.get();
                    if (r != null) {
                        r.reset();
                    }
                }
            });
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                    .putHeader("Content-Type", "application/json; charset=utf-8");
            client.request(options)
                    .compose(r -> {
                        request.set(r);
                        sentNanos.set(System.nanoTime());
                        return r.send(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
                    })
                    .compose(response -> response.body().map(b -> response.statusCode()))
                    .onComplete(ar -> {
                        vertx.cancelTimer(timer);
                        if (ar.succeeded()) {
                            result.tryComplete(new int[] { ar.result() });
                        } else {
                            result.tryFail(ar.cause());
                        }
                    });
        });
        result.future().onComplete(ar -> {
            long elapsed = (System.nanoTime() - sentNanos.get()) / 1_000_000;
            if (ar.succeeded()) {
                int status = ar.result()[0];
                outcome.done(status, elapsed, status >= 200 && status < 300 ? null : "answered " + status, sentAt);
            } else {
                outcome.done(0, elapsed, ar.cause().getMessage(), sentAt);
            }
        });
    }
}
