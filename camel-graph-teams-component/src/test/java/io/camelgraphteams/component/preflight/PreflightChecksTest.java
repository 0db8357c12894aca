package io.camelgraphteams.component.preflight;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.camelgraphteams.component.crypto.DecryptionKey;
import io.camelgraphteams.component.preflight.PreflightCheck.Verdict;
import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.resource.ResourceKind;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preflight's lines that need no Graph: model, encryption certificate, clientState, and how it reads a token's
 * roles. Each is shown passing and failing; the lines that talk to Graph are in PreflightTest, against the emulator.
 */
class PreflightChecksTest {

    private static final String CHAT = "chats/19:a@thread.v2/messages";

    private static PreflightReport run(String resource, String model, DecryptionKey key, String clientState,
                                       Clock clock) throws InterruptedException {
        Preflight.Settings settings = new Preflight.Settings("graph-teams:" + resource, GraphResource.parse(resource),
                model, null, null, null, key != null, key, clientState, null, null, null);
        return new Preflight(settings, HttpClient.newHttpClient(), clock).run();
    }

    private static PreflightReport run(String resource, String model) throws InterruptedException {
        return run(resource, model, null, "a-secret", Clock.systemUTC());
    }

    @Test
    void aMeteredResourceWithoutModelWarnsOfEvaluationMode() throws Exception {
        PreflightCheck none = run("chats/getAllMessages", null).check(Preflight.MODEL);
        assertThat(none.verdict()).isEqualTo(Verdict.WARNING);
        assertThat(none.finding()).contains("evaluation mode", "500 messages a month");
        assertThat(none.fix()).contains("model=B", "model=A");

        assertThat(run("chats/getAllMessages", "B").check(Preflight.MODEL).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(run(CHAT, null).check(Preflight.MODEL).verdict()).isEqualTo(Verdict.PASSED);
        PreflightCheck unmetered = run(CHAT, "B").check(Preflight.MODEL);
        assertThat(unmetered.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(unmetered.fix()).isEqualTo("remove model");
    }

    @Test
    void theCertificateMustBeRsa2048To4096ValidAndNamedWithin128Characters() throws Exception {
        Clock now = Clock.systemUTC();
        TestKeys.CertifiedKey good = TestKeys.cached("preflight");
        PreflightCheck passed = run(CHAT, null, good.decryptionKey("key-1"), "s", now).check(Preflight.CERTIFICATE);
        assertThat(passed.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(passed.finding()).contains("RSA 2048 bits", "key-1");

        PreflightCheck small = run(CHAT, null, TestKeys.generate(1024).decryptionKey("key-1"), "s", now)
                .check(Preflight.CERTIFICATE);
        assertThat(small.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(small.finding()).isEqualTo("RSA 1024 bits");

        // the test certificates last a year
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);
        PreflightCheck expired = run(CHAT, null, good.decryptionKey("key-1"), "s", later).check(Preflight.CERTIFICATE);
        assertThat(expired.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(expired.finding()).startsWith("expired on");

        Clock soon = Clock.fixed(Instant.now().plus(Duration.ofDays(350)), ZoneOffset.UTC);
        assertThat(run(CHAT, null, good.decryptionKey("key-1"), "s", soon).check(Preflight.CERTIFICATE).verdict())
                .isEqualTo(Verdict.WARNING);

        PreflightCheck longId = run(CHAT, null, good.decryptionKey("k".repeat(129)), "s", now)
                .check(Preflight.CERTIFICATE);
        assertThat(longId.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(longId.finding()).contains("129 characters");

        assertThat(run(CHAT, null).check(Preflight.CERTIFICATE).verdict()).as("no resource data")
                .isEqualTo(Verdict.SKIPPED);
    }

    @Test
    void clientStateMustBeSetAndAtMost128Characters() throws Exception {
        Clock now = Clock.systemUTC();
        assertThat(run(CHAT, null, null, "s3cret", now).check(Preflight.CLIENT_STATE).verdict())
                .isEqualTo(Verdict.PASSED);
        assertThat(run(CHAT, null, null, null, now).check(Preflight.CLIENT_STATE).verdict())
                .isEqualTo(Verdict.FAILED);
        assertThat(run(CHAT, null, null, "x".repeat(129), now).check(Preflight.CLIENT_STATE).verdict())
                .isEqualTo(Verdict.FAILED);
    }

    @Test
    void withoutCredentialsTheGraphLinesSaySoAndTheReportFails() throws Exception {
        PreflightReport report = run(CHAT, null);
        assertThat(report.check(Preflight.TOKEN).verdict()).isEqualTo(Verdict.FAILED);
        assertThat(report.check(Preflight.PERMISSIONS).verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(report.check(Preflight.SUBSCRIPTIONS).verdict()).isEqualTo(Verdict.SKIPPED);
        assertThat(report.passed()).isFalse();
        assertThat(report.text()).contains("✗ access token: the endpoint has no credentials → set clientId");
    }

    @Test
    void aTokensRolesAreReadFromItsClaimsAndReadWriteCountsForRead() {
        String claims = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"roles\":[\"Chat.ReadWrite.All\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(Preflight.roles("h." + claims + ".s")).containsExactly("Chat.ReadWrite.All");
        assertThat(Preflight.roles("opaque")).isNull();
        assertThat(Preflight.acceptedRoles(ResourceKind.ALL_CHAT_MESSAGES)).contains("Chat.Read.All", "Chat.ReadWrite.All");
        assertThat(Preflight.acceptedRoles(ResourceKind.CHANNEL_MESSAGES))
                .contains("ChannelMessage.Read.All", "ChannelMessage.Read.Group");
    }
}
