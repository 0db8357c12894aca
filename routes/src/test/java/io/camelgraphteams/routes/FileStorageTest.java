package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.camelgraphteams.component.GraphTeamsEndpoint;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * graph.storage=file (the default in real mode): both graph-teams routes keep their dedup keys and backfill
 * watermarks in files under graph.data-dir, which a restart reads back.
 */
class FileStorageTest {

    @Test
    void dedupKeysAndWatermarksGoToFilesUnderTheDataDirectory(@TempDir Path dataDir, @TempDir Path messages)
            throws Exception {
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
            application.main().addOverrideProperty("messages.dir", messages.toString());
            application.main().addOverrideProperty("demo.traffic.period", "200");
            application.main().addOverrideProperty("graph.storage", "file");
            application.main().addOverrideProperty("graph.data-dir", dataDir.toString());
            application.main().start();

            application.main().getCamelContext().getEndpoints().stream()
                    .filter(GraphTeamsEndpoint.class::isInstance).map(GraphTeamsEndpoint.class::cast)
                    .forEach(endpoint -> {
                        assertThat(endpoint.getConfiguration().getIdempotentRepository())
                                .isInstanceOf(FileIdempotentRepository.class);
                        assertThat(endpoint.getConfiguration().getStateRepository())
                                .isInstanceOf(FileStateRepository.class);
                    });
            Path keys = dataDir.resolve("dedup-keys.dat");
            Path state = dataDir.resolve("state.dat");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(keys) && Files.size(keys) > 0
                                                               && Files.exists(state)
                                                               && Files.readString(state).contains("watermark"));
        }
    }

    @Test
    void anUnknownStorageStopsTheStartNamingIt(@TempDir Path messages) throws Exception {
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
            application.main().addOverrideProperty("messages.dir", messages.toString());
            application.main().addOverrideProperty("graph.storage", "redis");
            assertThatThrownBy(() -> application.main().start()).hasStackTraceContaining(
                    "graph.storage (env GRAPH_STORAGE) is 'redis': use file, postgres or memory");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
