package io.camelgraphteams.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Delivered keys shared by instances on a real PostgreSQL: long keys, the insert race, retention. */
class PostgresIdempotentRepositoryTest {

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private static JdbcTemplate sql;

    private final List<PostgresIdempotentRepository> started = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        // its own DataSource: never joins a transaction a test holds open on the repositories' one
        sql = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() {
        // the first repository creates the tables; later tests start from none of the earlier rows
        instance("setup", "setup");
        sql.update("TRUNCATE graph_teams_dedup_key, graph_teams_dedup_claim");
    }

    @AfterEach
    void stopRepositories() {
        threads.shutdownNow();
        started.forEach(PostgresIdempotentRepository::stop);
    }

    private PostgresIdempotentRepository instance(String processorName, String holderId) {
        return started(new PostgresIdempotentRepository(dataSource, processorName, holderId));
    }

    private PostgresIdempotentRepository started(PostgresIdempotentRepository repository) {
        repository.start();
        started.add(repository);
        return repository;
    }

    private static String longKey(String messageId) {
        // namespace|conversation|message id|etag, as the component builds them: far over camel-sql's VARCHAR(100)
        return "graph-teams-prod|19:" + "a1b2c3d4".repeat(30) + "@thread.v2|" + messageId + "|" + "9".repeat(40);
    }

