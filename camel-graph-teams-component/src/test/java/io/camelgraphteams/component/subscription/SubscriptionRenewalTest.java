package io.camelgraphteams.component.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * graph-protocol.md, Subscription lifetime: renew with PATCH before expiry; a subscription that is gone at renewal
 * (404) is created again and the gap reported. Lifetimes are compressed to seconds with the endpoint options.
 */
class SubscriptionRenewalTest extends RecordedGraphTestSupport {

    private ManagedConsumer start(String lifetime, String renewBefore) throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages", options(port)
                .set("subscriptionLifetime", lifetime)
                .set("renewBefore", renewBefore));
        return consumer;
    }

    @Test
    void renewsBeforeExpirySoTheSubscriptionNeverLapses() throws Exception {
        start("6s", "4s");
        Subscription created = consumer.inGraph(graph);
        Instant firstExpiration = created.expirationDateTime();
        assertThat(Duration.between(Instant.now(), firstExpiration)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(7));

        AtomicReference<String> lapse = new AtomicReference<>();
        await().atMost(15, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (graph.emulator().subscriptions().find(created.id()).isEmpty() && lapse.get() == null) {
                lapse.set("subscription gone at " + Instant.now() + " after " + consumer.status().renewals() + " renewals");
            }
            return consumer.status().renewals() >= 2;
        });

        assertThat(lapse.get()).as("the subscription lapsed").isNull();
        Subscription renewed = consumer.inGraph(graph);
        assertThat(renewed.id()).isEqualTo(created.id());
        assertThat(renewed.expirationDateTime()).isAfter(firstExpiration.plusSeconds(2));
        assertThat(consumer.status().expiration()).isEqualTo(renewed.expirationDateTime());
        assertThat(consumer.status().creations()).isEqualTo(1);
        assertThat(consumer.status().recreations()).isZero();
        assertThat(consumer.gaps()).isEmpty();
        List<RecordingFront.Request> patches = graphFront.requests("PATCH", "/subscriptions/" + created.id());
        assertThat(patches).hasSizeGreaterThanOrEqualTo(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(graphFront.requests("POST", "/subscriptions")).hasSize(1);
    }

    @Test
    void subscriptionGoneAtRenewalIsCreatedAgainAndTheGapReportedAsLapsed() throws Exception {
        start("6s", "4s");
        String first = consumer.subscriptionId();
        // removed behind the consumer's back: the next renewal meets a 404
        graph.emulator().subscriptions().remove(first);

        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().recreations() == 1);
        String second = consumer.subscriptionId();
        assertThat(second).isNotNull().isNotEqualTo(first);
        assertThat(graph.emulator().subscriptions().live()).extracting(Subscription::id).containsExactly(second);
        assertThat(consumer.gaps()).containsExactly(
                new ManagedConsumer.Gap(SubscriptionGapListener.Reason.LAPSED, second));
        assertThat(graphFront.requests("PATCH", "/subscriptions/" + first))
                .anySatisfy(r -> assertThat(r.status()).isEqualTo(404));

        graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "after the lapse"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.bodies().stream().anyMatch(b -> b.contains("after the lapse")));
    }
}
