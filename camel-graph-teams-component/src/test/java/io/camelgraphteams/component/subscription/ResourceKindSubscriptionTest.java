package io.camelgraphteams.component.subscription;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHANNEL;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.INSTALLED_APP;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.TEAM;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * graph-protocol.md, Resources: each of the six chatMessage resources gets its subscription created by the consumer,
 * with resource data (encrypted content) and without (the consumer GETs the message), and a message posted in its
 * scope arrives; each is reauthorized, recreated after subscriptionRemoved, adopted on restart and
 * deleted at stop when asked (issue 4, Acceptance).
 */
class ResourceKindSubscriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The six resources, the model query where Graph takes one, and how a message in scope is posted. */
    enum Kind {
        TENANT_CHANNEL_MESSAGES("teams/getAllMessages", "A",
                (teams, text) -> teams.postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, text))),
        TENANT_CHAT_MESSAGES("chats/getAllMessages", "A",
                (teams, text) -> teams.postChatMessage(CHAT, NewMessage.text(USER_A, text))),
        CHANNEL_MESSAGES("teams/" + TEAM + "/channels/" + CHANNEL + "/messages", null,
                (teams, text) -> teams.postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, text))),
        CHAT_MESSAGES("chats/" + CHAT + "/messages", null,
                (teams, text) -> teams.postChatMessage(CHAT, NewMessage.text(USER_A, text))),
        USER_CHAT_MESSAGES("users/" + USER_A + "/chats/getAllMessages", "B",
                (teams, text) -> teams.postChatMessage(CHAT, NewMessage.text(USER_A, text))),
        APP_INSTALLED_CHAT_MESSAGES("appCatalogs/teamsApps/" + INSTALLED_APP + "/installedToChats/getAllMessages", "B",
                (teams, text) -> teams.postChatMessage(CHAT, NewMessage.text(USER_A, text)));

        final String resource;
        final String model;
        final BiFunction<TeamsStore, String, ChatMessage> post;

        Kind(String resource, String model, BiFunction<TeamsStore, String, ChatMessage> post) {
            this.resource = resource;
            this.model = model;
            this.post = post;
        }

        String graphResource() {
            return "/" + resource + (model == null ? "" : "?model=" + model);
        }
    }

    static EmulatedGraph graph;

    @TempDir
    static Path dir;

    ManagedConsumer consumer;

    @BeforeAll
    static void startGraph() {
        graph = EmulatedGraph.start();
        // the appCatalogs resource follows chats where the Teams app is installed
        graph.emulator().teams().installApp(CHAT, INSTALLED_APP);
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
    }

    static Stream<Arguments> resourceKinds() {
        return Stream.of(Kind.values()).flatMap(kind -> Stream.of(Arguments.of(kind, true), Arguments.of(kind, false)));
    }

    @ParameterizedTest(name = "{0}, includeResourceData={1}")
    @MethodSource("resourceKinds")
    void eachResourceKindIsSubscribedAndAPostedMessageArrives(Kind kind, boolean includeResourceData) throws Exception {
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = ManagedConsumer.options(graph, port, dir)
                .set("includeResourceData", includeResourceData);
        if (kind.model != null) {
            options.set("model", kind.model);
        }
        consumer = ManagedConsumer.start(graph, port, kind.resource, options);

        List<Subscription> live = graph.emulator().subscriptions().live();
        assertThat(live).hasSize(1);
        Subscription subscription = live.get(0);
        assertThat(subscription.id()).isEqualTo(consumer.subscriptionId());
        assertThat(subscription.resource()).isEqualTo(kind.graphResource());
        assertThat(subscription.includeResourceData()).isEqualTo(includeResourceData);
        assertThat(subscription.encryptionCertificateId())
                .isEqualTo(includeResourceData ? ReceivingContext.CERTIFICATE_ID : null);
        assertThat(subscription.clientState()).isEqualTo(ReceivingContext.CLIENT_STATE);

        String text = "hello " + kind + " " + includeResourceData;
        ChatMessage posted = kind.post.apply(graph.emulator().teams(), text);

        await().atMost(15, TimeUnit.SECONDS).until(() -> !consumer.received().isEmpty());
        Exchange exchange = consumer.received().get(0);
        String body = exchange.getMessage().getBody(String.class);
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.SUBSCRIPTION_ID)).isEqualTo(subscription.id());
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID)).isEqualTo(posted.id());
        // without resource data the consumer GETs the message with its credentials: the body is the chatMessage either way
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED)).isEqualTo(true);
        assertThat(body).contains(text);
        JsonNode message = JSON.readTree(body);
        assertThat(message.path("id").asText()).isEqualTo(posted.id());
        assertThat(message.path("etag").asText()).isEqualTo(posted.etag());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void eachResourceKindIsReauthorizedRecreatedAdoptedAndDeletedOnStop(Kind kind) throws Exception {
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = ManagedConsumer.options(graph, port, dir);
        if (kind.model != null) {
            options.set("model", kind.model);
        }
        consumer = ManagedConsumer.start(graph, port, kind.resource, options);
        String created = consumer.subscriptionId();

        graph.emulator().sendLifecycleEvent(created, LifecycleEvent.REAUTHORIZATION_REQUIRED);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().reauthorizations() == 1);
        assertThat(consumer.inGraph(graph).lastReauthorizedAt()).isNotNull();

        graph.emulator().sendLifecycleEvent(created, LifecycleEvent.SUBSCRIPTION_REMOVED);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.status().recreations() == 1);
        String recreated = consumer.subscriptionId();
        assertThat(recreated).isNotEqualTo(created);
        assertThat(consumer.gaps()).containsExactly(
                new ManagedConsumer.Gap(SubscriptionGapListener.Reason.SUBSCRIPTION_REMOVED, recreated));
        Instant expiration = consumer.inGraph(graph).expirationDateTime();
        consumer.close();

        // restarted with deleteOnStop: adopts (renews) the recreated subscription, then deletes it at stop
        consumer = ManagedConsumer.start(graph, port, kind.resource, options.copy().set("deleteOnStop", true));
        assertThat(consumer.subscriptionId()).isEqualTo(recreated);
        assertThat(consumer.status().adoptions()).isEqualTo(1);
        assertThat(consumer.status().creations()).isZero();
        assertThat(consumer.inGraph(graph).expirationDateTime()).isAfter(expiration);
        assertThat(graph.emulator().subscriptions().live()).extracting(Subscription::id).containsExactly(recreated);
        consumer.close();
        consumer = null;
        assertThat(graph.emulator().subscriptions().live()).isEmpty();
    }
}
