package io.camelgraphteams.component.notification;

/**
 * The body is not a notification batch: not JSON, or JSON of the wrong shape. Answered with 400.
 */
public class MalformedBatchException extends Exception {

    public MalformedBatchException(String message) {
        super(message);
    }
}
