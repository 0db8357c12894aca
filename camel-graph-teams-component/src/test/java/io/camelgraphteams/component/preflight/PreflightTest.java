package io.camelgraphteams.component.preflight;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import com.sun.net.httpserver.HttpServer;
import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.component.preflight.PreflightCheck.Verdict;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight's Graph lines against the emulator, each shown passing and failing as a real tenant makes it fail:
 * the identity platform's AADSTS refusals, a token without the permission, an app Microsoft has not approved for the
 * protected APIs, a public URL that does not lead back here, and what the reconcile will do with existing
 * subscriptions.
 */
class PreflightTest {

    private static final String CHAT_RESOURCE = "chats/" + EmulatedGraph.CHAT + "/messages";

    static EmulatedGraph graph;

    @TempDir
    static Path dir;

    private CamelContext context;
    private ManagedConsumer running;
    private HttpServer other;

    @BeforeAll
    static void startGraph() {
        graph = EmulatedGraph.start();
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @BeforeEach
    void startContext() {
        context = new DefaultCamelContext();
        graph.bindTls(context);
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
        if (running != null) {
            running.close();
        }
        if (other != null) {
            other.stop(0);
        }
        graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
    }

    private PreflightReport preflight(String resource, ManagedConsumer.Options options) throws Exception {
        GraphTeamsEndpoint endpoint = context.getEndpoint(options.uri(resource), GraphTeamsEndpoint.class);
        return context.getComponent("graph-teams", GraphTeamsComponent.class).preflight(endpoint);
    }

    private static ManagedConsumer.Options options(int port) {
        return ManagedConsumer.options(graph, port, dir);
    }

    private static ManagedConsumer.Options app(int port, RegisteredApp app) {
        graph.emulator().registerApp(app);
        return options(port).set("clientId", app.clientId()).set("clientSecret", "RAW(" + app.secrets().get(0).value()
                                                                                 + ")");
    }

    @Test
    void aSetupThatWillWorkPassesEveryLine() throws Exception {
        int port = ReceivingContext.freePort();
        // this process already serves the notification paths (receive-only), as the app would when it starts
        running = ManagedConsumer.start(graph, port, CHAT_RESOURCE, options(port).set("manageSubscription", "false"));

        PreflightReport report = preflight(CHAT_RESOURCE, options(port));

        assertThat(report.checks()).as(report.text()).allSatisfy(check -> assertThat(check.verdict())
                .as(check.line()).isEqualTo(Verdict.PASSED));
        assertThat(report.check(Preflight.SUBSCRIPTIONS).finding()).endsWith("one will be created");
        assertThat(graph.emulator().subscriptions().live()).as("the preflight creates nothing").isEmpty();
        assertThat(report.text()).doesNotContain(EmulatedGraph.SECRET);
    }

    @Test
    void theIdentityPlatformsRefusalsAreNamedWithTheirFix() throws Exception {
        int port = ReceivingContext.freePort();
        PreflightCheck wrongSecret = preflight(CHAT_RESOURCE, options(port).set("clientSecret", "RAW(not-it)"))
                .check(Preflight.TOKEN);
        assertThat(wrongSecret.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(wrongSecret.finding()).contains("AADSTS7000215");
        assertThat(wrongSecret.fix()).contains("secret's Value");

        RegisteredApp expired = RegisteredApp.builder("c0000000-0000-4000-8000-00000000e001")
                .secret("expired-secret", Instant.now().minusSeconds(3600)).build();
        assertThat(preflight(CHAT_RESOURCE, app(port, expired)).check(Preflight.TOKEN).fix()).contains("expired");

        assertThat(preflight(CHAT_RESOURCE, options(port).set("clientId", "c0000000-0000-4000-8000-00000000e002"))
                .check(Preflight.TOKEN).fix()).contains("no app with this clientId");

        assertThat(preflight(CHAT_RESOURCE, options(port).set("tenantId", "99999999-0000-4000-8000-000000000009"))
                .check(Preflight.TOKEN).fix()).contains("the tenant does not exist");
    }

    @Test
    void aTokenWithoutThePermissionTheResourceNeedsFails() throws Exception {
        int port = ReceivingContext.freePort();
        RegisteredApp channelsOnly = RegisteredApp.builder("c0000000-0000-4000-8000-00000000e003")
                .secret("channels-only-secret").permissions(Set.of("ChannelMessage.Read.All")).build();

        PreflightCheck permissions = preflight("chats/getAllMessages", app(port, channelsOnly))
                .check(Preflight.PERMISSIONS);

        assertThat(permissions.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(permissions.finding()).contains("ChannelMessage.Read.All", "needs Chat.Read.All");
        assertThat(permissions.fix()).contains("Chat.Read.All", "admin consent");
    }

    @Test
    void anAppNotApprovedForProtectedApisIsToldApartFromAMissingPermission() throws Exception {
        int port = ReceivingContext.freePort();
        RegisteredApp unapproved = RegisteredApp.builder("c0000000-0000-4000-8000-00000000e004")
                .secret("unapproved-secret").protectedApiAccess(false).build();

        PreflightReport report = preflight(CHAT_RESOURCE, app(port, unapproved));

        assertThat(report.check(Preflight.PERMISSIONS).verdict()).isEqualTo(Verdict.PASSED);
        PreflightCheck access = report.check(Preflight.PROTECTED_API);
        assertThat(access.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(access.finding()).contains("Protected API access");
        assertThat(access.fix()).contains("teams-protected-apis");
        // a getAllMessages resource is metered: not probed, even a read of nothing is charged
        assertThat(preflight("chats/getAllMessages", app(port, unapproved)).check(Preflight.PROTECTED_API).verdict())
                .isEqualTo(Verdict.SKIPPED);
    }

    @Test
    void aPublicUrlThatDoesNotLeadBackHereFailsAndOneThatCannotBeReachedWarns() throws Exception {
        int nobody = ReceivingContext.freePort();
        assertThat(preflight(CHAT_RESOURCE, options(nobody)).check(Preflight.NOTIFICATION_URL).verdict())
                .as("nothing listens: unreachable from here").isEqualTo(Verdict.WARNING);

        int port = ReceivingContext.freePort();
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        // a proxy that loses the query string: Graph's token never comes back
        other.createContext("/graph/notifications", exchange -> answer(exchange, 200, "OK"));
        other.createContext("/", exchange -> answer(exchange, 404, "Not Found"));
        other.start();
        PreflightReport report = preflight(CHAT_RESOURCE, options(port)
                .set("lifecycleNotificationUrl", "http://localhost:" + port + "/elsewhere"));

        PreflightCheck notifications = report.check(Preflight.NOTIFICATION_URL);
        assertThat(notifications.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(notifications.finding()).contains("answered 200 without the validation token");
        PreflightCheck lifecycle = report.check(Preflight.LIFECYCLE_URL);
        assertThat(lifecycle.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(lifecycle.fix()).contains("route this path to this process");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void existingSubscriptionsSayWhatTheReconcileWillDo() throws Exception {
        int port = ReceivingContext.freePort();
        running = ManagedConsumer.start(graph, port, CHAT_RESOURCE, options(port));
        String id = running.subscriptionId();

        PreflightCheck adopt = preflight(CHAT_RESOURCE, options(port)).check(Preflight.SUBSCRIPTIONS);
        assertThat(adopt.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(adopt.finding()).contains(id, "will be adopted");

        PreflightCheck replace = preflight(CHAT_RESOURCE, options(port).set("lifecycleNotificationUrl",
                "http://localhost:" + port + "/graph/other-lifecycle")).check(Preflight.SUBSCRIPTIONS);
        assertThat(replace.verdict()).isEqualTo(Verdict.WARNING);
        assertThat(replace.finding()).contains(id, "lifecycleNotificationUrl", "will be replaced");
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
