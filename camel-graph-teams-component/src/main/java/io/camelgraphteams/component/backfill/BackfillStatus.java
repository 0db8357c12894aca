package io.camelgraphteams.component.backfill;

import java.time.Instant;

/**
 * A snapshot of one consumer's backfill, for the health check, the dev console and metrics.
 *
 * @param leading             whether this instance runs backfills (it manages the subscription / leads the cluster)
 * @param running             whether a run is under way
 * @param runs                runs finished, successful or not
 * @param failedRuns          runs that ended with an error (a failed exchange, or Graph refusing a listing)
 * @param conversations       conversations with a watermark; -1 while the state repository does not answer
 * @param backfilledMessages  messages the backfill routed (not counting duplicates)
 * @param lastError           the last run's error, null once a run succeeded
 */
public record BackfillStatus(
        boolean leading,
        boolean running,
        long runs,
        long failedRuns,
        Instant lastRunStarted,
        Instant lastRunFinished,
        String lastError,
        int conversations,
        long backfilledMessages) {
}
