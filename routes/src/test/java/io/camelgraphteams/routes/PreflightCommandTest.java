package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes app's preflight command ({@code exec.args=preflight}) on the embedded default: each graph-teams route's
 * checklist against the emulator, printed, with nothing created in Graph.
 */
class PreflightCommandTest {

    @Test
    void thePreflightOfTheDemoSetupPassesAndCreatesNothing(@TempDir Path dataDir) throws Exception {
        List<String> printed = new ArrayList<>();
        int exitCode;
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
            application.main().addOverrideProperty("messages.dir", dataDir.toString());

            exitCode = application.preflight(printed::add);

            assertThat(application.embeddedGraph().emulator().subscriptions().live())
                    .as("the preflight reads, never creates").isEmpty();
        }
        String output = String.join("\n", printed);
        assertThat(exitCode).as(output).isZero();
        assertThat(printed).as("one report per graph-teams route, then the verdict").hasSize(3);
        assertThat(output).contains("graph-teams preflight for graph-teams:chats/getAllMessages",
                "graph-teams preflight for graph-teams:teams/getAllMessages", "✓ access token",
                "✓ permissions: the token carries Chat.Read.All", "✓ notificationUrl: a validation request sent to",
                "✓ lifecycleNotificationUrl", "one will be created", "preflight passed");
        // the demo subscribes to metered resources without a payment model: said, not failed
        assertThat(output).contains("! model: no model");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
