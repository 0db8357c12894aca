package io.camelgraphteams.emulator.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.NotificationReceiver.Received;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL;
import static io.camelgraphteams.emulator.support.EmulatorFixture.TEAM;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The largest genuine batch the emulator produces, measured for the {@code maxBodySize} default (16 MiB): a full batch
 * (50 items) of the largest messages Teams accepts (about 28 KB of text), encrypted, with a validation token. The
 * figure is printed and quoted in docs/security.md.
 */
class LargestBatchTest {

    // Teams refuses messages over about 28 KB
    private static final int LARGEST_TEXT = 28_000;
    private static final int BATCH = 50;

    private EmulatorFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aFullBatchOfTheLargestMessagesStaysFarBelowTheSixteenMebibyteDefault() throws Exception {
        f = new EmulatorFixture(GraphEmulator.builder().maxBatchSize(BATCH)
                .timings(EmulatorFixture.fastTimings().withBatchWindow(Duration.ofSeconds(2))));
        SelfSignedCertificate key = SelfSignedCertificate.generate("CN=largest batch", 2048);
        ObjectNode body = f.subscription("/teams/" + TEAM + "/channels/" + CHANNEL + "/messages", "created");
        body.put("notificationUrl", f.receiver.url("/largest"));
        body.put("includeResourceData", true);
        body.put("encryptionCertificate", key.base64Der());
        body.put("encryptionCertificateId", "largest");
        f.create(body);

        String text = "x".repeat(LARGEST_TEXT);
        for (int i = 0; i < BATCH; i++) {
            f.emulator.teams().postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, text));
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> f.receiver.notifications("/largest").stream()
                .mapToInt(r -> r.body().split("\"changeType\"").length - 1).sum() >= BATCH);

        Received largest = f.receiver.notifications("/largest").stream()
                .max(java.util.Comparator.comparingInt(r -> r.body().length())).orElseThrow();
        int items = largest.body().split("\"changeType\"").length - 1;
        int bytes = largest.body().getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("LargestBatchTest: %d items of %d characters of text in one batch: %,d bytes (%.2f MiB)%n",
                items, LARGEST_TEXT, bytes, bytes / 1048576.0);
        assertThat(items).as("a full batch").isEqualTo(BATCH);
        assertThat(bytes).as("bytes of the largest batch").isLessThan(4 * 1024 * 1024);
    }
}
