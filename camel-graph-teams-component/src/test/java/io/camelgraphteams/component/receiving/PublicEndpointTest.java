package io.camelgraphteams.component.receiving;

import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.keyStore;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: what an anonymous sender, or one holding a captured batch, cannot do to a public endpoint. Content
 * without the encryption certificate is never routed, another tenant is refused unless listed, a forwarded lifecycle
 * event carries no secret, and Graph's own notifications failing the clientState check turn the health check DOWN.
 */
class PublicEndpointTest extends ReceivingTestSupport {

    private static final String OTHER_TENANT = "99999999-8888-7777-6666-555555555555";

    private GraphTeamsConsumer consumer() {
        return (GraphTeamsConsumer) receiving.context().getRoute("graph-teams-test").getConsumer();
    }

    private void startWithHealth(String extraOptions) throws Exception {
        receiving = ReceivingContext.start(ReceivingContext.freePort(), context -> {
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            registry.register(registry.resolveById("consumers"));
            // every check's result, not only the first when all are UP (two routes here: ours and the recorder)
            registry.setExposureLevel("full");
        }, new RouteBuilder() {
            @Override
            public void configure() {
                from(ReceivingContext.chatsUri(keyStore(dir), identityPlatform.openIdConfigurationUrl(), extraOptions))
                        .routeId("graph-teams-test").to("direct:received");
            }
        });
    }

    /** The subscription's health (its own check since issue 14: a clientState mismatch is no inability to receive). */
    private HealthCheck.Result subscriptionHealth() {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(receiving.context());
        return results.stream().filter(r -> r.getCheck().getId().equals("subscription:graph-teams-graph-teams-test"))
                .findFirst().orElseThrow(() -> new AssertionError("no subscription check for the graph-teams route among "
                                                      + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    @Test
    void plainResourceDataWithoutEncryptedContentIsNeverRoutedAsContent() throws Exception {
        // no Graph credentials: the message cannot be fetched, so the item is dropped
        startChats(null);
        ObjectNode injected = GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "3001");
        ((ObjectNode) injected.get("resourceData")).put("body", "content written without the certificate");

        assertThat(receiving.postBatch(batch(List.of(injected), validToken())).statusCode()).isEqualTo(202);

        assertThat(receiving.received()).isEmpty();
        assertThat(consumer().getCounters().asMap()).containsEntry("droppedWithoutContent", 1L);
    }

    @Test
    void onAnEndpointWithoutResourceDataOnlyGraphsReferenceIsForwarded() throws Exception {
        // no Graph credentials to get the message: the route gets the reference, never what else the POST carried
        startChats("includeResourceData=false");
        ObjectNode injected = GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "3009");
        ((ObjectNode) injected.get("resourceData")).put("body", "content written by whoever holds the clientState");

        assertThat(receiving.postBatch(batch(List.of(injected))).statusCode()).isEqualTo(202);

        assertThat(receiving.received()).hasSize(1);
        JsonNode forwarded = GraphNotifications.JSON.readTree(receiving.received().get(0).getMessage()
                .getBody(String.class));
        assertThat(forwarded.path("id").asText()).isEqualTo("3009");
        assertThat(forwarded.path("@odata.id").asText()).isEqualTo("chats('" + CHAT_ID + "')/messages('3009')");
        assertThat(forwarded.has("body")).as("the posted extra field").isFalse();
    }

    @Test
    void withTenantIdSetAnotherTenantIsRefused() throws Exception {
        startChats("tenantId=" + TENANT_ID);
        byte[] otherTenant = batch(List.of(itemOfTenant("3002", OTHER_TENANT)),
                issuer.v1Token(APP_ID, OTHER_TENANT).sign());

        assertThat(receiving.postBatch(otherTenant).statusCode()).isEqualTo(401);

        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void anAsteriskAcceptsEveryTenant() throws Exception {
        startChats("tenantId=" + TENANT_ID + "&allowedTenantIds=*");
        byte[] otherTenant = batch(List.of(itemOfTenant("3003", OTHER_TENANT)),
                issuer.v1Token(APP_ID, OTHER_TENANT).sign());

        assertThat(receiving.postBatch(otherTenant).statusCode()).isEqualTo(202);

        assertThat(receiving.received()).hasSize(1);
    }

    @Test
    void aForwardedLifecycleEventCarriesNoClientState() throws Exception {
        startChats("forwardLifecycleEvents=true");
        ObjectNode event = GraphNotifications.lifecycleItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, "missed");

        assertThat(receiving.post("/graph/lifecycle", "application/json", batch(List.of(event), validToken()))
                .statusCode()).isEqualTo(202);

        assertThat(receiving.received()).hasSize(1);
        JsonNode forwarded = GraphNotifications.JSON.readTree(receiving.received().get(0).getMessage()
                .getBody(String.class));
        assertThat(forwarded.path("lifecycleEvent").asText()).isEqualTo("missed");
        assertThat(forwarded.has("clientState")).as("the secret stays out of the route").isFalse();
        assertThat(forwarded.toString()).doesNotContain(CLIENT_STATE);
    }

    @Test
    void graphsOwnNotificationsFailingTheClientStateTurnTheConsumerDown() throws Exception {
        startWithHealth(null);
        assertThat(subscriptionHealth().getState()).isEqualTo(HealthCheck.State.UP);

        // a verified batch (Graph's own) whose every item carries the clientState the subscription was made with
        byte[] oldSecret = batch(List.of(encryptedItem("3004", "the-clientState-before-a-change"),
                encryptedItem("3005", "the-clientState-before-a-change")), validToken());
        assertThat(receiving.postBatch(oldSecret).statusCode()).isEqualTo(202);

        assertThat(receiving.received()).isEmpty();
        HealthCheck.Result down = subscriptionHealth();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("clientState", SUBSCRIPTION_ID));

        // the fix took: Graph's next batch passes, and the consumer is UP again
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("3006")), validToken())).statusCode())
                .isEqualTo(202);
        assertThat(subscriptionHealth().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void aCapturedBatchReplayedWithItsClientStateEditedDoesNotTurnTheConsumerDown() throws Exception {
        startWithHealth(null);
        String captured = validToken();
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("3007")), captured)).statusCode()).isEqualTo(202);

        // the token came with a batch that passed: these items are someone's edit, not Graph's clientState
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("3008", "edited-by-an-attacker")), captured))
                .statusCode()).isEqualTo(202);

        assertThat(receiving.received()).hasSize(1);
        assertThat(subscriptionHealth().getState()).isEqualTo(HealthCheck.State.UP);
    }

    private static ObjectNode itemOfTenant(String messageId, String tenantId) {
        return encryptedItem(messageId).put("tenantId", tenantId);
    }
}
