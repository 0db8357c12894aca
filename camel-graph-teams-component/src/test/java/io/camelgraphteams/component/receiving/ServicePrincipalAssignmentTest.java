package io.camelgraphteams.component.receiving;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.LogCapture;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deployment-facts.md: when the app's service principal requires app role assignment, Graph sends its rich
 * notifications with {@code validationTokens: null}. Nothing then proves a batch is Graph's, so it is refused as
 * before (401), but the log says once what to change in the tenant, instead of only "validationTokens missing".
 */
class ServicePrincipalAssignmentTest extends ReceivingTestSupport {

    private static byte[] withNullTokens(String messageId) {
        ObjectNode body = GraphNotifications.JSON.createObjectNode();
        body.putArray("value").add(encryptedItem(messageId));
        body.putNull("validationTokens");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void batchesWithNullValidationTokensAreRefusedAndTheFixIsLoggedOnce() throws Exception {
        startChats(null);
        try (LogCapture logs = LogCapture.start()) {
            // a batch without the field at all is the ordinary refusal, with no word about service principals
            assertThat(receiving.postBatch(batch(List.of(encryptedItem("6001")))).statusCode()).isEqualTo(401);
            assertThat(logs.events(e -> e.message().contains("appRoleAssignmentRequired"))).isEmpty();

            assertThat(receiving.postBatch(withNullTokens("6002")).statusCode()).isEqualTo(401);
            assertThat(receiving.postBatch(withNullTokens("6003")).statusCode()).isEqualTo(401);

            assertThat(receiving.received()).isEmpty();
            List<LogCapture.Event> explained = logs.events(e -> e.isAtLeast(Level.WARN)
                                                                && e.message().contains("appRoleAssignmentRequired"));
            assertThat(explained).as("the fix, said once").hasSize(1);
            assertThat(explained.get(0).message()).contains("0bf30f3b-4a52-48df-9a82-234910c4a086");
        }
    }
}
