package io.camelgraphteams.component.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.camelgraphteams.component.auth.GraphTokenProvider;
import io.camelgraphteams.component.auth.MsalTokenProvider;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * One emulator per test class (demo Teams data, an app with every permission and one with none), a recording front
 * on its Graph port so tests count the requests that really went out, and a notification endpoint that passes the
 * validation handshake. Tokens come from real msal4j against the emulator's identity platform.
 */
abstract class EmulatorGraphTestSupport {

    static final String APP = "d1d1d1d1-0000-4000-8000-000000000001";
    static final String NO_PERMISSION_APP = "d1d1d1d1-0000-4000-8000-000000000002";
    static final String UNAPPROVED_APP = "d1d1d1d1-0000-4000-8000-000000000003";
    static final String SECRET = "Graph~Client.Test-Secret_0001";
    static final String NOTIFY = "/graph/notifications";
    static final String LIFECYCLE = "/graph/lifecycle";

    static GraphEmulator emulator;
    static RecordingFront graph;
    static ValidationEchoServer endpoint;
    static MsalTokenProvider tokens;

    @BeforeAll
    static void startEmulator() throws Exception {
        emulator = GraphEmulator.builder()
                .seed(DemoTenant.seed())
                .registerApp(RegisteredApp.withSecret(APP, SECRET))
                .registerApp(RegisteredApp.builder(NO_PERMISSION_APP).secret(SECRET).permissions(Set.of()).build())
                .registerApp(RegisteredApp.builder(UNAPPROVED_APP).secret(SECRET).protectedApiAccess(false).build())
                .start();
        graph = RecordingFront.http(emulator.graphBaseUrl());
        endpoint = ValidationEchoServer.start();
        tokens = tokens(APP);
    }

    @AfterAll
    static void stopEmulator() {
        endpoint.close();
        graph.close();
        emulator.stop();
    }

    @AfterEach
    void resetEmulator() {
        emulator.chaos().reset();
        emulator.subscriptions().live().forEach(s -> emulator.subscriptions().remove(s.id()));
        graph.clear();
        endpoint.clear();
    }

    static MsalTokenProvider tokens(String clientId) {
        return MsalTokenProvider.builder()
                .authorityUrl(emulator.identityBaseUrl())
                .tenantId(emulator.tenantId())
                .clientId(clientId)
                .clientSecret(SECRET)
                .sslSocketFactory(emulator.sslSocketFactory())
                .build();
    }

    /** A client of the emulator's Graph through the recording front. */
    static GraphClient client(RetryPolicy retryPolicy) {
        return client(tokens, retryPolicy);
    }

    static GraphClient client(GraphTokenProvider tokenProvider, RetryPolicy retryPolicy) {
        return GraphClient.builder()
                .graphBaseUrl(graph.baseUrl())
                .tokenProvider(tokenProvider)
                .retryPolicy(retryPolicy)
                .build();
    }

    /** Fast waits for tests that are not about timing. */
    static RetryPolicy quickRetries() {
        return RetryPolicy.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).withTimeScale(20);
    }

    /** /chats/getAllMessages for two hours, which needs the lifecycle URL; both URLs pass the handshake. */
    static SubscriptionRequest.Builder allChatMessages() {
        return SubscriptionRequest.builder()
                .resource("/chats/getAllMessages")
                .changeType("created,updated")
                .notificationUrl(endpoint.url(NOTIFY))
                .lifecycleNotificationUrl(endpoint.url(LIFECYCLE))
                .expirationDateTime(Instant.now().plus(Duration.ofHours(2)))
                .clientState("client-state-of-the-test");
    }
}
