package io.camelgraphteams.postgres;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.camelgraphteams.component.cluster.LostLeadershipException;
import io.camelgraphteams.postgres.LeaseMembers.OverlapWatch;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.postgres.LeaseMembers.millisUntil;
import static io.camelgraphteams.postgres.LeaseMembers.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Two members of one cluster on one PostgreSQL, each a service of its own as in two JVMs. */
class PostgresLeaseClusterServiceTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration PERIOD = LEASE.dividedBy(3);
    /** Room for a loaded 2-core machine on top of what the protocol allows. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    private static DataSource database;
    private final LeaseMembers members = new LeaseMembers();

    @BeforeAll
    static void database() {
        database = LeaseDatabase.shared().getPostgresDatabase();
    }

    @AfterEach
    void stopMembers() {
        members.close();
    }

    @Test
    void exactlyOneMemberLeadsANamespace() throws Exception {
        PostgresLeaseClusterView a = view(members.start("one-a", database, LEASE), "one");
        PostgresLeaseClusterView b = view(members.start("one-b", database, LEASE), "one");
        PostgresLeaseClusterView leader;
        PostgresLeaseClusterView follower;
        try (OverlapWatch watch = new OverlapWatch(a, b)) {
            await().atMost(LEASE).until(() -> a.isLeading() || b.isLeading());
            leader = a.isLeading() ? a : b;
            follower = leader == a ? b : a;
            // two renewals and two campaigns of the follower
            Thread.sleep(PERIOD.multipliedBy(2).plusMillis(200).toMillis());
            assertThat(watch.overlapped()).as("both led at once").isFalse();
            assertThat(watch.samples()).isPositive();
        }
        assertThat(leader.isLeading()).isTrue();
        assertThat(follower.isLeading()).isFalse();
        String leaderId = leader.getLocalMember().getId();
        assertThat(LeaseDatabase.count(database, "SELECT count(*) FROM graph_teams_cluster_lease WHERE namespace = 'one'"
                                                 + " AND holder = '" + leaderId + "' AND expires_at > now()"))
                .isEqualTo(1);
        assertThat(follower.getLeader()).map(CamelClusterMember::getId).contains(leaderId);
        assertThat(follower.getLeader()).map(CamelClusterMember::isLocal).contains(false);
        assertThatCode(() -> leader.getClusterService().unwrap(PostgresLeaseClusterService.class).checkLeading("one"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> follower.getClusterService().unwrap(PostgresLeaseClusterService.class)
                .checkLeading("one"))
                .isInstanceOf(LostLeadershipException.class);
    }

    @Test
    void aStoppedLeaderHandsOverAtOnce() throws Exception {
        PostgresLeaseClusterService first = members.start("handover-a", database, LEASE);
        PostgresLeaseClusterView a = view(first, "handover");
        await().atMost(LEASE).until(a::isLeading);
        long epoch = a.getEpoch().orElseThrow();
        PostgresLeaseClusterView b = view(members.start("handover-b", database, LEASE), "handover");
        await().atMost(LEASE).until(() -> b.getLeader().map(CamelClusterMember::getId).orElse("").equals("handover-a"));

        first.stop();
        long handover = millisUntil(b::isLeading, LEASE, "the follower's takeover");

        System.out.printf("lease takeover after the leader released its lease: %d ms (lease %d ms)%n", handover,
                LEASE.toMillis());
        // an unreleased lease, renewed every period, still had at least lease - period to run
        assertThat(handover).isLessThan(LEASE.minus(PERIOD).toMillis());
        assertThat(b.getEpoch().orElseThrow()).isGreaterThan(epoch);
        assertThat(a.isLeading()).isFalse();
    }

    @Test
    void aLeaderThatCannotRenewStepsDownAndIsReplacedWithinTheLease() throws Exception {
        SeverableDataSource leadersWay = new SeverableDataSource(database);
        PostgresLeaseClusterView a = view(members.start("silent-a", leadersWay, LEASE), "silent");
        List<Boolean> leadingWhenTold = new CopyOnWriteArrayList<>();
        a.addEventListener((CamelClusterEventListener.Leadership) (view, leader) ->
                leadingWhenTold.add(view.getLocalMember().isLeader()));
        await().atMost(LEASE).until(a::isLeading);
        PostgresLeaseClusterView b = view(members.start("silent-b", database, LEASE), "silent");
        await().atMost(LEASE).until(() -> b.getLeader().isPresent());

        long steppedDown;
        long takeover;
        try (OverlapWatch watch = new OverlapWatch(a, b)) {
            long severed = System.nanoTime();
            leadersWay.sever();
            steppedDown = millisUntil(() -> !a.isLeading(), LEASE.plus(SLACK), "the cut-off leader's step-down");
            millisUntil(b::isLeading, LEASE.plus(PERIOD).plus(SLACK), "the follower's takeover");
            takeover = (System.nanoTime() - severed) / 1_000_000;
            assertThat(watch.overlapped()).as("both led at once").isFalse();
        }

        System.out.printf("lease takeover after the leader went silent: %d ms (it stepped down after %d ms; "
                          + "lease %d ms)%n", takeover, steppedDown, LEASE.toMillis());
        // by its own clock, counted from before its last successful renewal was sent (the 5 ms of polling aside)
        assertThat(steppedDown).isLessThanOrEqualTo(LEASE.toMillis() + 10);
        assertThatThrownBy(() -> a.getClusterService().unwrap(PostgresLeaseClusterService.class).checkLeading("silent"))
                .isInstanceOf(LostLeadershipException.class);
        // its listeners were told, and were told it no longer leads
        await().atMost(Duration.ofSeconds(1)).until(() -> leadingWhenTold.contains(false));
        assertThat(leadingWhenTold).endsWith(true, false);
    }

    @Test
    void namespacesAreLedIndependently() throws Exception {
        PostgresLeaseClusterService first = members.start("ns-a", database, LEASE);
        PostgresLeaseClusterService second = members.start("ns-b", database, LEASE);
        PostgresLeaseClusterView aOfNorth = view(first, "north");
        await().atMost(LEASE).until(aOfNorth::isLeading);
        PostgresLeaseClusterView bOfSouth = view(second, "south");
        await().atMost(LEASE).until(bOfSouth::isLeading);
        PostgresLeaseClusterView bOfNorth = view(second, "north");
        PostgresLeaseClusterView aOfSouth = view(first, "south");

        // the late views campaign at least twice, the leaders renew
        Thread.sleep(PERIOD.multipliedBy(2).plusMillis(200).toMillis());
        assertThat(aOfNorth.isLeading()).isTrue();
        assertThat(bOfSouth.isLeading()).isTrue();
        assertThat(bOfNorth.isLeading()).isFalse();
        assertThat(aOfSouth.isLeading()).isFalse();
        assertThat(first.isLeader("north")).isTrue();
        assertThat(first.isLeader("south")).isFalse();
        assertThatCode(() -> first.checkLeading("north")).doesNotThrowAnyException();
        assertThatCode(() -> second.checkLeading("south")).doesNotThrowAnyException();
        assertThatThrownBy(() -> first.checkLeading("south")).isInstanceOf(LostLeadershipException.class);
        assertThatThrownBy(() -> second.checkLeading("north")).isInstanceOf(LostLeadershipException.class);
        assertThatThrownBy(() -> first.checkLeading("west"))
                .isInstanceOf(LostLeadershipException.class)
                .hasMessageContaining("no view of cluster namespace west");
    }

    @Test
    void aReleasedViewGivesItsLeaseBackAndCampaignsAgainWhenAskedForAgain() throws Exception {
        // what a graph-teams consumer does when its route stops and starts again
        PostgresLeaseClusterService service = members.start("restart-a", database, LEASE);
        PostgresLeaseClusterView view = view(service, "restart");
        await().atMost(LEASE).until(view::isLeading);
        long epoch = view.getEpoch().orElseThrow();

        service.releaseView(view);
        assertThat(view.isLeading()).isFalse();
        assertThat(LeaseDatabase.count(database, "SELECT count(*) FROM graph_teams_cluster_lease"
                                                 + " WHERE namespace = 'restart' AND expires_at <= now()"))
                .as("released, not left to run out").isEqualTo(1);
        assertThatThrownBy(() -> service.checkLeading("restart")).isInstanceOf(LostLeadershipException.class);

        assertThat(service.getView("restart")).isSameAs(view);
        await().atMost(LEASE).until(view::isLeading);
        assertThat(view.getEpoch().orElseThrow()).isGreaterThan(epoch);
        assertThatCode(() -> service.checkLeading("restart")).doesNotThrowAnyException();
    }

    @Test
    void aListenerCanLeaveWhileAnEventIsDeliveredToIt() throws Exception {
        PostgresLeaseClusterService service = new PostgresLeaseClusterService(database);
        service.setLeaseDuration(LEASE);
        PostgresLeaseClusterView view = view(service, "leaving");
        CountDownLatch delivering = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        // the component's Leadership: its stop holds its monitor while leaving, its listener waits for that monitor
        CamelClusterEventListener.Leadership slow = (changed, leader) -> {
            delivering.countDown();
            try {
                finish.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        view.addEventListener(slow);
        try {
            service.start();
            assertThat(delivering.await(LEASE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            assertTimeoutPreemptively(Duration.ofSeconds(1), () -> view.removeEventListener(slow));
        } finally {
            finish.countDown();
            service.stop();
        }
    }

    @Test
    void optionsOutOfRangeAreRefusedByName() {
        PostgresLeaseClusterService tooShort = new PostgresLeaseClusterService(database);
        tooShort.setLeaseDuration(Duration.ofMillis(300));
        assertThatThrownBy(tooShort::start).hasStackTraceContaining("leaseDuration must be at least 1000 ms");

        PostgresLeaseClusterService running = members.start("options", database, LEASE);
        assertThatThrownBy(() -> running.setMemberId("renamed"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("memberId can only be set before the cluster service starts");
    }
}
