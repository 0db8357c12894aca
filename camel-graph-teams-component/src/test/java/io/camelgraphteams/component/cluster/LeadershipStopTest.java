package io.camelgraphteams.component.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leaving the view while the view delivers a leadership event: Camel's AbstractCamelClusterView delivers events under
 * its read lock and removes a listener under its write lock, so Leadership must not hold its own lock while it removes
 * its listener (the delivery would wait for that lock, and the removal for the delivery). The view here is Camel's own
 * base class with a member that leads at the test's word; a listener ahead of Leadership's holds the delivery open
 * until stop() is waiting for the write lock, which makes the interleaving certain.
 */
class LeadershipStopTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stopContext() {
        context.stop();
    }

    @Test
    void stopReturnsWhileTheViewDeliversALeadershipEvent() throws Exception {
        TestClusterService cluster = new TestClusterService();
        context.addService(cluster);
        context.start();
        Leadership leadership = new Leadership(context, "graph-teams-test", alone -> {
        }, () -> {
        });
        TestView view = (TestView) cluster.getView("graph-teams-test");
        CountDownLatch delivering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // ahead of Leadership's listener: holds the delivery (and the view's read lock) open
        view.addEventListener((CamelClusterEventListener.Leadership) (changed, leader) -> {
            delivering.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        leadership.start();

        CompletableFuture<Void> event = CompletableFuture.runAsync(view::lead);
        assertThat(delivering.await(5, TimeUnit.SECONDS)).isTrue();
        Thread stopping = new Thread(() -> {
            try {
                leadership.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "leadership-stop");
        stopping.start();
        // stop() waits for the view's write lock while the delivery holds the read lock
        await().atMost(5, TimeUnit.SECONDS).until(() -> stopping.getState() == Thread.State.WAITING
                                                        || stopping.getState() == Thread.State.TIMED_WAITING
                                                        || !stopping.isAlive());
        release.countDown();

        stopping.join(5_000);
        assertThat(stopping.isAlive()).as("stop() still blocked: Leadership and the view wait for each other").isFalse();
        event.get(5, TimeUnit.SECONDS);
        assertThat(leadership.isLeading()).isFalse();
    }

    /** A cluster service of Camel's own base classes whose single view leads when the test says so. */
    static final class TestClusterService extends AbstractCamelClusterService<TestView> {

        TestClusterService() {
            super("test-cluster");
        }

        @Override
        protected TestView createView(String namespace) {
            return new TestView(this, namespace);
        }
    }

    static final class TestView extends AbstractCamelClusterView {

        private final CamelClusterMember self = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return leading;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return "self";
            }
        };
        private volatile boolean leading;

        TestView(TestClusterService service, String namespace) {
            super(service, namespace);
        }

        void lead() {
            leading = true;
            fireLeadershipChangedEvent(self);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leading ? Optional.of(self) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        @Override
        protected void doStart() {
        }

        @Override
        protected void doStop() {
        }
    }
}
