package io.camelgraphteams.component.cluster;

/** This instance no longer leads a namespace (or cannot tell): what only the leader does must not be done. */
public class LostLeadershipException extends Exception {

    public LostLeadershipException(String message) {
        super(message);
    }

    public LostLeadershipException(String message, Throwable cause) {
        super(message, cause);
    }
}
