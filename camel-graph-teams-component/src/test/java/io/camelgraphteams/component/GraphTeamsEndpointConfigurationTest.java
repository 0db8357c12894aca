package io.camelgraphteams.component;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A configuration that cannot work is refused when the endpoint is created, naming the option at fault. */
class GraphTeamsEndpointConfigurationTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    private void refused(String uri, String... messageParts) {
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().satisfies(e -> {
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
    }

    @Test
    void unknownResourceShapeListsTheAcceptedShapes() {
        refused("graph-teams:groups/abc/conversations?manageSubscription=false&includeResourceData=false", "Accepted shapes",
                "chats/{chat-id}/messages", "users/{user-id}/chats/getAllMessages");
    }

    @Test
    void unknownChangeTypeIsNamed() {
        refused("graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false&changeType=created,edited", "changeType",
                "edited");
    }

    @Test
    void clientStateOver128CharactersIsRefused() {
        refused("graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false&clientState=" + "x".repeat(129),
                "clientState", "128");
    }

    @Test
    void includeResourceDataNeedsClientIdAndKeys() {
        refused("graph-teams:chats/getAllMessages?manageSubscription=false", "clientId");
        refused("graph-teams:chats/getAllMessages?manageSubscription=false&clientId=app", "keyStore", "certificate");
    }

    @Test
    void pathsMustBePlainAbsolutePaths() {
        refused("graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false&notificationPath=graph", "notificationPath");
        refused("graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false&lifecycleNotificationPath=/a/*",
                "lifecycleNotificationPath");
    }

    @Test
    void backfillPagesHoldOneToFiftyMessagesAndDurationsAreNotNegative() {
        String base = "graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false";
        refused(base + "&backfillPageSize=0", "backfillPageSize", "1 to 50");
        refused(base + "&backfillPageSize=51", "backfillPageSize", "1 to 50");
        refused(base + "&backfillOverlap=-1", "backfillOverlap");
        GraphTeamsEndpoint endpoint = context.getEndpoint(base + "&backfillPageSize=50&backfillInterval=4m"
                                                          + "&backfillOverlap=5m", GraphTeamsEndpoint.class);
        assertThat(endpoint.getConfiguration().getBackfillInterval()).isEqualTo(240_000);
        assertThat(endpoint.getConfiguration().getBackfillOverlap()).isEqualTo(300_000);
        assertThat(endpoint.getConfiguration().isBackfill()).isTrue();
    }

    @Test
    void stateNamespaceDependsOnResourceAndTenantNotOnTheNotificationUrl() {
        String base = "graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false";
        String ns = context.getEndpoint(base + "&notificationUrl=https://a.example/n", GraphTeamsEndpoint.class)
                .stateNamespace();
        assertThat(ns).matches("graph-teams\\.all-chat-messages\\.[0-9a-f]{12}");
        assertThat(context.getEndpoint(base + "&notificationUrl=https://b.example/n", GraphTeamsEndpoint.class)
                .stateNamespace()).isEqualTo(ns);
        assertThat(context.getEndpoint(base + "&tenantId=other", GraphTeamsEndpoint.class).stateNamespace())
                .isNotEqualTo(ns);
        assertThat(context.getEndpoint(base + "&model=A", GraphTeamsEndpoint.class).stateNamespace())
                .isNotEqualTo(ns);
    }

    @Test
    void componentOptionsAreInheritedAndOverridable() {
        GraphTeamsComponent component = context.getComponent("graph-teams", GraphTeamsComponent.class);
        component.getConfiguration().setClientId("shared-app");
        component.getConfiguration().setIncludeResourceData(false);
        component.getConfiguration().setManageSubscription(false);
        component.getConfiguration().setNotificationPath("/shared");
        GraphTeamsEndpoint inherited = context.getEndpoint("graph-teams:chats/getAllMessages", GraphTeamsEndpoint.class);
        GraphTeamsEndpoint overridden = context.getEndpoint(
                "graph-teams:teams/getAllMessages?notificationPath=/own&clientId=own-app", GraphTeamsEndpoint.class);
        assertThat(inherited.getConfiguration().getClientId()).isEqualTo("shared-app");
        assertThat(inherited.getConfiguration().getNotificationPath()).isEqualTo("/shared");
        assertThat(overridden.getConfiguration().getNotificationPath()).isEqualTo("/own");
        assertThat(overridden.getConfiguration().getClientId()).isEqualTo("own-app");
        assertThat(component.getConfiguration().getNotificationPath()).isEqualTo("/shared");
    }

    @Test
    void aGraphTeamsEndpointCannotBeAProducer() {
        GraphTeamsEndpoint endpoint = context.getEndpoint(
                "graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false", GraphTeamsEndpoint.class);
        assertThatThrownBy(endpoint::createProducer).hasMessageContaining("only receives");
    }

    @Test
    void secretsAreMaskedInLoggedUris() {
        context.getComponent("graph-teams");
        String sanitized = URISupport.sanitizeUri("graph-teams:chats/getAllMessages?allowedTenantIds=t0&changeType=created"
                                                  + "&clientState=cs-secret&keyStorePassword=ks-secret&privateKey=pk-secret"
                                                  + "&privateKeyPassword=pkp-secret&clientSecret=sec-secret"
                                                  + "&clientCertificatePassword=ccp-secret&tenantId=t1");
        assertThat(sanitized).doesNotContain("cs-secret", "ks-secret", "pk-secret", "pkp-secret", "sec-secret", "ccp-secret")
                .contains("allowedTenantIds=t0", "changeType=created", "tenantId=t1");
    }
}
