package io.camelgraphteams.component.backfill;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_NOTIFICATION;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions without resource data (includeResourceData=false): the consumer GETs each message with the endpoint's
 * credentials, so the route receives the chatMessage, deduplicated like any other; a GET that fails answers 503 and
 * Graph's redelivery brings the message.
 */
class ResourceLessFetchTest extends BackfillTestSupport {

    @Test
    void theMessageIsFetchedAndGraphsDuplicateIsSkipped() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("includeResourceData", false));
        assertThat(consumer.inGraph(graph).includeResourceData()).isFalse();
        graph.emulator().chaos().duplicateDeliveries(1.0);

        ChatMessage posted = graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "fetch me"));
        awaitArrival(posted);
        await().atMost(10, TimeUnit.SECONDS).until(() -> graph.emulator().deliveryLog()
                .records(DeliveryRecord.Kind.NOTIFICATION).stream().filter(r -> r.duplicate() && r.delivered()).count() == 1);

        Exchange exchange = assertOnce(posted, SOURCE_NOTIFICATION);
        assertThat(exchange.getMessage().getBody(String.class)).contains("fetch me").contains("\"etag\"");
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED)).isEqualTo(true);
        assertThat(graphFront.requests("GET", "/chats/" + CHAT + "/messages/" + posted.id())).hasSize(2);
        assertThat(consumer.consumer().getDuplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void aFailedFetchIsAnswered503AndGraphsRedeliveryBringsTheMessage() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("includeResourceData", false), context -> fastRetries(context, 2));
        // both tries of the first GET meet a Graph that answers 503
        graph.emulator().chaos().failNextGraphCalls(2);

        ChatMessage posted = graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "fetch me later"));
        awaitArrival(posted);

        assertOnce(posted, SOURCE_NOTIFICATION);
        assertThat(exchangeBody(posted)).contains("fetch me later");
        // the emulator logs an attempt when its answer arrives, a moment after the route has the message
        await().atMost(10, TimeUnit.SECONDS).until(() -> graph.emulator().deliveryLog()
                .records(DeliveryRecord.Kind.NOTIFICATION).stream().anyMatch(DeliveryRecord::delivered));
        List<DeliveryRecord> attempts = graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION);
        assertThat(attempts).extracting(DeliveryRecord::status).containsExactly(503, 202);
        assertThat(graphFront.requests("GET", "/chats/" + CHAT + "/messages/" + posted.id()))
                .extracting(r -> r.status()).containsExactly(503, 503, 200);
    }

    @Test
    void aSlowGraphIsGivenUpAtTheAnswerDeadline() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("includeResourceData", false).set("answerDeadline", 2000));
        // the GET of the message would take 5 s: Graph would have timed out on our answer long before
        graph.emulator().chaos().delayGraphResponses(Duration.ofSeconds(5));

        ChatMessage posted = graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "slow Graph"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> !graph.emulator().deliveryLog()
                .records(DeliveryRecord.Kind.NOTIFICATION).isEmpty());
        graph.emulator().chaos().reset();
        awaitArrival(posted);

        assertOnce(posted, SOURCE_NOTIFICATION);
        DeliveryRecord first = graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION).get(0);
        assertThat(first.status()).as("a fast 503, not a slow answer").isEqualTo(503);
        assertThat(first.elapsedMillis()).as("answered within Graph's 2.9 s").isLessThan(2900);
    }

    @Test
    void aNotificationsResourceCannotAddAQueryOrSegmentsToTheFetch() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/" + CHAT + "/messages",
                options(port).set("includeResourceData", false));
        ChatMessage posted = graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "fetch me"));
        awaitArrival(posted);
        graphFront.clear();

        String base = "chats/" + CHAT + "/messages/";
        assertThat(postResourceLess(port, base + posted.id() + "?$select=id")).isEqualTo(202);
        assertThat(postResourceLess(port, base + "..")).isEqualTo(202);

        // the id with its query characters is one encoded segment Graph does not know: nothing fetched with a query
        assertThat(graphFront.requests()).filteredOn(r -> r.method().equals("GET"))
                .singleElement().satisfies(r -> {
                    assertThat(r.query()).isNull();
                    assertThat(r.path()).endsWith("/messages/" + posted.id() + "?$select=id");
                    assertThat(r.status()).isEqualTo(404);
                });
        assertThat(exchangesOf(posted.id())).hasSize(1);
    }

    /** Posts a notification without resource data for {@code resource}, with the right clientState. */
    private static int postResourceLess(int port, String resource) throws Exception {
        String body = "{\"value\":[{\"subscriptionId\":\"forged\",\"changeType\":\"created\",\"clientState\":\""
                      + ReceivingContext.CLIENT_STATE + "\",\"tenantId\":\"" + graph.emulator().tenantId()
                      + "\",\"resource\":\"" + resource + "\",\"resourceData\":{\"id\":\"x\"}}]}";
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                                                                         + "/graph/notifications"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private String exchangeBody(ChatMessage message) {
        return exchangesOf(message.id()).get(0).getMessage().getBody(String.class);
    }
}
