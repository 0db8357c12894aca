package io.camelgraphteams.component.receiving;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** graph-protocol.md, "Validation handshake". */
class ValidationHandshakeTest extends ReceivingTestSupport {

    @Test
    void handshakeIsAnswered200WithTheDecodedTokenAsPlainText() throws Exception {
        startChats("");
        String token = "Validation: Testing client application reachability for subscription Request-Id: 4e7b3b5a-9f1e";
        HttpResponse<String> response = receiving.handshake("/graph/notifications", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(response.body()).isEqualTo(token);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void lifecycleUrlIsValidatedToo() throws Exception {
        startChats("");
        HttpResponse<String> response = receiving.handshake("/graph/lifecycle", "lifecycle-token-1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("lifecycle-token-1");
    }

    @Test
    void bothUrlsEqualAnswerBothRequests() throws Exception {
        startChats("lifecycleNotificationPath=/graph/notifications");
        assertThat(receiving.handshake("/graph/notifications", "first").body()).isEqualTo("first");
        assertThat(receiving.handshake("/graph/notifications", "second").body()).isEqualTo("second");
    }

    @ParameterizedTest
    @ValueSource(strings = { "<script>alert('x')</script>", "a+b c&d=e%f", "ünïcødé ✓", "line\nbreak", "\"quoted\"" })
    void handshakeTokenWithOddCharactersIsEchoedExactly(String token) throws Exception {
        startChats("");
        HttpResponse<String> response = receiving.handshake("/graph/notifications", token);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(token);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void handshakeIsAnsweredAsSoonAsTheConsumerStarted() throws Exception {
        long started = System.nanoTime();
        startChats("");
        HttpResponse<String> response = receiving.handshake("/graph/notifications", "immediately");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("immediately");
        // no warm-up, no subscription work in front of it: well within Graph's 10 seconds
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
    }
}
