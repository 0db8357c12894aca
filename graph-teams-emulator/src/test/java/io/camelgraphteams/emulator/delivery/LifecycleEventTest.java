package io.camelgraphteams.emulator.delivery;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.GraphClient;

/** reauthorizationRequired, subscriptionRemoved and missed, posted to lifecycleNotificationUrl in Graph's shape. */
class LifecycleEventTest {

    private static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(EmulatorFixture.fastTimings());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clean() {
        f.deleteAllSubscriptions();
    }

    @ParameterizedTest
    @EnumSource(LifecycleEvent.class)
    void eventArrivesAtTheLifecycleUrlOnly(LifecycleEvent event) {
        String path = "/lifecycle-" + event.graphName();
        ObjectNode body = f.subscription("/chats/" + CHAT + "/messages", "created");
        body.put("notificationUrl", f.receiver.url("/changes-" + event.graphName()));
        body.put("lifecycleNotificationUrl", f.receiver.url(path));
        String id = f.create(body);
        boolean viaHttp = event == LifecycleEvent.MISSED;
        if (viaHttp) {
            GraphClient control = new GraphClient(f.emulator.controlUrl(), null);
            assertThat(control.post("/subscriptions/" + id + "/lifecycle", "{\"lifecycleEvent\":\"missed\"}").status())
                    .isEqualTo(202);
        } else {
            f.emulator.sendLifecycleEvent(id, event);
        }

        await().atMost(5, TimeUnit.SECONDS).until(() -> !f.receiver.notifications(path).isEmpty());
        JsonNode item = f.receiver.notifications(path).get(0).json().get("value").get(0);
        assertThat(item.get("lifecycleEvent").asText()).isEqualTo(event.graphName());
        assertThat(item.get("subscriptionId").asText()).isEqualTo(id);
        assertThat(item.get("clientState").asText()).isEqualTo("secretClientState");
        assertThat(item.get("tenantId").asText()).isEqualTo(f.emulator.tenantId());
        assertThat(OffsetDateTime.parse(item.get("subscriptionExpirationDateTime").asText())).isNotNull();
        assertThat(item.has("changeType")).isFalse();
        assertThat(f.receiver.notifications("/changes-" + event.graphName())).isEmpty();
        int expectedStatus = event == LifecycleEvent.SUBSCRIPTION_REMOVED ? 404 : 200;
        assertThat(f.graph.get("/subscriptions/" + id).status()).isEqualTo(expectedStatus);
        assertThat(f.emulator.deliveryLog().records(DeliveryRecord.Kind.LIFECYCLE))
                .anySatisfy(r -> assertThat(r.subscriptionIds()).containsExactly(id));
    }

    @ParameterizedTest
    @EnumSource(value = LifecycleEvent.class, names = "REAUTHORIZATION_REQUIRED")
    void subscriptionWithoutLifecycleUrlCannotGetOne(LifecycleEvent event) {
        String id = f.create(f.subscription("/chats/" + CHAT + "/messages", "created"));
        assertThatThrownBy(() -> f.emulator.sendLifecycleEvent(id, event)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lifecycleNotificationUrl");
    }
}
