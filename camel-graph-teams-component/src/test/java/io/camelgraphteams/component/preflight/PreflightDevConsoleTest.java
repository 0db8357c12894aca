package io.camelgraphteams.component.preflight;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The preflight in Camel's developer console: every graph-teams endpoint's checklist, as text and as JSON. */
class PreflightDevConsoleTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theConsoleShowsEachEndpointsChecklist() throws Exception {
        try (EmulatedGraph graph = EmulatedGraph.start()) {
            int port = ReceivingContext.freePort();
            try (ManagedConsumer consumer = ManagedConsumer.start(graph, port, "chats/" + EmulatedGraph.CHAT
                                                                              + "/messages",
                    ManagedConsumer.options(graph, port, dir))) {
                DevConsole console = PluginHelper.getDevConsoleResolver(consumer.context())
                        .resolveDevConsole("graph-teams-preflight");
                assertThat(console).isNotNull();

                String text = (String) console.call(DevConsole.MediaType.TEXT);
                assertThat(text).contains("graph-teams preflight for graph-teams:chats/", "✓ access token",
                        "✓ notificationUrl", "will be adopted");

                Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);
                List<Map<String, Object>> endpoints = (List<Map<String, Object>>) json.get("endpoints");
                assertThat(endpoints).singleElement().satisfies(endpoint -> {
                    assertThat(endpoint.get("passed")).isEqualTo(true);
                    assertThat((List<Map<String, Object>>) endpoint.get("checks")).extracting(c -> c.get("subject"))
                            .contains(Preflight.TOKEN, Preflight.PERMISSIONS, Preflight.SUBSCRIPTIONS);
                });
            }
        }
    }
}
