package io.camelgraphteams.component.notification;

/**
 * Receives verified lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed). The subscription
 * manager implements it; each event needs its own path through the code.
 */
@FunctionalInterface
public interface LifecycleEventListener {

    /**
     * Called on a worker thread once the item passed every check. Throwing makes the batch answer 503 so Graph
     * redelivers the event.
     */
    void onLifecycleEvent(ChangeNotification event) throws Exception;
}
