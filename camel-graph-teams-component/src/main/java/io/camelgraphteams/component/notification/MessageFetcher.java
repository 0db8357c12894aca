package io.camelgraphteams.component.notification;

import io.camelgraphteams.component.support.Deadline;

/**
 * Gets Graph's own copy of the message a notification refers to (GET with the endpoint's Graph credentials): for a
 * notification without resource data, an item of a resource-data endpoint that came without content, or every item
 * when verifyByGet is on.
 */
@FunctionalInterface
public interface MessageFetcher {

    /**
     * @param deadline   when Graph must have our answer; a GET that cannot finish by then fails
     * @return           the message's JSON, or null when Graph no longer has it
     * @throws Exception when Graph could not answer in time: the item fails, the batch is answered 503 and Graph
     *                   redelivers it
     */
    String fetch(ChangeNotification item, Deadline deadline) throws Exception;
}
