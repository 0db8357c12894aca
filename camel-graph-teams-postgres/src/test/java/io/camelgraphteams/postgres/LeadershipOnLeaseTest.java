package io.camelgraphteams.postgres;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.camelgraphteams.component.cluster.Leadership;
import io.camelgraphteams.component.cluster.LostLeadershipException;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The component's own Leadership, as a graph-teams consumer uses it, on CamelContexts that have the lease service. */
class LeadershipOnLeaseTest {

    private static final String NAMESPACE = "graph-teams-component";
    private static DataSource database;

    private final List<CamelContext> contexts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void database() {
        database = LeaseDatabase.shared().getPostgresDatabase();
    }

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    @Test
    void leadershipFollowsTheLeaseAndChecksItInPostgres() throws Exception {
        // a long lease: its holder renews only every 10 s, so the test changes the row between two renewals
        CamelContext first = context("component-a", Duration.ofSeconds(30));
        List<Boolean> firstTook = new CopyOnWriteArrayList<>();
        AtomicInteger firstLost = new AtomicInteger();
        Leadership a = new Leadership(first, NAMESPACE, firstTook::add, firstLost::incrementAndGet);
        a.start();
        await().atMost(Duration.ofSeconds(5)).until(a::isLeading);
        assertThat(firstTook).as("taken over in a cluster, not alone").containsExactly(false);
        assertThatCode(a::checkLeading).doesNotThrowAnyException();

        CamelContext second = context("component-b", Duration.ofSeconds(3));
        List<Boolean> secondTook = new CopyOnWriteArrayList<>();
        AtomicInteger secondLost = new AtomicInteger();
        Leadership b = new Leadership(second, NAMESPACE, secondTook::add, secondLost::incrementAndGet);
        b.start();
        assertThat(b.isLeading()).isFalse();
        assertThatThrownBy(b::checkLeading).isInstanceOf(LostLeadershipException.class);

        // the row changes hands behind the leader's back: its view still says it leads, only the table knows
        LeaseDatabase.execute(database, "UPDATE graph_teams_cluster_lease SET holder = 'intruder', epoch = epoch + 1"
                                        + " WHERE namespace = '" + NAMESPACE + "'");
        assertThat(a.isLeading()).isTrue();
        assertThatThrownBy(a::checkLeading)
                .isInstanceOf(LostLeadershipException.class)
                .hasMessageContaining("PostgreSQL has intruder at epoch");
        // what the check learned ends the leadership without waiting for the next renewal
        await().atMost(Duration.ofSeconds(2)).until(() -> !a.isLeading());
        assertThat(firstLost).hasValue(1);

        LeaseDatabase.execute(database, "UPDATE graph_teams_cluster_lease SET expires_at = now()"
                                        + " WHERE namespace = '" + NAMESPACE + "'");
        await().atMost(Duration.ofSeconds(4)).until(b::isLeading);
        assertThat(secondTook).containsExactly(false);
        assertThatCode(b::checkLeading).doesNotThrowAnyException();
        assertThatThrownBy(a::checkLeading).isInstanceOf(LostLeadershipException.class);

        // a leader's CamelContext stopping gives the lease back, and its Leadership hears it
        second.stop();
        await().atMost(Duration.ofSeconds(2)).until(() -> !b.isLeading());
        assertThat(secondLost).hasValue(1);
        assertThat(LeaseDatabase.count(database, "SELECT count(*) FROM graph_teams_cluster_lease WHERE namespace = '"
                                                 + NAMESPACE + "' AND holder = 'component-b' AND expires_at <= now()"))
                .isEqualTo(1);
        a.stop();
    }

    private CamelContext context(String memberId, Duration lease) throws Exception {
        PostgresLeaseClusterService service = new PostgresLeaseClusterService(database);
        service.setMemberId(memberId);
        service.setLeaseDuration(lease);
        CamelContext context = new DefaultCamelContext();
        context.addService(service);
        context.start();
        contexts.add(context);
        return context;
    }
}
