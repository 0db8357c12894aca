package io.camelgraphteams.component.receiving;

import java.util.List;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.GraphTeamsConsumer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** graph-protocol.md, "clientState": items whose clientState does not match are dropped, the rest proceed. */
class ClientStateHttpTest extends ReceivingTestSupport {

    @Test
    void itemWithWrongClientStateIsDroppedAndTheRestProceed() throws Exception {
        startChats("");
        byte[] body = batch(List.of(encryptedItem("1"), encryptedItem("2", "wrong-state"), encryptedItem("3")),
                validToken());
        assertThat(receiving.postBatch(body).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))
                .containsExactlyInAnyOrder("1", "3");
        assertThat(consumer().getCounters().droppedClientState()).isEqualTo(1);
    }

    @Test
    void itemWithoutClientStateIsDropped() throws Exception {
        startChats("");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1", null)), validToken())).statusCode())
                .isEqualTo(202);
        assertThat(receiving.received()).isEmpty();
        assertThat(consumer().getCounters().droppedClientState()).isEqualTo(1);
    }

    @Test
    void clientStateIsNeverLogged() throws Exception {
        startChats("");
        receiving.postBatch(batch(List.of(encryptedItem("1", "wrong-state-value-xyz")), validToken()));
        String log = java.nio.file.Files.readString(java.nio.file.Path.of("target/camel-graph-teams-test.log"));
        assertThat(log).doesNotContain(io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE)
                .doesNotContain("wrong-state-value-xyz")
                .doesNotContain(io.camelgraphteams.component.testsupport.ReceivingContext.KEY_STORE_PASSWORD)
                .contains("clientState does not match");
    }

    private GraphTeamsConsumer consumer() {
        return (GraphTeamsConsumer) receiving.context().getRoute("graph-teams-test").getConsumer();
    }
}
