package io.camelgraphteams.component.notification;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The listeners of one consumer, told in the order they were added; the first that throws fails the event. */
public final class LifecycleEventListeners implements LifecycleEventListener {

    private final List<LifecycleEventListener> listeners = new CopyOnWriteArrayList<>();

    public void add(LifecycleEventListener listener) {
        listeners.add(listener);
    }

    public void remove(LifecycleEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void onLifecycleEvent(ChangeNotification event) throws Exception {
        for (LifecycleEventListener listener : listeners) {
            listener.onLifecycleEvent(event);
        }
    }
}
