package io.camelgraphteams.component.backfill;

import java.util.concurrent.CompletableFuture;

import io.camelgraphteams.component.delivery.ChatMessageFacts;
import io.camelgraphteams.component.resource.NotifiedResource;

/** Routes one message the backfill found, through the same dedup as live notifications. */
@FunctionalInterface
public interface BackfillEmitter {

    /**
     * @param  message    where the message is (team/channel or chat, message and reply id)
     * @param  facts      what was read from the listed message
     * @param  body       the message as a notification carries it
     * @param  changeType the changeType its notification would have carried
     * @return            completes with true when routed, false when it had been delivered already; fails when the
     *                    exchange failed
     */
    CompletableFuture<Boolean> emit(NotifiedResource message, ChatMessageFacts facts, String body, String changeType);
}
