package io.camelgraphteams.component.cluster;

import java.util.Objects;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance leads an endpoint's namespace: always, without a Camel cluster service; with one, while the
 * service's view of the namespace says so. The leader manages the subscription and runs backfills; every instance
 * receives.
 */
public final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    /** What this instance does when it takes the lead. */
    @FunctionalInterface
    public interface Taking {

        /**
         * @param alone true without a cluster service: a failure here may fail the consumer's start; false when taken
         *              over in a cluster, where failures must be retried in the background
         */
        void take(boolean alone) throws Exception;
    }

    private final CamelContext camelContext;
    private final String namespace;
    private final Taking onTaken;
    private final Runnable onLost;
    private final CamelClusterEventListener.Leadership viewListener = this::changed;
    private CamelClusterService service;
    private CamelClusterView view;
    private volatile boolean leading;
    private volatile boolean started;

    public Leadership(CamelContext camelContext, String namespace, Taking onTaken, Runnable onLost) {
        this.camelContext = Objects.requireNonNull(camelContext, "camelContext");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.onTaken = Objects.requireNonNull(onTaken, "onTaken");
        this.onLost = Objects.requireNonNull(onLost, "onLost");
    }

    /** Leads at once without a cluster service; otherwise joins the namespace's view and follows it. */
    public void start() throws Exception {
        started = true;
        service = ClusterServiceHelper.lookupService(camelContext).orElse(null);
        if (service == null) {
            leading = true;
            try {
                onTaken.take(true);
            } catch (Exception e) {
                leading = false;
                throw e;
            }
            return;
        }
        LOG.info("The leader of cluster namespace {} manages the subscription and runs backfills", namespace);
        view = service.getView(namespace);
        view.addEventListener(viewListener);
        // the view does not replay a leadership taken before the listener was added: catch up once
        changed(view, null);
    }

    public boolean isLeading() {
        return leading;
    }

    /** Leaves the view; onLost is not run (the consumer stops what the lead started itself). */
    public void stop() throws Exception {
        CamelClusterView leaving;
        synchronized (this) {
            started = false;
            leading = false;
            leaving = view;
            view = null;
        }
        // outside the lock: the view may be delivering an event into changed() under its read lock, and removing a
        // listener takes its write lock (changed() sees started=false and returns)
        if (leaving != null) {
            leaving.removeEventListener(viewListener);
            service.releaseView(leaving);
        }
    }

    private synchronized void changed(CamelClusterView changedView, CamelClusterMember leader) {
        if (!started) {
            return;
        }
        boolean nowLeading = changedView.getLocalMember().isLeader();
        if (nowLeading && !leading) {
            LOG.info("Leadership of {} taken", namespace);
            leading = true;
            try {
                onTaken.take(false);
            } catch (Exception e) {
                // taken over in a cluster, failures are retried in the background: nothing to undo here
                LOG.warn("Leadership of {} taken, but starting to lead failed: {}", namespace, e.getMessage());
            }
        } else if (!nowLeading && leading) {
            LOG.info("Leadership of {} lost", namespace);
            leading = false;
            onLost.run();
        }
    }
}
