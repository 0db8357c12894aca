package io.camelgraphteams.component.graph;

/**
 * Asked right before every write to Graph's subscriptions (create, renew, reauthorize, delete): in a cluster, only
 * the instance that holds the lease at that moment may write, so a leader that was paused past its lease does not
 * undo its successor's work.
 */
@FunctionalInterface
public interface SubscriptionWriteGuard {

    /** Returns when the write may be sent; throws, saying why, when it must not be. */
    void check() throws Exception;
}
