package io.camelgraphteams.postgres;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.camelgraphteams.component.delivery.DedupGate;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The component's own dedup gate on two instances sharing PostgreSQL: two copies of one change reaching both at the
 * same instant are routed once; the other copy's batch is answered 503, and Graph's redelivery of it is a duplicate.
 */
class SharedDedupGateTest {

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    // repeated: which instance wins the claim is up to the race
    @RepeatedTest(5)
    void twoCopiesAtTheSameInstantOnTwoInstancesAreRoutedOnceAndTheRedeliveryIsADuplicate(RepetitionInfo repetition)
            throws Exception {
        PostgresIdempotentRepository repositoryA = new PostgresIdempotentRepository(dataSource, "app", "node-a");
        PostgresIdempotentRepository repositoryB = new PostgresIdempotentRepository(dataSource, "app", "node-b");
        repositoryA.start();
        repositoryB.start();
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try {
            List<DedupGate> gates = List.of(new DedupGate(repositoryA), new DedupGate(repositoryB));
            String key = "graph-teams-prod|19:" + "feed".repeat(60) + "@thread.v2|170100000000" + repetition.getCurrentRepetition()
                         + "|1701000000001";
            AtomicInteger routed = new AtomicInteger();
            CyclicBarrier sameInstant = new CyclicBarrier(2);

            List<Future<CompletableFuture<Boolean>>> copies = gates.stream().map(gate -> instances.submit(() -> {
                sameInstant.await(10, TimeUnit.SECONDS);
                return gate.pass(key, () -> slowRoute(routed));
            })).toList();
            CompletableFuture<Boolean> copyA = copies.get(0).get(10, TimeUnit.SECONDS);
            CompletableFuture<Boolean> copyB = copies.get(1).get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(copyA, copyB).exceptionally(error -> null).get(10, TimeUnit.SECONDS);

            assertThat(routed).as("routed once across both instances").hasValue(1);
            int winner = copyA.isCompletedExceptionally() ? 1 : 0;
            CompletableFuture<Boolean> won = winner == 0 ? copyA : copyB;
            CompletableFuture<Boolean> lost = winner == 0 ? copyB : copyA;
            assertThat(won.join()).isTrue();
            assertThatThrownBy(lost::join).as("its batch is answered 503").isInstanceOf(CompletionException.class)
                    .hasMessageContaining("another instance is routing this change");

            DedupGate loser = gates.get(1 - winner);
            assertThat(loser.pass(key, () -> slowRoute(routed)).get(10, TimeUnit.SECONDS))
                    .as("Graph's redelivery to the instance that refused it").isFalse();
            assertThat(routed).hasValue(1);
            assertThat(repositoryA.contains(key)).isTrue();
            assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM graph_teams_dedup_claim",
                    Integer.class)).as("no claim left behind").isZero();
        } finally {
            instances.shutdownNow();
            repositoryA.stop();
            repositoryB.stop();
        }
    }

    private static CompletableFuture<Void> slowRoute(AtomicInteger routed) {
        routed.incrementAndGet();
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
