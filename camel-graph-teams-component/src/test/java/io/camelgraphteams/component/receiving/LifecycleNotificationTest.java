package io.camelgraphteams.component.receiving;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.notification.ChangeNotification;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** graph-protocol.md, "Lifecycle notifications": verified like any item, handed to the listener. */
class LifecycleNotificationTest extends ReceivingTestSupport {

    private List<ChangeNotification> listen() {
        List<ChangeNotification> events = new CopyOnWriteArrayList<>();
        ((GraphTeamsConsumer) receiving.context().getRoute("graph-teams-test").getConsumer())
                .addLifecycleEventListener(events::add);
        return events;
    }

    @Test
    void eachLifecycleEventReachesTheListenerButNotTheRouteByDefault() throws Exception {
        startChats("");
        List<ChangeNotification> events = listen();
        for (String event : List.of("reauthorizationRequired", "subscriptionRemoved", "missed")) {
            byte[] body = batch(List.of(GraphNotifications.lifecycleItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, event)));
            assertThat(receiving.post("/graph/lifecycle", "application/json", body).statusCode()).isEqualTo(202);
        }
        assertThat(events).extracting(ChangeNotification::lifecycleEvent)
                .containsExactly("reauthorizationRequired", "subscriptionRemoved", "missed");
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void lifecycleEventWithWrongClientStateIsDropped() throws Exception {
        startChats("");
        List<ChangeNotification> events = listen();
        byte[] body = batch(List.of(GraphNotifications.lifecycleItem(SUBSCRIPTION_ID, TENANT_ID, "forged", "subscriptionRemoved")));
        assertThat(receiving.post("/graph/lifecycle", "application/json", body).statusCode()).isEqualTo(202);
        assertThat(events).isEmpty();
    }

    @Test
    void lifecycleEventWithAnInvalidTokenIs401() throws Exception {
        startChats("");
        List<ChangeNotification> events = listen();
        byte[] body = batch(List.of(GraphNotifications.lifecycleItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, "missed")),
                issuer.v1Token("wrong-audience", TENANT_ID).sign());
        assertThat(receiving.post("/graph/lifecycle", "application/json", body).statusCode()).isEqualTo(401);
        assertThat(events).isEmpty();
    }

    @Test
    void forwardLifecycleEventsSendsThemToTheRouteWithTheEventHeader() throws Exception {
        startChats("forwardLifecycleEvents=true");
        byte[] body = batch(List.of(GraphNotifications.lifecycleItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE,
                "reauthorizationRequired")));
        assertThat(receiving.post("/graph/lifecycle", "application/json", body).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
        assertThat(receiving.received().get(0).getMessage().getHeader(GraphTeamsConstants.LIFECYCLE_EVENT))
                .isEqualTo("reauthorizationRequired");
        assertThat(receiving.received().get(0).getMessage().getHeader(GraphTeamsConstants.SUBSCRIPTION_ID))
                .isEqualTo(SUBSCRIPTION_ID);
    }

    @Test
    void aFailingListenerAnswers503SoGraphRedeliversTheEvent() throws Exception {
        startChats("");
        ((GraphTeamsConsumer) receiving.context().getRoute("graph-teams-test").getConsumer())
                .addLifecycleEventListener(event -> {
                    throw new IllegalStateException("Graph unreachable");
                });
        byte[] body = batch(List.of(GraphNotifications.lifecycleItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE,
                "reauthorizationRequired")));
        assertThat(receiving.post("/graph/lifecycle", "application/json", body).statusCode()).isEqualTo(503);
    }
}
