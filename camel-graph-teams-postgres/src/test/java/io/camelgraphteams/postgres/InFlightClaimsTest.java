package io.camelgraphteams.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Claims on changes in flight, between two repository objects with different holders: two instances. */
class InFlightClaimsTest {

    private static final String KEY = "graph-teams-prod|19:" + "c0ffee".repeat(40) + "@thread.v2|1701000000001|7";
    private static final Duration LEASE = Duration.ofSeconds(1);

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private static JdbcTemplate sql;

    private final List<PostgresIdempotentRepository> started = new ArrayList<>();
    private PostgresIdempotentRepository nodeA;
    private PostgresIdempotentRepository nodeB;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        sql = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void twoInstances() {
        nodeA = instance("node-a");
        nodeB = instance("node-b");
        sql.update("TRUNCATE graph_teams_dedup_key, graph_teams_dedup_claim");
    }

    @AfterEach
    void stopRepositories() {
        started.forEach(PostgresIdempotentRepository::stop);
    }

    private PostgresIdempotentRepository instance(String holderId) {
        PostgresIdempotentRepository repository = new PostgresIdempotentRepository(dataSource, "app", holderId);
        repository.start();
        started.add(repository);
        return repository;
    }

    private static List<String> holders() {
        return sql.queryForList("SELECT holder FROM graph_teams_dedup_claim", String.class);
    }

    @Test
    void aClaimByOneInstanceBlocksAnotherUntilReleased() {
        assertThat(nodeA.claim(KEY, Duration.ofMinutes(5))).isTrue();

        assertThat(nodeB.claim(KEY, Duration.ofMinutes(5))).isFalse();
        assertThat(holders()).containsExactly("node-a");

        nodeA.release(KEY);

        assertThat(holders()).isEmpty();
        assertThat(nodeB.claim(KEY, Duration.ofMinutes(5))).isTrue();
        assertThat(nodeA.claim(KEY, Duration.ofMinutes(5))).isFalse();
        assertThat(holders()).containsExactly("node-b");
    }

    @Test
    void aLiveHoldersClaimIsRenewedUntilReleasedAndLapsesOnlyAfterTheHolderDied() {
        PostgresIdempotentRepository live = new PostgresIdempotentRepository(dataSource, "app", "node-live");
        live.setClaimRenewalInterval(Duration.ofMillis(200));
        live.start();
        started.add(live);
        assertThat(live.claim(KEY, LEASE)).isTrue();

        // a change that takes longer than the lease to route (a slow sink) stays claimed while its holder lives
        await().pollDelay(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(3)).until(() -> true);
        assertThat(nodeB.claim(KEY, LEASE)).as("renewed by its live holder").isFalse();

        // a holder that dies renews nothing: its claim lapses a lease later, not minutes later
        live.stop();
        long died = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> nodeB.claim(KEY, LEASE));
        assertThat(Duration.ofNanos(System.nanoTime() - died)).isLessThan(LEASE.plusSeconds(1));
        assertThat(holders()).containsExactly("node-b");
    }

    @Test
    void aClaimLapsesAfterItsLeaseByTheDatabasesClock() {
        long before = System.nanoTime();
        assertThat(nodeA.claim(KEY, LEASE)).isTrue();
        // as if node-a had died: nothing renews its claim any more
        nodeA.stop();
        assertThat(nodeB.claim(KEY, LEASE)).isFalse();
        // the lease was measured from the database's now() when it was written
        assertThat(sql.queryForObject("SELECT expires_at - now() BETWEEN interval '0' AND interval '1 second' "
                                      + "FROM graph_teams_dedup_claim", Boolean.class)).isTrue();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> nodeB.claim(KEY, LEASE));

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(holders()).containsExactly("node-b");
    }

    @Test
    void onlyTheDatabasesExpiryCountsNotTheLeaseTheOtherAsksFor() {
        assertThat(nodeA.claim(KEY, Duration.ofMinutes(5))).isTrue();
        // as if the database's clock had moved past node-a's lease: no JVM clock is asked
        sql.update("UPDATE graph_teams_dedup_claim SET expires_at = now() - interval '1 millisecond'");

        assertThat(nodeB.claim(KEY, Duration.ofMinutes(5))).isTrue();
        assertThat(holders()).containsExactly("node-b");
    }

    @Test
    void theHolderMayClaimAgainAndSoExtendsItsLease() {
        assertThat(nodeA.claim(KEY, LEASE)).isTrue();
        assertThat(nodeA.claim(KEY, Duration.ofMinutes(5))).isTrue();

        assertThat(sql.queryForObject("SELECT expires_at > now() + interval '4 minutes' FROM graph_teams_dedup_claim",
                Boolean.class)).isTrue();
        assertThat(nodeB.claim(KEY, LEASE)).isFalse();
    }

    @Test
    void releasingAnotherInstancesClaimDoesNothing() {
        assertThat(nodeA.claim(KEY, Duration.ofMinutes(5))).isTrue();

        nodeB.release(KEY);

        assertThat(holders()).containsExactly("node-a");
        assertThat(nodeB.claim(KEY, Duration.ofMinutes(5))).isFalse();
    }

    @Test
    void claimsOfOtherKeysAndProcessorsAreIndependent() {
        PostgresIdempotentRepository otherApp = new PostgresIdempotentRepository(dataSource, "other-app", "node-b");
        otherApp.start();
        started.add(otherApp);

        assertThat(nodeA.claim(KEY, Duration.ofMinutes(5))).isTrue();

        assertThat(nodeB.claim(KEY + "8", Duration.ofMinutes(5))).isTrue();
        assertThat(otherApp.claim(KEY, Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void purgeDeletesLapsedClaimsOnly() {
        nodeA.claim(KEY, Duration.ofMinutes(5));
        nodeA.claim(KEY + "-lapsed", Duration.ofMinutes(5));
        sql.update("UPDATE graph_teams_dedup_claim SET expires_at = now() - interval '1 second' WHERE key_hash = ?",
                PostgresIdempotentRepository.keyHash(KEY + "-lapsed"));

        nodeB.purge();

        assertThat(sql.queryForList("SELECT key_hash FROM graph_teams_dedup_claim", String.class))
                .containsExactly(PostgresIdempotentRepository.keyHash(KEY));
    }

    @Test
    void aClaimNeedsAPositiveLease() {
        assertThatThrownBy(() -> nodeA.claim(KEY, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive lease");
        assertThat(holders()).isEmpty();
    }
}
