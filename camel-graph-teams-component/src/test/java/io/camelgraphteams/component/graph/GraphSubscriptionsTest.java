package io.camelgraphteams.component.graph;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The subscription calls against the emulator: create, list, get, renew, reauthorize, delete. */
class GraphSubscriptionsTest extends EmulatorGraphTestSupport {

    @Test
    void createPassesTheHandshakeOnBothUrlsAndReturnsGraphsSubscription() throws Exception {
        Instant expiration = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        GraphClient client = client(RetryPolicy.none());

        Subscription created = client.createSubscription(allChatMessages().expirationDateTime(expiration).build());

        assertThat(created.id()).isNotBlank();
        assertThat(created.resource()).isEqualTo("/chats/getAllMessages");
        assertThat(created.changeType()).isEqualTo("created,updated");
        assertThat(created.notificationUrl()).isEqualTo(endpoint.url(NOTIFY));
        assertThat(created.lifecycleNotificationUrl()).isEqualTo(endpoint.url(LIFECYCLE));
        assertThat(created.expirationDateTime()).isEqualTo(expiration);
        assertThat(created.applicationId()).isEqualTo(APP);
        assertThat(created.creatorId()).isNotBlank();
        assertThat(created.includeResourceData()).isFalse();
        assertThat(created.toString()).doesNotContain("client-state-of-the-test");
        assertThat(endpoint.handshakes(NOTIFY)).isEqualTo(1);
        assertThat(endpoint.handshakes(LIFECYCLE)).isEqualTo(1);
        assertThat(emulator.subscriptions().find(created.id())).isPresent();
        assertThat(graph.requests("POST", "/v1.0/subscriptions")).hasSize(1);
    }

    @Test
    void listAndGetFindTheCreatedSubscription() throws Exception {
        GraphClient client = client(RetryPolicy.none());
        Subscription created = client.createSubscription(allChatMessages().build());
        Subscription other = client.createSubscription(allChatMessages()
                .resource("/chats/" + DemoTenant.GROUP_CHAT + "/messages").build());

        List<Subscription> listed = client.listSubscriptions();
        Subscription fetched = client.getSubscription(created.id());

        assertThat(listed).extracting(Subscription::id).containsExactlyInAnyOrder(created.id(), other.id());
        assertThat(fetched.id()).isEqualTo(created.id());
        assertThat(fetched.resource()).isEqualTo(created.resource());
        assertThat(fetched.expirationDateTime()).isEqualTo(created.expirationDateTime());
    }

    @Test
    void renewMovesTheExpirationWithPatch() throws Exception {
        GraphClient client = client(RetryPolicy.none());
        Subscription created = client.createSubscription(allChatMessages().build());
        Instant later = Instant.now().plus(Duration.ofHours(30)).truncatedTo(ChronoUnit.SECONDS);

        Subscription renewed = client.renewSubscription(created.id(), later);

        assertThat(renewed.id()).isEqualTo(created.id());
        assertThat(renewed.expirationDateTime()).isEqualTo(later);
        assertThat(emulator.subscriptions().find(created.id()).orElseThrow().expirationDateTime()).isEqualTo(later);
        assertThat(graph.requests("PATCH", "/v1.0/subscriptions/" + created.id())).hasSize(1);
    }

    @Test
    void renewalCarriesANewEncryptionCertificate() throws Exception {
        GraphClient client = client(RetryPolicy.none());
        SelfSignedCertificate first = SelfSignedCertificate.generate("CN=encryption 1", 2048);
        SelfSignedCertificate second = SelfSignedCertificate.generate("CN=encryption 2", 2048);
        Subscription created = client.createSubscription(allChatMessages()
                .includeResourceData(first.base64Der(), "key-2026-01").build());
        assertThat(created.includeResourceData()).isTrue();
        assertThat(created.encryptionCertificateId()).isEqualTo("key-2026-01");

        Subscription renewed = client.renewSubscription(created.id(), Instant.now().plus(Duration.ofHours(3)),
                second.base64Der(), "key-2026-02");

        assertThat(renewed.encryptionCertificateId()).isEqualTo("key-2026-02");
        assertThat(emulator.subscriptions().find(created.id()).orElseThrow().parsedEncryptionCertificate())
                .isEqualTo(second.certificate());
    }

    @Test
    void reauthorizeIsAPostToTheReauthorizeAction() throws Exception {
        GraphClient client = client(RetryPolicy.none());
        Subscription created = client.createSubscription(allChatMessages().build());

        client.reauthorize(created.id());

        assertThat(graph.requests("POST", "/v1.0/subscriptions/" + created.id() + "/reauthorize"))
                .singleElement().extracting(RecordingFront.Request::status).isEqualTo(204);
        assertThat(emulator.subscriptions().find(created.id()).orElseThrow().lastReauthorizedAt()).isNotNull();
    }

    @Test
    void deletedSubscriptionIsGoneAndNotFound() throws Exception {
        GraphClient client = client(RetryPolicy.none());
        Subscription created = client.createSubscription(allChatMessages().build());

        client.deleteSubscription(created.id());

        assertThat(emulator.subscriptions().find(created.id())).isEmpty();
        GraphApiException e = catchThrowableOfType(GraphApiException.class, () -> client.getSubscription(created.id()));
        assertThat(e.isNotFound()).isTrue();
        assertThat(e.errorCode()).contains("ResourceNotFound");
        GraphApiException again = catchThrowableOfType(GraphApiException.class,
                () -> client.deleteSubscription(created.id()));
        assertThat(again.isNotFound()).as("deleting twice").isTrue();
    }

    @Test
    void betaApiVersionCallsBeta() throws Exception {
        GraphClient beta = GraphClient.builder().graphBaseUrl(graph.baseUrl()).apiVersion("beta").tokenProvider(tokens)
                .build();

        Subscription created = beta.createSubscription(allChatMessages().build());
        beta.listSubscriptions();

        assertThat(beta.serviceRoot()).isEqualTo(graph.baseUrl() + "/beta");
        assertThat(graph.requests("POST", "/beta/subscriptions")).hasSize(1);
        assertThat(graph.requests("GET", "/beta/subscriptions")).hasSize(1);
        assertThat(emulator.subscriptions().find(created.id()).orElseThrow().apiVersion()).isEqualTo("beta");
    }
}
