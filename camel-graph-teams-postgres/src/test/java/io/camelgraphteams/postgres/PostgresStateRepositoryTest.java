package io.camelgraphteams.postgres;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.camelgraphteams.component.subscription.LifecycleEventInbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backfill's state shared by instances: values overwritten, watermarks never lowered, by the database itself. */
class PostgresStateRepositoryTest {

    private static final String WATERMARK = "graph-teams-prod.watermark.19:abc@thread.v2";
    private static final String LINK = "graph-teams-prod.link.19:abc@thread.v2";

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private final List<PostgresStateRepository> started = new ArrayList<>();
    private PostgresStateRepository nodeA;
    private PostgresStateRepository nodeB;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void twoInstances() {
        nodeA = instance();
        nodeB = instance();
        new JdbcTemplate(dataSource).update("TRUNCATE graph_teams_state, graph_teams_lifecycle_event");
    }

    @AfterEach
    void stopRepositories() {
        started.forEach(PostgresStateRepository::stop);
    }

    private PostgresStateRepository instance() {
        PostgresStateRepository repository = new PostgresStateRepository(dataSource);
        repository.start();
        started.add(repository);
        return repository;
    }

    @Test
    void anUnknownKeyHasNoState() {
        assertThat(nodeA.getState("graph-teams-prod.since")).isNull();
    }

    @Test
    void otherKeysAreOverwrittenAlsoWithLowerValuesAndByAnotherInstance() {
        nodeA.setState(LINK, "next|2026-12-06T10:00:00Z|2026-12-06T10:00:00Z|https://graph/b");
        nodeA.setState(LINK, "delta|2026-12-06T09:00:00Z|https://graph/a");
        assertThat(nodeB.getState(LINK)).isEqualTo("delta|2026-12-06T09:00:00Z|https://graph/a");

        String pending = "graph-teams-prod.pending.19:abc@thread.v2";
        nodeA.setState(pending, "2026-12-06T10:00:00Z");
        nodeB.setState(pending, "2026-12-06T08:00:00Z");
        assertThat(nodeA.getState(pending)).as("only watermarks keep the highest").isEqualTo("2026-12-06T08:00:00Z");
    }

    @Test
    void aWatermarkIsNeverLoweredByTheSameInstance() {
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00.500Z");
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00.500Z");

        nodeA.setState(WATERMARK, "2026-12-06T10:00:01Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:01Z");
    }