    private static String sha256Hex(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static int rows(String processorName) {
        return sql.queryForObject("SELECT count(*) FROM graph_teams_dedup_key WHERE processor_name = ?",
                Integer.class, processorName);
    }

    @Test
    void aKeyLongerThanCamelSqlsColumnIsStoredAsItsSha256AndFound() throws Exception {
        PostgresIdempotentRepository repository = instance("app", "node-a");
        String key = longKey("1701000000001");
        String sibling = longKey("1701000000002");
        assertThat(key).hasSizeGreaterThan(300);

        assertThat(repository.add(key)).isTrue();

        assertThat(repository.contains(key)).isTrue();
        assertThat(repository.contains(sibling)).as("differs only near the end").isFalse();
        assertThat(sql.queryForList("SELECT key_hash FROM graph_teams_dedup_key WHERE processor_name = 'app'",
                String.class)).containsExactly(sha256Hex(key));
        assertThat(repository.add(key)).as("a second add is a duplicate").isFalse();
        assertThat(repository.remove(key)).isTrue();
        assertThat(repository.contains(key)).isFalse();
    }

    @Test
    void anotherInstanceFindsTheKeyAndAnotherProcessorDoesNot() {
        String key = longKey("1701000000003");
        instance("app", "node-a").add(key);

        assertThat(instance("app", "node-b").contains(key)).isTrue();
        assertThat(instance("other-app", "node-b").contains(key)).isFalse();
    }

    @Test
    void twoInstancesAddingOneKeyAtOnceAddItOnceAndTheOtherIsADuplicate() throws Exception {
        PostgresIdempotentRepository nodeA = instance("app", "node-a");
        PostgresIdempotentRepository nodeB = instance("app", "node-b");
        String key = longKey("1701000000004");
        AtomicReference<Future<Boolean>> addedByA = new AtomicReference<>();

        // B's add runs inside a transaction held open until A has looked (no key yet) and is blocked inserting it
        Boolean addedByB = nodeB.getTransactionTemplate().execute(status -> {
            boolean added = nodeB.add(key);
            addedByA.set(threads.submit(() -> nodeA.add(key)));
            await().atMost(Duration.ofSeconds(10)).until(() -> sql.queryForObject(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE 'INSERT INTO graph_teams_dedup_key%'", Integer.class) == 1);
            return added;
        });

        assertThat(addedByB).isTrue();
        assertThat(addedByA.get().get(10, TimeUnit.SECONDS)).as("the insert race counts as a duplicate").isFalse();
        assertThat(rows("app")).isEqualTo(1);
    }

    @Test
    void keysAddedByTwoInstancesTogetherAreEachAddedOnce() throws Exception {
        PostgresIdempotentRepository nodeA = instance("app", "node-a");
        PostgresIdempotentRepository nodeB = instance("app", "node-b");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(longKey("17010000001" + i));
        }
        CountDownLatch go = new CountDownLatch(1);
        Future<Integer> byA = threads.submit(() -> addAll(nodeA, keys, go));
        Future<Integer> byB = threads.submit(() -> addAll(nodeB, keys, go));
        go.countDown();

        assertThat(byA.get(30, TimeUnit.SECONDS) + byB.get(30, TimeUnit.SECONDS)).isEqualTo(keys.size());
        assertThat(rows("app")).isEqualTo(keys.size());
    }

    private static int addAll(PostgresIdempotentRepository repository, List<String> keys, CountDownLatch go)
            throws InterruptedException {
        go.await();
        int added = 0;
        for (String key : keys) {
            added += repository.add(key) ? 1 : 0;
        }
        return added;
    }

    @Test
    void purgeDeletesOnlyKeysOlderThanTheRetention() throws Exception {
        PostgresIdempotentRepository repository = instance("app", "node-a");
        PostgresIdempotentRepository otherApp = instance("other-app", "node-a");
        String eightDaysOld = longKey("1701000000005");
        String sixDaysOld = longKey("1701000000006");
        String fresh = longKey("1701000000007");
        for (String key : List.of(eightDaysOld, sixDaysOld, fresh)) {
            repository.add(key);
        }
        otherApp.add(eightDaysOld);
        age("app", eightDaysOld, "8 days");
        age("app", sixDaysOld, "6 days");
        age("other-app", eightDaysOld, "8 days");

        assertThat(repository.getRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(repository.purge()).isEqualTo(1);

        assertThat(repository.contains(eightDaysOld)).isFalse();
        assertThat(repository.contains(sixDaysOld)).isTrue();
        assertThat(repository.contains(fresh)).isTrue();
        assertThat(otherApp.contains(eightDaysOld)).as("another processor's keys follow its own retention").isTrue();

        repository.setRetention(Duration.ofDays(5));
        assertThat(repository.purge()).isEqualTo(1);
        assertThat(repository.contains(sixDaysOld)).isFalse();
        assertThat(repository.contains(fresh)).isTrue();
    }

    private static void age(String processorName, String key, String age) throws Exception {
        int aged = sql.update("UPDATE graph_teams_dedup_key SET created_at = now() - CAST(? AS interval) "
                              + "WHERE processor_name = ? AND key_hash = ?", age, processorName, sha256Hex(key));
        assertThat(aged).isEqualTo(1);
    }

    @Test
    void aStartedRepositoryPurgesOnItsScheduleAndAStoppedOneDoesNot() throws Exception {
        PostgresIdempotentRepository repository = new PostgresIdempotentRepository(dataSource, "app", "node-a");
        repository.setPurgeInterval(Duration.ofMillis(100));
        started(repository);
        String old = longKey("1701000000008");
        repository.add(old);
        age("app", old, "8 days");

        await().atMost(Duration.ofSeconds(5)).until(() -> rows("app") == 0);

        repository.stop();
        String oldAfterStop = longKey("1701000000009");
        instance("app", "node-b").add(oldAfterStop);
        age("app", oldAfterStop, "8 days");
        Thread.sleep(500);
        assertThat(rows("app")).as("five intervals after stop").isEqualTo(1);
    }

    @Test
    void instancesStartingTogetherOnAnEmptyDatabaseCreateTheTablesOnce() throws Exception {
        sql.execute("CREATE DATABASE fresh");
        DataSource fresh = postgres.getDatabase("postgres", "fresh");
        int instances = 4;
        ExecutorService starters = Executors.newFixedThreadPool(instances);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<PostgresIdempotentRepository>> starts = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                String holder = "node-" + i;
                starts.add(starters.submit(() -> {
                    go.await();
                    return started(new PostgresIdempotentRepository(fresh, "app", holder));
                }));
            }
            go.countDown();
            for (Future<PostgresIdempotentRepository> start : starts) {
                assertThat(start.get(30, TimeUnit.SECONDS).isStarted()).isTrue();
            }
            assertThat(new JdbcTemplate(fresh).queryForList("SELECT tablename FROM pg_tables WHERE tablename LIKE "
                                                            + "'graph\\_teams\\_%' ORDER BY tablename", String.class))
                    .containsExactly("graph_teams_dedup_claim", "graph_teams_dedup_key", "graph_teams_lifecycle_event",
                            "graph_teams_state");
        } finally {
            starters.shutdownNow();
        }
    }
}
