package io.camelgraphteams.component.notification;

/**
 * Gets the message a notification without resource data refers to (GET with the endpoint's Graph credentials), so the
 * route receives the chatMessage either way.
 */
@FunctionalInterface
public interface MessageFetcher {

    /**
     * @return           the message's JSON, or null when Graph no longer has it (then Graph's reference is forwarded)
     * @throws Exception when Graph could not answer: the item fails, the batch is answered 503 and Graph redelivers it
     */
    String fetch(ChangeNotification item) throws Exception;
}
