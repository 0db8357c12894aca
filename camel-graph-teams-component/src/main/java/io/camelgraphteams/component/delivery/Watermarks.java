package io.camelgraphteams.component.delivery;

import java.time.Instant;

import io.camelgraphteams.component.resource.Conversation;

/**
 * Where delivered changes are marked, per conversation, so that a backfill lists only what came after (the backfill's
 * state implements it). Told only once a change's exchange completed.
 */
@FunctionalInterface
public interface Watermarks {

    /** A change in the conversation was delivered: its watermark moves up to {@code changedAt}, never down. */
    void advance(Conversation conversation, Instant changedAt);
}
