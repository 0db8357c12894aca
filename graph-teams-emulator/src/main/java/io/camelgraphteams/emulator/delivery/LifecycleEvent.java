package io.camelgraphteams.emulator.delivery;

/** Lifecycle notifications Graph posts to lifecycleNotificationUrl. */
public enum LifecycleEvent {
    REAUTHORIZATION_REQUIRED("reauthorizationRequired"),
    /** The subscription is gone: the emulator removes it before telling. */
    SUBSCRIPTION_REMOVED("subscriptionRemoved"),
    /** Graph does not send it for chatMessage; the emulator can, so subscribers can test their handling. */
    MISSED("missed");

    private final String graphName;

    LifecycleEvent(String graphName) {
        this.graphName = graphName;
    }

    public String graphName() {
        return graphName;
    }

    public static LifecycleEvent fromGraphName(String name) {
        for (LifecycleEvent e : values()) {
            if (e.graphName.equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown lifecycle event '" + name
                + "': use reauthorizationRequired, subscriptionRemoved or missed");
    }
}
