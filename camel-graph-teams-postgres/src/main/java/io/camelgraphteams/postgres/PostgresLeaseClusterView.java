package io.camelgraphteams.postgres;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.camelgraphteams.component.cluster.LostLeadershipException;
import io.camelgraphteams.postgres.LeaseTable.Lease;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace's lease as this member sees it. While started, it campaigns for the lease every third of the lease
 * duration and, once it holds it, renews it on the same period. It stops reporting leadership (and tells its
 * listeners) as soon as a renewal is refused, or when no renewal succeeded within the lease by this JVM's monotonic
 * clock: a database that cannot be reached ends the leadership, it is not kept blindly.
 */
public class PostgresLeaseClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeaseClusterView.class);

    /** Longest a stopping leader waits to release its lease; after that the lease simply runs out. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    /** This member's hold on the namespace: its fencing epoch, and when the lease ends by this JVM's monotonic clock. */
    private record Tenure(long epoch, long validUntilNanos) {

        boolean validAt(long nanos) {
            return nanos - validUntilNanos < 0;
        }
    }

    private final PostgresLeaseClusterService service;
    private final LeaseMember localMember;
    // not the base class's listener list: it is read-locked while an event is delivered, so a listener that leaves
    // while another thread of its owner waits on that delivery (the component's Leadership.stop) would deadlock
    private final List<CamelClusterEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Object stateLock = new Object();
    private volatile Tenure tenure;
    private volatile String knownLeader;
    private LeaseLoop loop;

    PostgresLeaseClusterView(PostgresLeaseClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
        this.localMember = new LeaseMember(this, service.getMemberId(), true);
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (isLeading()) {
            return Optional.of(localMember);
        }
        String leader = knownLeader;
        return leader == null || leader.equals(localMember.getId())
                ? Optional.empty()
                : Optional.of(new LeaseMember(this, leader, false));
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return localMember;
    }

    /** This member, and the leader when it is another: members that do not lead leave no trace in the lease table. */
    @Override
    public List<CamelClusterMember> getMembers() {
        List<CamelClusterMember> members = new ArrayList<>(2);
        members.add(localMember);
        getLeader().filter(leader -> !leader.isLocal()).ifPresent(members::add);
        return members;
    }

    @Override
    public void addEventListener(CamelClusterEventListener listener) {
        if (listener == null) {
            return;
        }
        listeners.add(listener);
        // as Camel's views do: a listener joining a running view learns the leadership at once
        if (isRunAllowed() && listener instanceof CamelClusterEventListener.Leadership leadershipListener) {
            leadershipListener.leadershipChanged(this, getLeader().orElse(null));
        }
    }

    @Override
    public void removeEventListener(CamelClusterEventListener listener) {
        listeners.removeIf(registered -> registered == listener);
    }

    /** Whether this member holds the lease now by its own clock; {@link #checkLeading()} asks the database. */
    public boolean isLeading() {
        Tenure held = tenure;
        return held != null && held.validAt(System.nanoTime());
    }

    /**
     * The fencing epoch of the lease this member holds now by its own clock: for a resource that can refuse a write
     * carrying an older epoch, which closes the gap between {@link #checkLeading()} and the write itself.
     */
    public OptionalLong getEpoch() {
        Tenure held = tenure;
        return held != null && held.validAt(System.nanoTime()) ? OptionalLong.of(held.epoch()) : OptionalLong.empty();
    }

    String knownLeader() {
        return knownLeader;
    }

    void checkLeading() throws LostLeadershipException {
        Tenure held = tenure;
        String member = localMember.getId();
        if (held == null || !held.validAt(System.nanoTime())) {
            throw new LostLeadershipException(
                    "member " + member + " does not hold the lease of cluster namespace " + getNamespace());
        }
        Optional<Lease> row;
        try {
            row = service.leaseTable().read(getNamespace(), member);
        } catch (SQLException | RuntimeException e) {
            throw new LostLeadershipException("member " + member + " cannot confirm its lease of cluster namespace "
                                              + getNamespace() + " with PostgreSQL: " + e.getMessage(),
                    e);
        }
        if (row.isPresent() && row.get().mine() && row.get().epoch() == held.epoch() && row.get().live()) {
            return;
        }
        String found = row.map(lease -> lease.holder() + " at epoch " + lease.epoch()
                                        + (lease.live() ? "" : ", expired")).orElse("no lease");
        if (row.isPresent() && (!row.get().mine() || row.get().epoch() != held.epoch())) {
            // no need to wait for the next renewal to learn it: the lease is somebody else's
            LeaseLoop current = currentLoop();
            if (current != null) {
                current.stepDown(held, "the lease is now held by " + found);
            }
        }
        throw new LostLeadershipException("member " + member + " lost the lease of cluster namespace "
                                          + getNamespace() + " (held at epoch " + held.epoch() + "; PostgreSQL has "
                                          + found + ")");
    }

    @Override
    protected void doStart() throws Exception {
        LeaseLoop started = new LeaseLoop(service.leaseTable(), service.getMemberId(), service.getLeaseDuration());
        synchronized (stateLock) {
            loop = started;
        }
        // runs under the cluster service's lock: the first campaign happens on the lease thread, not here
        started.schedule(0);
    }

    @Override
    protected void doStop() throws Exception {
        LeaseLoop ending;
        Tenure held;
        synchronized (stateLock) {
            ending = loop;
            loop = null;
            held = tenure;
            tenure = null;
            if (ending != null) {
                ending.active = false;
            }
        }
        knownLeader = null;
        if (ending != null) {
            ending.end(held);
        }
    }

    private LeaseLoop currentLoop() {
        synchronized (stateLock) {
            return loop;
        }
    }

    /** A statement's answer, or why there is none (failed, or not back within its time). */
    private record Outcome<T>(T value, Exception failure) {

        boolean failed() {
            return failure != null;
        }
    }

    /**
     * From one start to the following stop: the lease clock (one thread that never waits on a listener and never
     * longer than the lease on a statement), the thread statements run on, and the thread listeners are told on.
     */
    private final class LeaseLoop {

        private final LeaseTable table;
        private final String member;
        private final long leaseNanos;
        private final long periodNanos;
        private final ScheduledExecutorService clock;
        private final ExecutorService statements;
        private final ExecutorService events;
        private volatile boolean active = true;
        private Future<?> inFlight;
        private boolean unreachable;

        LeaseLoop(LeaseTable table, String member, Duration lease) {
            this.table = table;
            this.member = member;
            this.leaseNanos = lease.toNanos();
            this.periodNanos = leaseNanos / 3;
            String name = "graph-teams-lease-" + getNamespace();
            ScheduledThreadPoolExecutor ticks = new ScheduledThreadPoolExecutor(1, daemon(name));
            // stop lets a tick in progress finish (never interrupted mid-statement) and drops the next one
            ticks.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.clock = ticks;
            this.statements = Executors.newSingleThreadExecutor(daemon(name + "-sql"));
            this.events = Executors.newSingleThreadExecutor(daemon(name + "-events"));
        }

        void schedule(long delayNanos) {
            if (!active) {
                return;
            }
            try {
                clock.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopped) {
                // stopped meanwhile: nothing left to schedule
            }
        }

        private void tick() {
            long next = periodNanos;
            try {
                Tenure held = tenure;
                if (held != null) {
                    next = keep(held);
                }
                if (tenure == null && active) {
                    campaign();
                }
            } catch (RuntimeException e) {
                LOG.warn("Lease of cluster namespace {}: unexpected failure, trying again in {} ms", getNamespace(),
                        TimeUnit.NANOSECONDS.toMillis(next), e);
            } finally {
                schedule(next);
            }
        }

        /** Renews a held lease; returns when to look again (sooner than the period if the lease is running out). */
        private long keep(Tenure held) {
            long now = System.nanoTime();
            if (!held.validAt(now)) {
                stepDown(held, "no renewal succeeded within the lease of "
                               + TimeUnit.NANOSECONDS.toMillis(leaseNanos) + " ms");
                return periodNanos;
            }
            Outcome<Boolean> renewed = run(() -> active && table.renew(getNamespace(), member, held.epoch()),
                    held.validUntilNanos() - now);
            if (renewed.failed()) {
                long left = held.validUntilNanos() - System.nanoTime();
                LOG.warn("Lease of cluster namespace {} (epoch {}) not renewed: {}; still leading for {} ms unless a "
                         + "renewal succeeds", getNamespace(), held.epoch(), describe(renewed.failure()),
                        Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
                // wake up at the lease's end at the latest, so the step-down is not late by up to a period
                return Math.max(0, Math.min(periodNanos, left + TimeUnit.MILLISECONDS.toNanos(1)));
            }
            if (renewed.value()) {
                synchronized (stateLock) {
                    if (active && tenure == held) {
                        // measured from before the statement was sent: the database's expiry is never earlier
                        tenure = new Tenure(held.epoch(), now + leaseNanos);
                    }
                }
                reachable();
            } else if (active) {
                stepDown(held, "the lease was taken over or released");
            }
            return periodNanos;
        }

        private void campaign() {
            long started = System.nanoTime();
            Outcome<Optional<Lease>> answer = run(
                    () -> active ? table.acquire(getNamespace(), member) : Optional.<Lease> empty(), periodNanos);
            if (answer.failed()) {
                unreachable(answer.failure());
                return;
            }
            reachable();
            Optional<Lease> lease = answer.value();
            if (lease.isPresent() && lease.get().mine()) {
                Tenure won = new Tenure(lease.get().epoch(), started + leaseNanos);
                boolean kept;
                synchronized (stateLock) {
                    kept = active;
                    if (kept) {
                        tenure = won;
                    }
                }
                if (!kept) {
                    // granted while stopping: give it back so a successor does not wait for it to run out
                    release(won);
                    return;
                }
                knownLeader = member;
                LOG.info("Member {} leads cluster namespace {} (epoch {})", member, getNamespace(), won.epoch());
                tell(localMember);
            } else {
                String leader = lease.map(Lease::holder).orElse(null);
                if (!Objects.equals(leader, knownLeader)) {
                    knownLeader = leader;
                    LOG.debug("Cluster namespace {} is led by {}", getNamespace(), leader);
                    tell(leader == null ? null : new LeaseMember(PostgresLeaseClusterView.this, leader, false));
                }
            }
        }

        void stepDown(Tenure held, String reason) {
            synchronized (stateLock) {
                if (tenure != held) {
                    return;
                }
                tenure = null;
            }
            knownLeader = null;
            LOG.warn("Member {} no longer leads cluster namespace {} (epoch {}): {}", member, getNamespace(),
                    held.epoch(), reason);
            tell(null);
        }

        /** After stop: releases a held lease (bounded wait), tells listeners, lets the threads go. */
        void end(Tenure held) {
            clock.shutdown();
            if (held != null) {
                Future<?> released = submit(() -> {
                    table.release(getNamespace(), member, held.epoch());
                    return null;
                });
                try {
                    released.get(Math.min(leaseNanos, RELEASE_WAIT.toNanos()), TimeUnit.NANOSECONDS);
                    LOG.info("Member {} released the lease of cluster namespace {} (epoch {})", member,
                            getNamespace(), held.epoch());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                    LOG.warn("Member {} could not release the lease of cluster namespace {} ({}): a successor takes "
                             + "over when it runs out", member, getNamespace(), describe(e));
                }
                tell(null);
            }
            statements.shutdown();
            events.shutdown();
        }

        private void release(Tenure won) {
            try {
                table.release(getNamespace(), member, won.epoch());
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Member {} could not release the lease of cluster namespace {} ({}): a successor takes "
                         + "over when it runs out", member, getNamespace(), describe(e));
            }
        }

        private <T> Future<T> submit(Callable<T> statement) {
            return statements.submit(statement);
        }

        private <T> Outcome<T> run(Callable<T> statement, long budgetNanos) {
            if (inFlight != null && !inFlight.isDone()) {
                return new Outcome<>(null, new SQLTimeoutException("the previous statement has not returned yet"));
            }
            try {
                Future<T> answer = submit(statement);
                inFlight = answer;
                return new Outcome<>(answer.get(Math.max(1, budgetNanos), TimeUnit.NANOSECONDS), null);
            } catch (TimeoutException e) {
                return new Outcome<>(null, new SQLTimeoutException(
                        "no answer within " + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " ms"));
            } catch (ExecutionException e) {
                return new Outcome<>(null, e.getCause() instanceof Exception cause ? cause : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome<>(null, e);
            } catch (RejectedExecutionException e) {
                return new Outcome<>(null, e);
            }
        }

        private void tell(CamelClusterMember leader) {
            try {
                events.execute(() -> {
                    for (CamelClusterEventListener listener : listeners) {
                        if (listener instanceof CamelClusterEventListener.Leadership leadershipListener) {
                            try {
                                leadershipListener.leadershipChanged(PostgresLeaseClusterView.this, leader);
                            } catch (RuntimeException e) {
                                LOG.warn("A listener of cluster namespace {} failed on a leadership change",
                                        getNamespace(), e);
                            }
                        }
                    }
                });
            } catch (RejectedExecutionException stopped) {
                // the view stopped: its listeners were told when it did
            }
        }

        private void unreachable(Exception failure) {
            // once per outage at WARN: a follower asks every period
            if (!unreachable) {
                unreachable = true;
                LOG.warn("Member {} cannot campaign for cluster namespace {}: {}{}", member, getNamespace(),
                        describe(failure), missingTableHint(failure));
            } else {
                LOG.debug("Member {} cannot campaign for cluster namespace {}: {}", member, getNamespace(),
                        describe(failure));
            }
        }

        private void reachable() {
            if (unreachable) {
                unreachable = false;
                LOG.info("Member {} reaches the lease table of cluster namespace {} again", member, getNamespace());
            }
        }
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private String missingTableHint(Exception failure) {
        return failure instanceof SQLException sql && "42P01".equals(sql.getSQLState())
                ? " (table " + LeaseTable.TABLE + " is missing: run lease.sql from the camel-graph-teams-postgres jar, "
                  + "or leave the service's createSchema option on)"
                : "";
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
