package io.camelgraphteams.component.backfill;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.camelgraphteams.component.graph.GraphClient;
import org.apache.camel.spi.ExceptionHandler;

/**
 * When the {@link Backfill} runs: at once when this instance first leads after a restart, when a listing was left
 * unfinished by a former leader, after every gap the subscription reports, every {@code sweepInterval} while leading,
 * and on request. It also writes the watermarks every second (the overlap covers what a crash loses).
 */
public final class BackfillScheduler {

    private static final long FLUSH_INTERVAL_MILLIS = 1000;

    private final Backfill backfill;
    private final BackfillState state;
    private final ScheduledExecutorService executor;
    private final Duration sweepInterval;
    private final BooleanSupplier leading;
    private final ExceptionHandler errors;
    private final boolean restarted;
    private boolean ledBefore;

    /**
     * @param state         opened already ({@link BackfillState#open}), before anything was received: a restart's lower
     *                      bounds are taken before live deliveries move the watermarks
     * @param restarted     what {@link BackfillState#open} said: the endpoint had state, so this start is a restart
     * @param sweepInterval zero for no periodic sweep
     * @param executor      runs the backfill and this scheduler's tasks; its owner shuts it down after {@link #stop()}
     */
    public BackfillScheduler(BackfillSettings settings, GraphClient graph, BackfillState state, boolean restarted,
                             BackfillEmitter emitter, ScheduledExecutorService executor, Duration sweepInterval,
                             BooleanSupplier leading, ExceptionHandler errors) {
        this.state = state;
        this.restarted = restarted;
        this.executor = executor;
        this.sweepInterval = sweepInterval;
        this.leading = leading;
        this.errors = errors;
        this.backfill = new Backfill(settings, graph, state, emitter, executor, Clock.systemUTC(), leading, errors);
        if (restarted) {
            backfill.markPending();
        }
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        long interval = sweepInterval.toMillis();
        if (interval > 0) {
            executor.scheduleWithFixedDelay(() -> {
                if (leading.getAsBoolean()) {
                    backfill.request("sweep").exceptionally(e -> null);
                }
            }, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * This instance now leads: after a restart it backfills at once; when it takes over, only if a listing was left
     * unfinished (by a leader that stopped in the middle of a run, with a shared state repository).
     */
    public synchronized void tookLead() {
        boolean first = !ledBefore;
        ledBefore = true;
        if (first && restarted) {
            backfill.request("restart").exceptionally(e -> null);
        } else if (state.hasUnfinished()) {
            backfill.request("unfinished listing").exceptionally(e -> null);
        }
    }

    /** Notifications may have been lost (the subscription was removed or lapsed, Graph reported missed ones). */
    public void gap(String reason) {
        backfill.request("gap: " + reason).exceptionally(e -> null);
    }

    /** A run now (or once more after the current one); see {@link Backfill#request}. */
    public CompletableFuture<Void> requestNow() {
        return backfill.request("requested");
    }

    public Backfill backfill() {
        return backfill;
    }

    /** Ends any run: what it did not finish stays pending in the state repository. */
    public synchronized void stop() {
        backfill.stop();
        ledBefore = false;
    }

    /** Writes the watermarks that moved; at stop, called after the last exchange completed. */
    public void flush() {
        try {
            state.flush();
        } catch (RuntimeException e) {
            errors.handleException("Could not write the backfill watermarks: " + e.getMessage(), e);
        }
    }
}
