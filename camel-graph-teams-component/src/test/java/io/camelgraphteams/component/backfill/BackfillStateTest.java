package io.camelgraphteams.component.backfill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.testsupport.MutableClock;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill's state in Camel's FileStateRepository: keys namespaced per endpoint so endpoints (and instances) share
 * one file, watermarks that only grow, conversations other instances add, what survives a restart.
 */
class BackfillStateTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Conversation CHAT = Conversation.chat("19:chat@thread.v2");
    private static final Conversation CHANNEL = Conversation.channel("t-1", "19:channel@thread.tacv2");

    @TempDir
    Path dir;

    private FileStateRepository repository;

    private FileStateRepository open() throws Exception {
        FileStateRepository r = FileStateRepository.fileStateRepository(dir.resolve("state.txt").toFile());
        r.start();
        return r;
    }

    @AfterEach
    void close() {
        if (repository != null) {
            repository.stop();
        }
    }

    @Test
    void theFirstStartIsRecordedAndTheNextIsARestart() throws Exception {
        repository = open();
        BackfillState first = new BackfillState(repository, "ns-a");
        assertThat(first.open(T0)).as("first start").isFalse();
        assertThat(first.since()).isEqualTo(T0);
        first.register(CHAT);
        first.advance(CHAT, T0.plusSeconds(60));
        first.flush();
        repository.stop();

        repository = open();
        BackfillState second = new BackfillState(repository, "ns-a");
        assertThat(second.open(T0.plusSeconds(3600))).as("restart").isTrue();
        assertThat(second.since()).as("the first start stays the floor").isEqualTo(T0);
        assertThat(second.conversations()).containsExactly(CHAT);
        assertThat(second.watermark(CHAT)).isEqualTo(T0.plusSeconds(60));
        assertThat(Files.readString(dir.resolve("state.txt"))).contains("ns-a.watermark.chat:19:chat@thread.v2=");
    }

    @Test
    void endpointsSharingARepositoryKeepTheirOwnState() throws Exception {
        repository = open();
        BackfillState a = new BackfillState(repository, "ns-a");
        BackfillState b = new BackfillState(repository, "ns-b");
        a.open(T0);
        b.open(T0.plusSeconds(5));
        a.advance(CHAT, T0.plusSeconds(10));
        a.flush();
        assertThat(b.conversations()).isEmpty();
        assertThat(b.watermark(CHAT)).isNull();
        assertThat(b.since()).isEqualTo(T0.plusSeconds(5));
        assertThat(a.conversations()).containsExactly(CHAT);
    }

    @Test
    void aWatermarkNeverGoesBackAndInstancesSeeEachOthersConversations() throws Exception {
        repository = open();
        BackfillState one = new BackfillState(repository, "ns");
        BackfillState other = new BackfillState(repository, "ns");
        one.open(T0);
        other.open(T0);
        one.advance(CHAT, T0.plusSeconds(100));
        one.advance(CHAT, T0.plusSeconds(50));
        one.flush();
        other.advance(CHAT, T0.plusSeconds(70));
        other.flush();
        assertThat(one.watermark(CHAT)).isEqualTo(T0.plusSeconds(100));
        assertThat(other.watermark(CHAT)).as("the lower value of the other instance is not written")
                .isEqualTo(T0.plusSeconds(100));

        other.register(CHANNEL);
        assertThat(one.conversations()).containsExactly(CHAT, CHANNEL);
    }

    @Test
    void theLowerBoundIsTheWatermarkMinusTheOverlapButNeverBeforeTheFirstStart() throws Exception {
        repository = open();
        BackfillState state = new BackfillState(repository, "ns");
        state.open(T0);
        state.register(CHAT);
        assertThat(state.lowerBound(CHAT, Duration.ofMinutes(5))).as("nothing delivered yet: since the start")
                .isEqualTo(T0);
        state.advance(CHAT, T0.plusSeconds(120));
        assertThat(state.lowerBound(CHAT, Duration.ofMinutes(5))).isEqualTo(T0);
        state.advance(CHAT, T0.plusSeconds(3600));
        assertThat(state.lowerBound(CHAT, Duration.ofMinutes(5))).isEqualTo(T0.plusSeconds(3300));
    }

    @Test
    void pendingBoundsAndPagingLinksAreKeptUntilCleared() throws Exception {
        repository = open();
        BackfillState state = new BackfillState(repository, "ns");
        state.open(T0);
        state.lowerPending(CHANNEL, T0.plusSeconds(30));
        state.lowerPending(CHANNEL, T0.plusSeconds(60));
        assertThat(state.pending(CHANNEL)).as("the lowest bound wins").isEqualTo(T0.plusSeconds(30));
        String link = "https://graph.microsoft.com/v1.0/teams/t-1/channels/19:c/messages/delta?$skiptoken=a=b|c";
        state.setLink(CHANNEL, BackfillState.Link.next(T0, T0.plusSeconds(1), link));
        repository.stop();

        repository = open();
        BackfillState reopened = new BackfillState(repository, "ns");
        reopened.open(T0.plusSeconds(999));
        assertThat(reopened.pending(CHANNEL)).isEqualTo(T0.plusSeconds(30));
        assertThat(reopened.link(CHANNEL)).isEqualTo(BackfillState.Link.next(T0, T0.plusSeconds(1), link));
        reopened.setLink(CHANNEL, BackfillState.Link.deltaRound(T0.plusSeconds(2), link));
        assertThat(reopened.link(CHANNEL)).isEqualTo(BackfillState.Link.deltaRound(T0.plusSeconds(2), link));
        reopened.clearPending(CHANNEL);
        reopened.clearLink(CHANNEL);
        assertThat(reopened.pending(CHANNEL)).isNull();
        assertThat(reopened.link(CHANNEL)).isNull();
    }

    @Test
    void aConversationWhoseIdHoldsControlCharactersIsNotKept() throws Exception {
        repository = open();
        BackfillState state = new BackfillState(repository, "ns");
        assertThat(state.register(Conversation.chat("19:a\u001b[31m@thread.v2"))).isFalse();
        assertThat(state.register(Conversation.chat("19:a\r\nforged log line"))).isFalse();
        assertThat(state.register(CHAT)).isTrue();
        assertThat(state.conversations()).containsExactly(CHAT);
    }

    @Test
    void anIdAStateKeyCannotHoldIsHashed() throws Exception {
        repository = open();
        BackfillState state = new BackfillState(repository, "ns");
        state.open(T0);
        Conversation odd = Conversation.chat("19:a=b c@thread.v2");
        state.advance(odd, T0.plusSeconds(1));
        state.flush();
        assertThat(state.watermark(odd)).isEqualTo(T0.plusSeconds(1));
        assertThat(state.conversations()).contains(odd);
        assertThat(BackfillState.fragment(odd)).startsWith("sha256:").doesNotContain("=");
    }

    @Test
    void theRegistryKeepsAtMostItsBoundAndTheConversationIdleLongestLeaves() throws Exception {
        repository = open();
        MutableClock clock = new MutableClock(T0);
        BackfillState state = new BackfillState(repository, "ns-bounded", 2, clock, Duration.ofMinutes(5));
        state.open(T0);
        Conversation third = Conversation.chat("19:third@thread.v2");
        state.advance(CHAT, T0);
        clock.advance(Duration.ofMinutes(1));
        state.advance(CHANNEL, T0.plusSeconds(60));
        state.lowerPending(CHANNEL, T0);
        clock.advance(Duration.ofMinutes(1));
        // the chat is active again: the channel is now the one idle longest
        state.advance(CHAT, T0.plusSeconds(120));
        state.flush();

        clock.advance(Duration.ofMinutes(1));
        state.advance(third, T0.plusSeconds(180));
        state.flush();

        assertThat(state.conversations()).containsExactlyInAnyOrder(CHAT, third);
        assertThat(state.watermark(CHANNEL)).as("forgotten with its slot").isNull();
        assertThat(state.pending(CHANNEL)).isNull();
        BackfillState restarted = new BackfillState(repository, "ns-bounded", 2, clock, Duration.ofMinutes(5));
        restarted.open(T0);
        assertThat(restarted.conversations()).containsExactlyInAnyOrder(CHAT, third);
        assertThat(restarted.watermark(third)).isEqualTo(T0.plusSeconds(180));
    }

    @Test
    void aWatermarkNeverGoesBeyondNowPlusTheClockSkew() throws Exception {
        repository = open();
        MutableClock clock = new MutableClock(T0);
        BackfillState state = new BackfillState(repository, "ns-future", 10, clock, Duration.ofMinutes(5));
        state.open(T0);

        // a message claiming to be from next year would hide every later change from the backfill
        state.advance(CHAT, T0.plus(Duration.ofDays(365)));

        assertThat(state.watermark(CHAT)).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    }
}
