package io.camelgraphteams.emulator.identity;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.GraphClient;
import io.camelgraphteams.emulator.support.NotificationReceiver.Received;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * deployment-facts.md, "Tenant prerequisites a real user trips over", as the emulator plays them: an app Microsoft
 * has not approved for the protected Teams APIs gets Graph's 403 (not the missing-permission one); a service
 * principal with appRoleAssignmentRequired gets rich notifications with {@code validationTokens: null}; a metered
 * subscription without {@code model} runs in evaluation mode and goes quiet past its cap, with no error.
 */
class TenantPrerequisitesTest {

    private static final String UNAPPROVED = "c0c0c0c0-0000-4000-8000-0000000000e1";
    private static final String RSC_ONLY = "c0c0c0c0-0000-4000-8000-0000000000e2";
    private static final String ASSIGNMENT_REQUIRED = "c0c0c0c0-0000-4000-8000-0000000000e3";

    private EmulatorFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private GraphClient as(String clientId) {
        return new GraphClient(f.emulator.graphV1Url(), f.emulator.accessToken(clientId));
    }

    @Test
    void anAppWithoutProtectedApiApprovalGetsGraphsProtectedApi403() throws Exception {
        f = new EmulatorFixture(GraphEmulator.builder().timings(EmulatorFixture.fastTimings())
                .registerApp(RegisteredApp.builder(UNAPPROVED).secret("s").protectedApiAccess(false).build())
                .registerApp(RegisteredApp.builder(RSC_ONLY).secret("s").protectedApiAccess(false)
                        .permissions(Set.of("ChatMessage.Read.Chat")).build()));

        GraphClient.Answer read = as(UNAPPROVED).get("/chats/" + CHAT + "/messages?$top=1");
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.errorMessage()).startsWith("Invoked API requires Protected API access in application-only "
                                                   + "context");
        GraphClient.Answer subscribe = as(UNAPPROVED).post("/subscriptions",
                Json.write(f.subscription("/chats/getAllMessages", "created")));
        assertThat(subscribe.status()).isEqualTo(403);
        assertThat(subscribe.errorMessage()).contains("Protected API access");

        // resource-specific consent needs no approval; an approved app reads as before
        assertThat(as(RSC_ONLY).get("/chats/" + CHAT + "/messages?$top=1").status()).isEqualTo(200);
        assertThat(f.graph.get("/chats/" + CHAT + "/messages?$top=1").status()).isEqualTo(200);
    }

    @Test
    void aServicePrincipalRequiringAssignmentGetsRichNotificationsWithoutValidationTokens() throws Exception {
        f = new EmulatorFixture(GraphEmulator.builder().timings(EmulatorFixture.fastTimings())
                .registerApp(RegisteredApp.builder(ASSIGNMENT_REQUIRED).secret("s").appRoleAssignmentRequired(true)
                        .build()));
        SelfSignedCertificate key = SelfSignedCertificate.generate("CN=assignment required", 2048);
        ObjectNode body = f.subscription("/chats/" + CHAT + "/messages", "created");
        body.put("notificationUrl", f.receiver.url("/assigned"));
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", key.base64Der());
        body.put("encryptionCertificateId", "k");
        GraphClient.Answer created = as(ASSIGNMENT_REQUIRED).post("/subscriptions",
                Json.write(body));
        assertThat(created.status()).isEqualTo(201);

        f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "hello"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> !f.receiver.notifications("/assigned").isEmpty());
        Received batch = f.receiver.notifications("/assigned").get(0);
        assertThat(batch.json().has("validationTokens")).isTrue();
        assertThat(batch.json().get("validationTokens").isNull()).isTrue();
        assertThat(batch.json().path("value").get(0).has("encryptedContent")).isTrue();
    }

    @Test
    void aMeteredSubscriptionWithoutModelGoesQuietPastTheEvaluationCap() throws Exception {
        f = new EmulatorFixture(GraphEmulator.builder().timings(EmulatorFixture.fastTimings()).evaluationModeCap(3));
        ObjectNode evaluation = f.subscription("/chats/getAllMessages", "created");
        evaluation.put("notificationUrl", f.receiver.url("/evaluation"));
        f.create(evaluation);

        for (int i = 0; i < 5; i++) {
            f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "message " + i));
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> f.emulator.evaluationWithheld() == 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> items(f.receiver.notifications("/evaluation")) == 3);
        assertThat(f.emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION))
                .as("nothing failed: Graph just stops").allSatisfy(r -> assertThat(r.delivered()).isTrue());

        // with a payment model the same resource is not capped
        f.deleteAllSubscriptions();
        ObjectNode paid = f.subscription("/chats/getAllMessages?model=B", "created");
        paid.put("notificationUrl", f.receiver.url("/paid"));
        f.create(paid);
        for (int i = 0; i < 5; i++) {
            f.emulator.teams().postChatMessage(CHAT, NewMessage.text(USER_A, "paid " + i));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> items(f.receiver.notifications("/paid")) == 5);
        assertThat(f.emulator.evaluationWithheld()).isEqualTo(2);
    }

    private static int items(List<Received> batches) {
        return batches.stream().mapToInt(b -> b.json().path("value").size()).sum();
    }
}
