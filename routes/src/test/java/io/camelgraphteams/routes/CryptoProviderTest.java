package io.camelgraphteams.routes;

import io.camelgraphteams.component.crypto.RsaOaepProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes app ships Amazon Corretto Crypto Provider for Linux x86_64 and aarch64: on those machines graph-teams
 * unwraps every notification's key with it (about three times cheaper than the JDK's RSA, docs/performance.md).
 */
class CryptoProviderTest {

    @Test
    void onLinuxTheAppDecryptsWithAmazonCorrettoCryptoProvider() {
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                               && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64")),
                "ACCP is shipped for Linux x86_64 and aarch64 only; here graph-teams uses the JDK's RSA");

        assertThat(RsaOaepProvider.selected().isAmazonCorretto()).as(RsaOaepProvider.selected().toString()).isTrue();
    }
}
