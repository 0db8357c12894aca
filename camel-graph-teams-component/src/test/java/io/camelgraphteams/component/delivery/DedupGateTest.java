package io.camelgraphteams.component.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.component.testsupport.MutableClock;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dedup gate on its own, with an in-memory repository: when a change is let through, and when it is not. */
class DedupGateTest {

    private final MemoryIdempotentRepository repository = (MemoryIdempotentRepository) MemoryIdempotentRepository
            .memoryIdempotentRepository(10);
    private final DedupGate gate = new DedupGate(repository);
    private final AtomicInteger routes = new AtomicInteger();

    private CompletableFuture<Void> route(CompletableFuture<Void> outcome) {
        routes.incrementAndGet();
        return outcome;
    }

    @Test
    void theKeyIsRecordedOnlyOnceTheExchangeCompleted() {
        CompletableFuture<Void> exchange = new CompletableFuture<>();
        CompletableFuture<Boolean> passed = gate.pass("k", () -> route(exchange));

        assertThat(repository.contains("k")).as("in the route: not yet delivered").isFalse();
        exchange.complete(null);

        assertThat(passed.join()).isTrue();
        assertThat(repository.contains("k")).isTrue();
        assertThat(gate.pass("k", () -> route(CompletableFuture.completedFuture(null))).join()).isFalse();
        assertThat(routes).hasValue(1);
        assertThat(gate.duplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void aCopyWaitingForAFailedFirstFailsTooAndNothingIsRecorded() {
        CompletableFuture<Void> exchange = new CompletableFuture<>();
        CompletableFuture<Boolean> first = gate.pass("k", () -> route(exchange));
        CompletableFuture<Boolean> copy = gate.pass("k", () -> route(CompletableFuture.completedFuture(null)));

        assertThat(gate.waitingCopies()).isEqualTo(1);
        exchange.completeExceptionally(new IllegalStateException("sink down"));

        assertThatThrownBy(first::join).isInstanceOf(CompletionException.class);
        assertThatThrownBy(copy::join).as("never a 202 for a copy whose first failed")
                .isInstanceOf(CompletionException.class);
        assertThat(repository.contains("k")).isFalse();
        assertThat(routes).as("never two exchanges at once").hasValue(1);
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void aDuplicateCopyStillKeepsItsKeyForItsTokensLife() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
        MemoryIdempotentRepository small = (MemoryIdempotentRepository) MemoryIdempotentRepository
                .memoryIdempotentRepository(1);
        DedupGate windowed = new DedupGate(small, new RecentKeys(100, clock));
        // the backfill routes the version first: no token, no window
        windowed.pass("v", List.of(), null, () -> route(CompletableFuture.completedFuture(null))).join();
        // Graph's live copy arrives later under a token valid for an hour: a duplicate
        Instant tokenExpiry = clock.instant().plus(Duration.ofHours(1));
        assertThat(windowed.pass("v", List.of(), tokenExpiry, () -> route(CompletableFuture.completedFuture(null)))
                .join()).isFalse();
        // the repository forgets the key (its one slot taken by another change)
        windowed.pass("other", () -> route(CompletableFuture.completedFuture(null))).join();
        assertThat(small.contains("v")).isFalse();

        clock.advance(Duration.ofMinutes(30));
        assertThat(windowed.pass("v", List.of(), tokenExpiry, () -> route(CompletableFuture.completedFuture(null)))
                .join()).as("a replay of the live copy within its token's life").isFalse();
        assertThat(routes).hasValue(2);
    }

    @Test
    void aChangeWithoutKeyIsRoutedWithoutDedup() {
        gate.pass(null, () -> route(CompletableFuture.completedFuture(null))).join();
        gate.pass(null, () -> route(CompletableFuture.completedFuture(null))).join();
        assertThat(routes).hasValue(2);
    }

    @Test
    void aFailingRepositoryFailsTheChangeInsteadOfRoutingItBlind() {
        DedupGate broken = new DedupGate(new MemoryIdempotentRepository() {
            @Override
            public boolean contains(String key) {
                throw new IllegalStateException("database down");
            }
        });

        assertThatThrownBy(() -> broken.pass("k", () -> route(CompletableFuture.completedFuture(null))).join())
                .hasMessageContaining("the idempotent repository failed");
        assertThat(routes).hasValue(0);
    }
}
