package io.camelgraphteams.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.camelgraphteams.component.cluster.LostLeadershipException;
import io.camelgraphteams.postgres.LeaseMembers.OverlapWatch;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import static io.camelgraphteams.postgres.LeaseMembers.millisUntil;
import static io.camelgraphteams.postgres.LeaseMembers.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** PostgreSQL itself goes away for longer than the lease, then comes back on the same port with the same data. */
class LeaseDatabaseOutageTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration PERIOD = LEASE.dividedBy(3);
    private static final Duration OUTAGE = Duration.ofSeconds(4);

    @TempDir
    Path dataDirectory;

    private final LeaseMembers members = new LeaseMembers();
    private EmbeddedPostgres postgres;

    @AfterEach
    void stop() throws IOException {
        members.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void anOutageEndsLeadershipAndOneMemberLeadsAfterIt() throws Exception {
        postgres = startPostgres(0);
        int port = postgres.getPort();
        // a data source by URL, not the embedded server's own: it must outlive the server it first pointed at
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(postgres.getJdbcUrl("postgres", "postgres"));
        database.setConnectTimeout(1);

        PostgresLeaseClusterView a = view(members.start("outage-a", database, LEASE), "outage");
        await().atMost(LEASE).until(a::isLeading);
        PostgresLeaseClusterView b = view(members.start("outage-b", database, LEASE), "outage");
        List<Boolean> aLeadingWhenTold = new CopyOnWriteArrayList<>();
        a.addEventListener((CamelClusterEventListener.Leadership) (view, leader) ->
                aLeadingWhenTold.add(view.getLocalMember().isLeader()));
        aLeadingWhenTold.clear();

        try (OverlapWatch watch = new OverlapWatch(a, b)) {
            long down = System.nanoTime();
            postgres.close();
            postgres = null;
            long steppedDown = millisUntil(() -> !a.isLeading(), LEASE.plusMillis(500), "the leader's step-down");
            System.out.printf("leader stepped down %d ms after PostgreSQL stopped (lease %d ms)%n", steppedDown,
                    LEASE.toMillis());
            assertThat(steppedDown).isLessThanOrEqualTo(LEASE.toMillis() + 10);
            await().atMost(Duration.ofSeconds(1)).until(() -> aLeadingWhenTold.contains(false));
            assertThat(b.isLeading()).isFalse();
            assertThatThrownBy(() -> fenced(a).checkLeading("outage")).isInstanceOf(LostLeadershipException.class);
            assertThatThrownBy(() -> fenced(b).checkLeading("outage")).isInstanceOf(LostLeadershipException.class);

            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - down) / 1_000_000));
            postgres = startPostgres(port);
            long recovered = millisUntil(() -> a.isLeading() || b.isLeading(), LEASE.plus(PERIOD).plusSeconds(2),
                    "a leader after the restart");
            System.out.printf("a leader %d ms after PostgreSQL was back%n", recovered);
            // the leader renews, the other campaigns, twice: still one leader
            Thread.sleep(PERIOD.multipliedBy(2).plusMillis(100).toMillis());
            assertThat(a.isLeading() ^ b.isLeading()).as("exactly one leads").isTrue();
            assertThat(watch.overlapped()).as("both led at once").isFalse();
        }
        PostgresLeaseClusterView leader = a.isLeading() ? a : b;
        fenced(leader).checkLeading("outage");
        assertThatThrownBy(() -> fenced(leader == a ? b : a).checkLeading("outage"))
                .isInstanceOf(LostLeadershipException.class);
    }

    private static PostgresLeaseClusterService fenced(PostgresLeaseClusterView view) {
        return view.getClusterService().unwrap(PostgresLeaseClusterService.class);
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }
}
