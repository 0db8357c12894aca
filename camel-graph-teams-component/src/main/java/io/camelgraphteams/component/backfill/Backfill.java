package io.camelgraphteams.component.backfill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelgraphteams.component.graph.GraphApiException;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.graph.GraphPaths;
import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the messages live notifications did not bring and routes them. A run lists, for every known
 * {@link Conversation}, what changed since its lower bound (the watermark minus the overlap, never before the
 * endpoint's first start), oldest first within each page, and hands each message to the {@link BackfillEmitter},
 * whose dedup drops what was delivered already:
 * <ul>
 * <li>a channel: its message delta with {@code $expand=replies}, then the deltaLink in later rounds;</li>
 * <li>a chat: {@code /chats/{id}/messages} with {@code $filter=lastModifiedDateTime gt};</li>
 * <li>a user's chats: {@code /users/{id}/chats/getAllMessages} with the same filter.</li>
 * </ul>
 * At most one run at a time: triggers during a run are merged into one follow-up run. A trigger records the lower bound
 * each conversation has at that moment, so live deliveries that arrive before the run cannot move it past the gap.
 * A failed exchange stops the run; the conversation's pending bound and paging link stay where they were, so the next
 * run retries from there. Graph refusing one conversation's listing fails that conversation only. A failed run is
 * retried after a backoff.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(10);

    private final BackfillSettings settings;
    private final GraphClient graph;
    private final BackfillState state;
    private final BackfillEmitter emitter;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final BooleanSupplier leading;
    private final ExceptionHandler errors;

    private final Object lock = new Object();
    // lower bounds recorded by triggers since the current run took its own
    private final Map<Conversation, Instant> triggered = new HashMap<>();
    private CompletableFuture<Void> running;
    private CompletableFuture<Void> followUp;
    private ScheduledFuture<?> retry;
    private int consecutiveFailures;
    private volatile boolean stopped;

    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failedRuns = new AtomicLong();
    private final AtomicLong backfilled = new AtomicLong();
    private volatile Instant lastRunStarted;
    private volatile Instant lastRunFinished;
    private volatile String lastError;

    /**
     * @param leading whether this instance may run backfills now (it manages the subscription)
     * @param errors  told of every failed run and of state the repository could not keep (a failed run is retried)
     */
    public Backfill(BackfillSettings settings, GraphClient graph, BackfillState state, BackfillEmitter emitter,
                    ScheduledExecutorService executor, Clock clock, BooleanSupplier leading, ExceptionHandler errors) {
        this.settings = settings;
        this.graph = graph;
        this.state = state;
        this.emitter = emitter;
        this.executor = executor;
        this.clock = clock;
        this.leading = leading;
        this.errors = errors;
    }

    /**
     * Asks for a run. Returns at once; the future completes when the run that covers this request finished (fails
     * when it failed, or when this instance does not lead).
     */
    public CompletableFuture<Void> request(String reason) {
        if (stopped) {
            return CompletableFuture.failedFuture(new IllegalStateException("the backfill is stopped"));
        }
        if (!leading.getAsBoolean()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "this instance does not run backfills: the instance that manages the subscription does"));
        }
        synchronized (lock) {
            try {
                markPending();
            } catch (RuntimeException e) {
                // the run reads the same repository: it fails too, and failed runs are retried
                LOG.warn("Backfill ({}): could not read the backfill state: {}", reason, e.getMessage());
            }
            if (running == null) {
                running = new CompletableFuture<>();
                start(running, reason);
                return running;
            }
            if (followUp == null) {
                followUp = new CompletableFuture<>();
                LOG.debug("Backfill requested ({}) during a run: one follow-up run will cover it", reason);
            }
            return followUp;
        }
    }

    /**
     * Records every known conversation's lower bound as it is now, without running: called at a restart before
     * notifications are received, so the run that follows lists from where the previous process stopped.
     */
    public void markPending() {
        synchronized (lock) {
            for (Conversation conversation : state.conversations()) {
                Instant bound = state.lowerBound(conversation, settings.overlap());
                triggered.merge(conversation, bound, Backfill::earlier);
            }
        }
    }

    /** Ends any run: what it did not finish stays pending for the next process. */
    public void stop() {
        stopped = true;
        CompletableFuture<Void> pendingFollowUp;
        synchronized (lock) {
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
            pendingFollowUp = followUp;
            followUp = null;
            if (running == null) {
                // triggers no run will take: their bounds stay pending for the next process (a running run keeps them
                // when it ends)
                keepTriggered();
            }
        }
        if (pendingFollowUp != null) {
            pendingFollowUp.completeExceptionally(new CancellationException("the consumer stopped"));
        }
    }

    public BackfillStatus status() {
        boolean isRunning;
        synchronized (lock) {
            isRunning = running != null;
        }
        return new BackfillStatus(leading.getAsBoolean(), isRunning, runs.get(), failedRuns.get(), lastRunStarted,
                lastRunFinished, lastError, state.conversationCount(), backfilled.get());
    }

    public long backfilledMessages() {
        return backfilled.get();
    }

    // ---------------------------------------------------------------- one run

    private void start(CompletableFuture<Void> done, String reason) {
        try {
            executor.execute(() -> run(done, reason));
        } catch (RejectedExecutionException e) {
            running = null;
            done.completeExceptionally(new IllegalStateException("the backfill is stopped", e));
        }
    }

    private void run(CompletableFuture<Void> done, String reason) {
        Map<Conversation, Instant> bounds;
        synchronized (lock) {
            bounds = new HashMap<>(triggered);
            triggered.clear();
        }
        lastRunStarted = clock.instant();
        long before = backfilled.get();
        Throwable failure = null;
        boolean kept = false;
        try {
            LOG.debug("Backfill ({}) of {} conversation(s) started", reason, state.conversations().size());
            // every triggered bound is stored before any listing: a run that stops early (a failed exchange, a stop)
            // leaves the conversations it did not reach pending, instead of listing them later from a watermark that
            // live deliveries may have moved past the gap
            keep(bounds);
            kept = true;
            runOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new CancellationException("the backfill was interrupted (the consumer stopped)");
        } catch (Exception | Error e) {
            failure = e;
        }
        if (!kept) {
            synchronized (lock) {
                bounds.forEach((conversation, bound) -> triggered.merge(conversation, bound, Backfill::earlier));
            }
        }
        lastRunFinished = clock.instant();
        runs.incrementAndGet();
        if (failure == null) {
            lastError = null;
            long routed = backfilled.get() - before;
            if (routed > 0) {
                // messages notifications did not bring: worth a line in the log, unlike every quiet sweep
                LOG.info("Backfill ({}) routed {} message(s) that had not arrived as notifications", reason, routed);
            } else {
                LOG.debug("Backfill ({}) finished: nothing was missing", reason);
            }
        } else {
            failedRuns.incrementAndGet();
            lastError = describe(failure);
            String message = "Backfill (" + reason + ") failed after routing " + (backfilled.get() - before)
                             + " message(s); the next run resumes there: " + lastError;
            if (stopped && failure instanceof CancellationException) {
                // the consumer is stopping: no error of the backfill's, nothing for a handler to act on
                LOG.debug(message);
            } else {
                errors.handleException(message, failure);
            }
        }
        try {
            state.flush();
        } catch (RuntimeException e) {
            errors.handleException("Could not write the backfill watermarks: " + e.getMessage(), e);
        }
        synchronized (lock) {
            if (followUp != null && !stopped) {
                running = followUp;
                followUp = null;
                start(running, "follow-up");
            } else {
                running = null;
                if (stopped) {
                    keepTriggered();
                }
                afterRun(failure == null);
            }
        }
        if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }

    /** A failed run is retried after a backoff (10 s doubling up to 10 minutes); a successful one resets it. */
    private void afterRun(boolean succeeded) {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (succeeded) {
            consecutiveFailures = 0;
            return;
        }
        if (stopped) {
            return;
        }
        consecutiveFailures++;
        long delay = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(consecutiveFailures - 1, 10));
        try {
            retry = executor.schedule(() -> request("retry").exceptionally(e -> null), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Stores triggered lower bounds as pending (the lowest pending bound wins). */
    private void keep(Map<Conversation, Instant> bounds) {
        for (Map.Entry<Conversation, Instant> bound : bounds.entrySet()) {
            state.lowerPending(bound.getKey(), bound.getValue());
        }
    }

    /** At stop: the bounds of triggers no run took reach the state repository. Called holding the lock. */
    private void keepTriggered() {
        try {
            keep(triggered);
            triggered.clear();
        } catch (RuntimeException e) {
            errors.handleException("Could not keep the pending backfill bounds: " + e.getMessage(), e);
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void runOnce() throws Exception {
        Exception graphFailure = null;
        for (Conversation conversation : state.conversations()) {
            if (stopped) {
                throw new CancellationException("the consumer stopped");
            }
            try {
                runConversation(conversation);
            } catch (GraphApiException e) {
                // one conversation Graph will not list (gone, no permission, throttled past the budget): the others go on
                LOG.warn("Backfill of {} failed, the next run retries it: {}", conversation, e.getMessage());
                if (graphFailure == null) {
                    graphFailure = e;
                }
            }
        }
        if (graphFailure != null) {
            throw graphFailure;
        }
    }

    private void runConversation(Conversation conversation) throws Exception {
        Instant pending = state.pending(conversation);
        Instant bound = pending != null ? pending : state.lowerBound(conversation, settings.overlap());
        state.lowerPending(conversation, bound);
        Instant watermark = state.watermark(conversation);
        switch (conversation.kind()) {
            case CHANNEL -> listChannel(conversation, bound, watermark);
            case CHAT -> listChat(conversation, bound, watermark);
            case USER_CHATS -> listUserChats(conversation, bound, watermark);
        }
        state.clearPending(conversation);
    }

    /** The channel's delta: the stored deltaLink (changes since the last round) or a first round from the bound. */
    private void listChannel(Conversation channel, Instant bound, Instant watermark) throws Exception {
        BackfillState.Link link = state.link(channel);
        String url;
        Instant itemBound;
        Instant roundStart;
        if (link != null && link.delta()) {
            url = link.url();
            roundStart = clock.instant();
            // a thread shows up in the delta with all its replies: only what changed since the last round is news
            itemBound = atLeastSince(link.roundStart().minus(settings.overlap()));
        } else if (link != null) {
            url = link.url();
            itemBound = link.bound();
            roundStart = link.roundStart();
        } else {
            url = firstChannelPage(channel, bound);
            itemBound = bound;
            roundStart = clock.instant();
        }
        boolean stored = link != null;
        while (true) {
            // kept before the page is read: a failure to read or to route it resumes here
            state.setLink(channel, BackfillState.Link.next(itemBound, roundStart, url));
            JsonNode page;
            try {
                page = graph.get(url);
            } catch (GraphApiException e) {
                if (stored && isStale(e)) {
                    LOG.info("The stored paging link of {} was refused ({}): listing again from {}", channel,
                            e.status(), bound);
                    state.clearLink(channel);
                    stored = false;
                    url = firstChannelPage(channel, bound);
                    itemBound = bound;
                    roundStart = clock.instant();
                    continue;
                }
                throw e;
            }
            emitPage(channel, page, itemBound, watermark);
            String next = GraphPaths.link(page, "@odata.nextLink");
            if (next != null) {
                url = next;
                continue;
            }
            String delta = GraphPaths.link(page, "@odata.deltaLink");
            if (delta != null) {
                state.setLink(channel, BackfillState.Link.deltaRound(roundStart, delta));
            } else {
                state.clearLink(channel);
            }
            return;
        }
    }

    private String firstChannelPage(Conversation channel, Instant bound) {
        return GraphPaths.channelMessagesDeltaPath(channel.first(), channel.second(), bound, settings.pageSize());
    }

    /**
     * One chat, newest first (Graph's only order with the filter). Its paging position is not kept: new messages shift
     * the pages, so an interrupted listing starts again from the pending bound and dedup skips what was routed.
     */
    private void listChat(Conversation chat, Instant bound, Instant watermark) throws Exception {
        String url = GraphPaths.chatMessagesPath(chat.first(), bound, settings.pageSize());
        while (url != null) {
            JsonNode page = graph.get(url);
            emitPage(chat, page, bound, watermark);
            url = GraphPaths.link(page, "@odata.nextLink");
        }
    }

    /** Every chat of one user; an interrupted listing resumes at the stored page. */
    private void listUserChats(Conversation user, Instant bound, Instant watermark) throws Exception {
        BackfillState.Link link = state.link(user);
        boolean stored = link != null && !link.delta();
        String url = stored ? link.url() : GraphPaths.userChatMessagesPath(user.first(), bound, settings.pageSize());
        Instant itemBound = stored ? link.bound() : bound;
        Instant roundStart = stored ? link.roundStart() : clock.instant();
        while (url != null) {
            state.setLink(user, BackfillState.Link.next(itemBound, roundStart, url));
            JsonNode page;
            try {
                page = graph.get(url);
            } catch (GraphApiException e) {
                if (stored && isStale(e)) {
                    LOG.info("The stored paging link of {} was refused ({}): listing again from {}", user, e.status(),
                            bound);
                    state.clearLink(user);
                    stored = false;
                    url = GraphPaths.userChatMessagesPath(user.first(), bound, settings.pageSize());
                    itemBound = bound;
                    continue;
                }
                throw e;
            }
            emitPage(user, page, itemBound, watermark);
            url = GraphPaths.link(page, "@odata.nextLink");
        }
        state.clearLink(user);
    }

    /** The page's messages (and their expanded replies) changed after the bound, oldest first. */
    private void emitPage(Conversation conversation, JsonNode page, Instant bound, Instant watermark)
            throws Exception {
        List<ListedMessage> messages = new ArrayList<>();
        for (JsonNode item : page.path("value")) {
            ListedMessage.of(item).ifPresent(messages::add);
            for (JsonNode reply : item.path("replies")) {
                ListedMessage.of(reply).ifPresent(messages::add);
            }
        }
        messages.removeIf(m -> m.changedAt() == null || !m.changedAt().isAfter(bound));
        messages.sort(Comparator.comparing(ListedMessage::changedAt));
        for (ListedMessage message : messages) {
            if (stopped) {
                throw new CancellationException("the consumer stopped");
            }
            emitOne(conversation, message, watermark);
        }
    }

    private void emitOne(Conversation conversation, ListedMessage message, Instant watermark) throws Exception {
        String changeType = message.changeType(settings.changeTypes(), watermark);
        if (changeType == null || !settings.filter().matches(message)) {
            return;
        }
        NotifiedResource where = message.where(conversation);
        String id = LoggedValue.of(message.facts().id());
        if (where == null) {
            LOG.warn("Backfill of {}: message {} names no chat, skipped", conversation, id);
            return;
        }
        boolean routed;
        try {
            routed = emitter.emit(where, message.facts(), message.body(), changeType).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the exchange of message " + id + " (" + changeType + ") in "
                                            + conversation + " failed: " + describe(cause), cause);
        }
        if (routed) {
            backfilled.incrementAndGet();
        }
    }

    private Instant atLeastSince(Instant bound) {
        return bound.isBefore(state.since()) ? state.since() : bound;
    }

    /** A stored link Graph no longer honours (expired token): start the listing again. */
    private static boolean isStale(GraphApiException e) {
        return e.status() == 400 || e.status() == 404 || e.status() == 410;
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
