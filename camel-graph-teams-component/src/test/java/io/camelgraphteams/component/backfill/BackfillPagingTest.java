package io.camelgraphteams.component.backfill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_BACKFILL;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHANNEL;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.TEAM;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Listings over several pages: 429 with Retry-After during paging is waited out; a failed exchange or a page Graph
 * will not serve stops the run, and the next run resumes at the page where it stopped (the stored nextLink), never
 * past the message that failed.
 */
class BackfillPagingTest extends BackfillTestSupport {

    private static final String CHANNEL_RESOURCE = "teams/" + TEAM + "/channels/" + CHANNEL + "/messages";

    private static List<ChatMessage> postChannel(int count, String prefix) {
        List<ChatMessage> posted = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            posted.add(graph.emulator().teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, prefix + i)));
        }
        return posted;
    }

    /** True once: when {@code ref} holds {@code value}, which it then forgets. */
    private static boolean takeIfEquals(java.util.concurrent.atomic.AtomicReference<String> ref, String value) {
        String current = ref.get();
        return current != null && current.equals(value) && ref.compareAndSet(current, null);
    }

    private static List<RecordingFront.Request> deltaCalls() {
        return graphFront.requests("GET", "/messages/delta");
    }

    @Test
    void throttlingDuringPagingIsWaitedOut() throws Exception {
        int port = ReceivingContext.freePort();
        java.util.concurrent.atomic.AtomicReference<String> throttleAfter = new java.util.concurrent.atomic.AtomicReference<>();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("backfillPageSize", 5), context -> fastRetries(context, 5), exchange -> {
                    String id = exchange.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID, String.class);
                    if (takeIfEquals(throttleAfter, id)) {
                        // the first page is routed: the next two calls get 429 with Retry-After 1 s
                        graph.emulator().chaos().throttleNextGraphCalls(2, Duration.ofSeconds(1));
                    }
                });
        List<ChatMessage> missed = lost(() -> {
            List<ChatMessage> posted = new ArrayList<>();
            for (int i = 1; i <= 13; i++) {
                posted.add(graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "throttled " + i)));
            }
            return posted;
        });
        // the chat lists newest first: the first page holds the five newest
        throttleAfter.set(missed.get(12).id());
        graphFront.clear();

        consumer.consumer().backfillNow().get(30, TimeUnit.SECONDS);

        List<RecordingFront.Request> pages = graphFront.requests("GET", "/chats/" + CHAT + "/messages");
        assertThat(pages).extracting(RecordingFront.Request::status).containsExactly(200, 429, 429, 200, 200);
        assertThat(consumer.consumer().getGraphRetries()).isEqualTo(2);
        missed.forEach(m -> assertOnce(m, SOURCE_BACKFILL));
        assertThat(consumer.received()).hasSize(13);
    }

    @Test
    void aFailedExchangeStopsTheRunAndTheNextRunResumesAtItsPage() throws Exception {
        int port = ReceivingContext.freePort();
        java.util.concurrent.atomic.AtomicReference<String> failOnce = new java.util.concurrent.atomic.AtomicReference<>();
        consumer = ManagedConsumer.start(graph, port, CHANNEL_RESOURCE, options(port).set("backfillPageSize", 5),
                context -> {
                }, exchange -> {
                    String id = exchange.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID, String.class);
                    if (takeIfEquals(failOnce, id)) {
                        throw new IllegalStateException("the sink refused message " + id);
                    }
                });
        List<ChatMessage> missed = lost(() -> postChannel(12, "page test "));
        failOnce.set(missed.get(7).id());
        graphFront.clear();

        assertThatThrownBy(() -> consumer.consumer().backfillNow().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("the sink refused message");
        assertThat(consumer.received()).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))
                .as("routed up to the failed message, oldest first, and not past it")
                .containsExactlyElementsOf(missed.subList(0, 7).stream().map(ChatMessage::id).toList());
        assertThat(deltaCalls()).as("two pages read").hasSize(2);
        assertThat(deltaCalls().get(0).query()).contains("$filter=").doesNotContain("skiptoken");
        assertThat(deltaCalls().get(1).query()).contains("skiptoken");
        String failedPage = deltaCalls().get(1).query();
        graphFront.clear();

        consumer.consumer().backfillNow().get(30, TimeUnit.SECONDS);
        assertThat(deltaCalls().get(0).query()).as("resumed at the page of the failed message").isEqualTo(failedPage);
        assertThat(deltaCalls()).hasSize(2);
        missed.forEach(m -> assertOnce(m, SOURCE_BACKFILL));
        assertThat(consumer.consumer().getDuplicatesSkipped()).as("the two routed before the failure on its page")
                .isEqualTo(2);
        assertThat(consumer.consumer().getBackfillStatus().failedRuns()).isEqualTo(1);
        assertThat(consumer.consumer().getBackfillStatus().lastError()).isNull();

        // the round ended with a deltaLink: the next run asks only for what changed since
        graphFront.clear();
        List<ChatMessage> later = lost(() -> postChannel(2, "after the round "));
        consumer.consumer().backfillNow().get(30, TimeUnit.SECONDS);
        assertThat(deltaCalls()).singleElement().satisfies(r -> assertThat(r.query()).contains("deltatoken"));
        later.forEach(m -> assertOnce(m, SOURCE_BACKFILL));
        assertNothingDoubled();
    }

    @Test
    void aPageGraphWillNotServeIsReadAgainByTheNextRun() throws Exception {
        int port = ReceivingContext.freePort();
        java.util.concurrent.atomic.AtomicReference<String> breakGraphAfter = new java.util.concurrent.atomic.AtomicReference<>();
        consumer = ManagedConsumer.start(graph, port, CHANNEL_RESOURCE, options(port).set("backfillPageSize", 5),
                context -> fastRetries(context, 2), exchange -> {
                    String id = exchange.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID, String.class);
                    if (takeIfEquals(breakGraphAfter, id)) {
                        // the last message of the first page: the next page meets a Graph that answers 503
                        graph.emulator().chaos().failNextGraphCalls(2);
                    }
                });
        List<ChatMessage> missed = lost(() -> postChannel(8, "outage test "));
        breakGraphAfter.set(missed.get(4).id());
        graphFront.clear();

        assertThatThrownBy(() -> consumer.consumer().backfillNow().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("503");
        assertThat(consumer.received()).hasSize(5);
        assertThat(deltaCalls()).extracting(RecordingFront.Request::status).containsExactly(200, 503, 503);
        String unservedPage = deltaCalls().get(1).query();
        graphFront.clear();

        consumer.consumer().backfillNow().get(30, TimeUnit.SECONDS);
        assertThat(deltaCalls().get(0).query()).isEqualTo(unservedPage);
        assertThat(deltaCalls()).extracting(RecordingFront.Request::status).containsOnly(200);
        missed.forEach(m -> assertOnce(m, SOURCE_BACKFILL));
        assertThat(consumer.consumer().getDuplicatesSkipped()).as("the page was not read twice").isZero();
    }
}
