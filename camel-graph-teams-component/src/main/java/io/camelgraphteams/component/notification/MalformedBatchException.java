package io.camelgraphteams.component.notification;

import io.camelgraphteams.component.support.LoggedValue;

/**
 * The body is not a notification batch: not JSON, or JSON of the wrong shape. Answered with 400. The message may name
 * what the sender chose (a field's key): it is made safe for a log line here.
 */
public class MalformedBatchException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_REASON_LENGTH = 300;

    public MalformedBatchException(String message) {
        super(LoggedValue.of(message, MAX_REASON_LENGTH));
    }
}
