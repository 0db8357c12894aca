package io.camelgraphteams.component.backfill;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.RawHttp;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.GraphTeamsConstants.SOURCE_NOTIFICATION;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, the residual risk closed: whoever holds a captured batch (its validation token and clientState) and our
 * public certificate can encrypt content of their own that passes every check until the token expires. With
 * verifyByGet=true the route receives Graph's own copy of each notified message, never the notified content, and a
 * message Graph does not have is not routed at all.
 */
class VerifyByGetTest extends BackfillTestSupport {

    @Test
    void theRouteReceivesGraphsCopyNotTheNotifiedContent() throws Exception {
        int port = ReceivingContext.freePort();
        consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages", options(port).set("verifyByGet", true));
        ChatMessage first = graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "genuine one"));
        awaitArrival(first);
        String capturedToken = capturedValidationToken();
        // the real message whose notification Graph lost: the attacker notifies it, with content of their own
        ChatMessage real = lost(() -> List.of(graph.emulator().teams().postChatMessage(CHAT,
                NewMessage.text(USER_A, "what Adele really wrote")))).get(0);

        RawHttp.Response forged = post(port, forgedItem(real.id(), "what the attacker wants the route to see"),
                capturedToken);
        RawHttp.Response invented = post(port, forgedItem("1700000000999", "a message Graph never had"),
                capturedToken);

        assertThat(forged.status()).isEqualTo(202);
        assertThat(invented.status()).isEqualTo(202);
        String routed = assertOnce(real, SOURCE_NOTIFICATION).getMessage().getBody(String.class);
        assertThat(routed).contains("what Adele really wrote").doesNotContain("attacker");
        assertThat(exchangesOf("1700000000999")).isEmpty();
        assertThat(graphFront.requests("GET", "/chats/" + CHAT + "/messages/" + real.id())).hasSize(1);
    }

    /** The validation token of the batch Graph delivered, as a network eavesdropper would have it. */
    private static String capturedValidationToken() throws Exception {
        for (DeliveryRecord record : graph.emulator().deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION)) {
            JsonNode tokens = GraphNotifications.JSON.readTree(record.body()).path("validationTokens");
            if (tokens.isArray() && !tokens.isEmpty()) {
                return tokens.get(0).asText();
            }
        }
        throw new AssertionError("no delivered batch carried a validation token");
    }

    /** An item the attacker builds: our clientState, content they encrypted with our public certificate. */
    private ObjectNode forgedItem(String messageId, String text) {
        String content = GraphNotifications.chatMessage(CHAT, messageId, text);
        ObjectNode item = GraphNotifications.chatItem(consumer.subscriptionId(), graph.emulator().tenantId(),
                ReceivingContext.CLIENT_STATE, CHAT, messageId);
        return GraphNotifications.withEncryptedContent(item, TestEncryption.encrypt(
                content.getBytes(StandardCharsets.UTF_8), TestKeys.cached(ReceivingContext.CERTIFICATE_ID).certificate(),
                ReceivingContext.CERTIFICATE_ID));
    }

    private static RawHttp.Response post(int port, ObjectNode item, String token) throws Exception {
        return RawHttp.send(port, RawHttp.Request.post("/graph/notifications", "application/json",
                GraphNotifications.batch(List.of(item), List.of(token))), 30_000);
    }
}
