package io.camelgraphteams.routes;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Camel's Vert.x server only warns about a taken port; the application refuses to start and names the setting. */
class BusyPortTest {

    @Test
    void aTakenHttpPortStopsStartUpBeforeTheEmulatorStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication();
            application.main().addOverrideProperty("http.port", Integer.toString(taken.getLocalPort()));
            try (application) {
                assertThatThrownBy(() -> application.main().start())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Port " + taken.getLocalPort() + " on 0.0.0.0 is not free")
                        .hasMessageContaining("set http.port (env HTTP_PORT) to a free port");
                assertThat(application.embeddedGraph()).isNull();
            }
        }
    }
}
