package io.camelgraphteams.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.apache.camel.support.service.ServiceHelper;

import static org.assertj.core.api.Assertions.fail;

/** Lease members of one test, stopped after it, and the clock arithmetic the tests assert with. */
final class LeaseMembers implements AutoCloseable {

    private final List<PostgresLeaseClusterService> started = new ArrayList<>();

    PostgresLeaseClusterService start(String memberId, DataSource dataSource, Duration lease) {
        PostgresLeaseClusterService service = new PostgresLeaseClusterService(dataSource);
        service.setMemberId(memberId);
        service.setLeaseDuration(lease);
        service.start();
        started.add(service);
        return service;
    }

    static PostgresLeaseClusterView view(PostgresLeaseClusterService service, String namespace) throws Exception {
        return (PostgresLeaseClusterView) service.getView(namespace);
    }

    /** Milliseconds until the condition holds, polled every 5 ms; fails past the timeout. */
    static long millisUntil(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " did not happen within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() {
        started.forEach(ServiceHelper::stopService);
    }

    /**
     * Watches two views from a thread of its own and remembers if both ever led at once. A sample reads the first,
     * the second, then the first again: the first leading at both ends means it led throughout, so while the second
     * did too (one pair of reads could straddle a handover if the thread is descheduled between them).
     */
    static final class OverlapWatch implements AutoCloseable {

        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean overlapped;
        private volatile long samples;

        OverlapWatch(PostgresLeaseClusterView first, PostgresLeaseClusterView second) {
            thread = new Thread(() -> {
                while (running) {
                    boolean firstBefore = first.isLeading();
                    boolean secondDuring = second.isLeading();
                    boolean firstAfter = first.isLeading();
                    boolean secondBefore = secondDuring;
                    boolean firstDuring = first.isLeading();
                    boolean secondAfter = second.isLeading();
                    if (firstBefore && secondDuring && firstAfter || secondBefore && firstDuring && secondAfter) {
                        overlapped = true;
                    }
                    samples++;
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "lease-overlap-watch");
            thread.setDaemon(true);
            thread.start();
        }

        boolean overlapped() {
            return overlapped;
        }

        long samples() {
            return samples;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(1000);
        }
    }
}
