package io.camelgraphteams.component.subscription;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.notification.ChangeNotification;
import io.camelgraphteams.component.notification.LifecycleEventListener;
import io.camelgraphteams.component.support.Failures;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands verified lifecycle events to the subscription manager, and, when the state repository is also a
 * {@link LifecycleEventInbox} shared by the instances: on an instance that does not manage the subscription, keeps
 * them in the inbox (Graph gets 202) for the instance that does, which takes them every second and acts on them as if
 * Graph had sent them to it. Without an inbox a follower answers such events 503, as before.
 */
public final class LifecycleEventRelay implements LifecycleEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleEventRelay.class);

    private final SubscriptionManager manager;
    private final LifecycleEventInbox inbox;
    private final String namespace;

    private LifecycleEventRelay(SubscriptionManager manager, LifecycleEventInbox inbox, String namespace) {
        this.manager = manager;
        this.inbox = inbox;
        this.namespace = namespace;
    }

    /** The relay for {@code manager}; with an inbox, its leader's reading runs on {@code scheduler} every second. */
    public static LifecycleEventRelay start(SubscriptionManager manager, StateRepository<String, String> state,
                                            String namespace, ScheduledExecutorService scheduler) {
        LifecycleEventInbox inbox = state instanceof LifecycleEventInbox shared ? shared : null;
        LifecycleEventRelay relay = new LifecycleEventRelay(manager, inbox, namespace);
        if (inbox != null) {
            scheduler.scheduleWithFixedDelay(relay::actOnKeptEvents, 1, 1, TimeUnit.SECONDS);
        }
        return relay;
    }

    @Override
    public void onLifecycleEvent(ChangeNotification event) throws Exception {
        if (inbox != null && !manager.status().managing()) {
            inbox.post(namespace, event.subscriptionId(), event.lifecycleEvent());
            LOG.debug("Lifecycle event {} for subscription {} kept for the instance that manages it",
                    LoggedValue.of(event.lifecycleEvent()), LoggedValue.of(event.subscriptionId()));
            return;
        }
        manager.onLifecycleEvent(event);
    }

    /** On the managing instance: what followers kept, acted on as if Graph had sent it here. */
    void actOnKeptEvents() {
        if (!manager.status().managing()) {
            return;
        }
        try {
            for (LifecycleEventInbox.PostedLifecycleEvent kept : inbox.take(namespace)) {
                manager.onLifecycleEvent(new ChangeNotification(kept.subscriptionId(), null, kept.lifecycleEvent(),
                        null, null, null, null, null, null, null));
            }
        } catch (RuntimeException e) {
            // the events stay kept (or were acted on): the next round tries again
            LOG.warn("Could not read the lifecycle events other instances kept: {}",
                    LoggedValue.of(Failures.rootMessage(e)));
        }
    }
}
