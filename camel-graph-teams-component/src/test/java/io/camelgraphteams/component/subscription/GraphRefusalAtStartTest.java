package io.camelgraphteams.component.subscription;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4, Authentication and the Graph client: what Graph or the identity platform refuses for good fails the
 * start-up with a message that says what to fix, and is not retried.
 */
class GraphRefusalAtStartTest {

    private static final String WRONG_SECRET = "Wrong~Secret.Value_not-the-app-0001";
    private static final String CHANNELS_ONLY_APP = "c0c0c0c0-0000-4000-8000-0000000000c3";
    private static final String CHANNELS_ONLY_SECRET = "channels-only-secret-value";
    private static final String TOKEN_PATH = "/oauth2/v2.0/token";

    static EmulatedGraph graph;
    static RecordingFront identityFront;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startGraph() throws Exception {
        graph = EmulatedGraph.start();
        graph.emulator().registerApp(RegisteredApp.builder(CHANNELS_ONLY_APP).secret(CHANNELS_ONLY_SECRET)
                .permissions(Set.of("ChannelMessage.Read.All")).build());
        identityFront = RecordingFront.https(graph.emulator().identityBaseUrl(), graph.emulator().sslContext());
    }

    @AfterAll
    static void stopGraph() {
        identityFront.close();
        graph.close();
    }

    @AfterEach
    void clear() {
        identityFront.clear();
    }

    /** Trusts the identity front's own certificate. */
    static final class FrontTrust extends SSLContextParameters {
        @Override
        public SSLContext createSSLContext(CamelContext camelContext) {
            return identityFront.clientTrust();
        }
    }

    @Test
    void wrongClientSecretFailsStartUpNamingClientSecretAfterOneTokenRequest() throws Exception {
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = ManagedConsumer.options(graph, port, dir)
                .set("clientSecret", "RAW(" + WRONG_SECRET + ")")
                .set("authorityUrl", identityFront.baseUrl())
                .set("sslContextParameters", "#frontTrust");

        Throwable failure = catchThrowable(() -> ManagedConsumer.start(graph, port, "chats/getAllMessages", options,
                context -> context.getRegistry().bind("frontTrust", new FrontTrust())));

        assertThat(failure).as("start-up fails").isNotNull();
        String messages = messages(failure);
        assertThat(messages).contains("clientSecret").contains("AADSTS7000215")
                .doesNotContain(WRONG_SECRET).doesNotContain(EmulatedGraph.SECRET);
        // a refused credential is not retried: one request now, none later
        await().during(Duration.ofSeconds(1)).atMost(3, TimeUnit.SECONDS)
                .until(() -> identityFront.requests("POST", TOKEN_PATH).size() == 1);
        assertThat(graph.emulator().subscriptions().live()).isEmpty();
    }

    @Test
    void missingPermissionFailsStartUpNamingThePermission() throws Exception {
        int port = ReceivingContext.freePort();
        ManagedConsumer.Options options = ManagedConsumer.options(graph, port, dir)
                .set("clientId", CHANNELS_ONLY_APP)
                .set("clientSecret", "RAW(" + CHANNELS_ONLY_SECRET + ")");

        Throwable failure = catchThrowable(() -> ManagedConsumer.start(graph, port, "chats/getAllMessages", options));

        assertThat(failure).as("start-up fails").isNotNull();
        assertThat(messages(failure)).contains("403").contains("Chat.Read.All").doesNotContain(CHANNELS_ONLY_SECRET);
        assertThat(graph.emulator().subscriptions().live()).isEmpty();
    }

    /** Every message of the cause chain, joined: what a user sees in the start-up log. */
    private static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(t.getMessage());
        }
        return String.join(" | ", messages);
    }
}
