package io.camelgraphteams.component.receiving;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch is parsed with a size limit; wrong content type → 415, malformed JSON → 400, oversize → 413. */
class BatchRefusalTest extends ReceivingTestSupport {

    @Test
    void wrongContentTypeIs415AndNothingReachesTheRoute() throws Exception {
        startChats("");
        byte[] body = batch(List.of(encryptedItem("1")), validToken());
        assertThat(receiving.post("/graph/notifications", "text/plain", body).statusCode()).isEqualTo(415);
        assertThat(receiving.post("/graph/notifications", "application/xml", body).statusCode()).isEqualTo(415);
        assertThat(receiving.post("/graph/notifications", null, body).statusCode()).isEqualTo(415);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void malformedJsonIs400AndNothingReachesTheRoute() throws Exception {
        startChats("");
        for (String body : List.of("{\"value\":[", "not json", "[]", "{\"value\":{}}", "")) {
            HttpResponse<String> response = receiving.postBatch(body.getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(body).isEqualTo(400);
        }
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void batchOverMaxBodySizeIs413AndNothingReachesTheRoute() throws Exception {
        startChats("maxBodySize=4096");
        byte[] body = batch(List.of(encryptedItem("1"), encryptedItem("2"), encryptedItem("3")), validToken());
        assertThat(body.length).isGreaterThan(4096);
        assertThat(receiving.postBatch(body).statusCode()).isEqualTo(413);
        assertThat(receiving.received()).isEmpty();
        // the server keeps serving after a refusal
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("4")), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
    }

    @Test
    void defaultMaxBodySizeIs16MiB() throws Exception {
        startChats("");
        byte[] big = new byte[16 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(receiving.postBatch(big).statusCode()).isEqualTo(413);
        assertThat(receiving.received()).isEmpty();
    }
}