    @Test
    void aWatermarkIsNeverLoweredByAnotherInstance() {
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00.123456Z");
        nodeB.setState(WATERMARK, "2026-12-06T09:59:59.999999999Z");

        assertThat(nodeB.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00.123456Z");
    }

    @Test
    void watermarksCompareAsInstantsWhateverTheirFractionDigits() {
        // as text "…00Z" sorts after "…00.100Z"
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00.100Z");
        nodeB.setState(WATERMARK, "2026-12-06T10:00:00Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00.100Z");

        nodeB.setState(WATERMARK, "2026-12-06T10:00:00.1000001Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00.1000001Z");

        // closer than timestamptz's microsecond: still ordered
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00.100000100Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00.1000001Z");
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00.100000101Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00.100000101Z");

        nodeA.setState(WATERMARK, "2026-12-06T09:00:00.999999999Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00.100000101Z");
    }

    @Test
    void concurrentWritersOfOneWatermarkLeaveTheHighestAndNeverMoveItBack() throws Exception {
        Instant base = Instant.parse("2026-12-06T10:00:00Z");
        List<String> values = new ArrayList<>();
        Random random = new Random(14);
        for (int i = 0; i < 120; i++) {
            // a mix of fraction lengths, as Instant.toString() writes them
            values.add(base.plusNanos(random.nextInt(1_000_000) * (i % 3 == 0 ? 1_000L : 1L) + i).toString());
        }
        Instant highest = values.stream().map(Instant::parse).max(Instant::compareTo).orElseThrow();
        Collections.shuffle(values, random);
        PostgresStateRepository nodeC = instance();
        List<PostgresStateRepository> writers = List.of(nodeA, nodeB, nodeC, nodeA, nodeB, nodeC);
        ExecutorService threads = Executors.newFixedThreadPool(writers.size() + 1);
        try {
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<List<Instant>> seen = threads.submit(() -> {
                List<Instant> reads = new ArrayList<>();
                go.await();
                while (writing.get()) {
                    String value = nodeB.getState(WATERMARK);
                    if (value != null) {
                        reads.add(Instant.parse(value));
                    }
                    Thread.sleep(5);
                }
                return reads;
            });
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                PostgresStateRepository writer = writers.get(w);
                List<String> share = values.subList(w * values.size() / writers.size(),
                        (w + 1) * values.size() / writers.size());
                writes.add(threads.submit(() -> {
                    go.await();
                    share.forEach(value -> writer.setState(WATERMARK, value));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> write : writes) {
                write.get(30, TimeUnit.SECONDS);
            }
            writing.set(false);

            assertThat(Instant.parse(nodeC.getState(WATERMARK))).isEqualTo(highest);
            List<Instant> reads = seen.get(30, TimeUnit.SECONDS);
            assertThat(reads).as("a reader between the writes").isNotEmpty().isSorted();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anEmptyValueResetsAWatermarkAndNullDeletesAKey() {
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00Z");
        // what the backfill writes when the conversation leaves its registry
        nodeB.setState(WATERMARK, "");
        assertThat(nodeA.getState(WATERMARK)).isEmpty();
        nodeA.setState(WATERMARK, "2026-12-01T00:00:00Z");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-01T00:00:00Z");

        nodeA.setState(LINK, "delta|2026-12-06T09:00:00Z|https://graph/a");
        nodeB.setState(LINK, null);
        assertThat(nodeA.getState(LINK)).isNull();
    }

    @Test
    void aWatermarkThatIsNoInstantIsRefusedNamingTheKey() {
        nodeA.setState(WATERMARK, "2026-12-06T10:00:00Z");

        assertThatThrownBy(() -> nodeA.setState(WATERMARK, "2026-12-06 11:00")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining(WATERMARK).hasMessageContaining("Instant.toString()");
        assertThat(nodeA.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00Z");
    }

    @Test
    void aStoredWatermarkThatIsNoInstantIsReplaced() {
        new JdbcTemplate(dataSource).update("INSERT INTO graph_teams_state (state_key, state_value) VALUES (?, ?)",
                WATERMARK, "garbage");

        nodeA.setState(WATERMARK, "2026-12-06T10:00:00Z");

        assertThat(nodeB.getState(WATERMARK)).isEqualTo("2026-12-06T10:00:00Z");
    }

    @Test
    void aLifecycleEventOneInstanceKeepsIsTakenByAnotherOnceInOrder() {
        nodeA.post("graph-teams-prod", "sub-1", "reauthorizationRequired");
        nodeA.post("graph-teams-other", "sub-9", "missed");
        nodeA.post("graph-teams-prod", "sub-1", "subscriptionRemoved");

        assertThat(nodeB.take("graph-teams-prod")).containsExactly(
                new LifecycleEventInbox.PostedLifecycleEvent("sub-1", "reauthorizationRequired"),
                new LifecycleEventInbox.PostedLifecycleEvent("sub-1", "subscriptionRemoved"));
        assertThat(nodeA.take("graph-teams-prod")).as("taken already").isEmpty();
        assertThat(nodeA.take("graph-teams-other")).containsExactly(
                new LifecycleEventInbox.PostedLifecycleEvent("sub-9", "missed"));
    }

    @Test
    void twoInstancesTakingAtOnceNeverBothGetAnEvent() throws Exception {
        int events = 200;
        for (int i = 0; i < events; i++) {
            nodeA.post("graph-teams-prod", "sub-" + i, "reauthorizationRequired");
        }
        List<LifecycleEventInbox.PostedLifecycleEvent> takenByA = new CopyOnWriteArrayList<>();
        List<LifecycleEventInbox.PostedLifecycleEvent> takenByB = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            for (int round = 0; round < 20; round++) {
                takenByA.addAll(nodeA.take("graph-teams-prod"));
            }
        });
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            for (int round = 0; round < 20; round++) {
                takenByB.addAll(nodeB.take("graph-teams-prod"));
            }
        });
        CompletableFuture.allOf(a, b).get(30, TimeUnit.SECONDS);

        List<String> all = new ArrayList<>();
        takenByA.forEach(event -> all.add(event.subscriptionId()));
        takenByB.forEach(event -> all.add(event.subscriptionId()));
        assertThat(all).hasSize(events).doesNotHaveDuplicates();
    }
}
