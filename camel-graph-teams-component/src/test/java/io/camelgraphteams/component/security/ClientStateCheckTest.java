package io.camelgraphteams.component.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientStateCheckTest {

    @Test
    void everyItemsClientStateMustEqualTheSecret() {
        ClientStateCheck check = new ClientStateCheck("s3cr3t-value");
        assertThat(check.matches("s3cr3t-value")).isTrue();
        assertThat(check.matches("s3cr3t-valuE")).isFalse();
        assertThat(check.matches("s3cr3t-value ")).isFalse();
        assertThat(check.matches("")).isFalse();
        assertThat(check.matches(null)).isFalse();
    }

    @Test
    void withoutAConfiguredSecretEveryItemPasses() {
        ClientStateCheck check = new ClientStateCheck(null);
        assertThat(check.isConfigured()).isFalse();
        assertThat(check.matches(null)).isTrue();
        assertThat(check.matches("anything")).isTrue();
    }

    @Test
    void theSecretNeverAppearsInToString() {
        assertThat(new ClientStateCheck("s3cr3t-value").toString()).doesNotContain("s3cr3t");
    }
}
