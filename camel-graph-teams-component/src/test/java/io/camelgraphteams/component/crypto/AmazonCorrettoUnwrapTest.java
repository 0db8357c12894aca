package io.camelgraphteams.component.crypto;

import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import java.util.Locale;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.crypto.RichNotificationVector.CERTIFICATE_ID;
import static io.camelgraphteams.component.crypto.RichNotificationVector.CERTIFICATE_LOCATION;
import static io.camelgraphteams.component.crypto.RichNotificationVector.PRIVATE_KEY_LOCATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dataKey unwrap uses Amazon Corretto Crypto Provider when it is on the class path (the tests have the
 * linux-x86_64 jar) and healthy, and the JDK's providers when it is disabled, missing, unhealthy, or refuses a key.
 * Microsoft's own encryptedContent sample decrypts either way.
 */
class AmazonCorrettoUnwrapTest {

    private static final String JDK_RSA_PROVIDER = "SunJCE";
    private static CamelContext camelContext;
    private static DecryptionKey vectorKey;

    @BeforeAll
    static void loadMicrosoftsKey() {
        camelContext = new DefaultCamelContext();
        vectorKey = DecryptionKeyLoader.fromPem(camelContext, CERTIFICATE_ID, CERTIFICATE_LOCATION,
                PRIVATE_KEY_LOCATION, null);
    }

    @AfterAll
    static void closeContext() throws Exception {
        camelContext.close();
    }

    /** The jar on the test class path is built for Linux on x86-64; elsewhere it cannot load. */
    private static void assumeAccpBuildForThisMachine() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "the test class path carries ACCP for linux-x86_64 only");
    }

    private static RsaOaepProvider accp() {
        assumeAccpBuildForThisMachine();
        return RsaOaepProvider.amazonCorretto()
                .orElseThrow(() -> new AssertionError("ACCP is on the test class path but was not found healthy: "
                                                      + RsaOaepProvider.choose(null).reason()));
    }

    private static byte[] decryptMicrosoftsSample(NotificationDecryptor decryptor) throws Exception {
        return decryptor.decrypt(RichNotificationVector.encryptedContent());
    }

    private static void assertIsMicrosoftsChatMessage(byte[] plaintext) {
        String text = new String(plaintext, StandardCharsets.UTF_8);
        assertThat(text).contains("\"content\":\"Hello World\"").contains("\"etag\":\"1625126194597\"");
    }

    /** The provider that did this thread's last unwrap with {@code provider}'s ciphers. */
    private static Provider lastUnwrapProvider(RsaOaepProvider provider) {
        return provider.ciphersForCurrentThread().lastUnwrapProvider();
    }

    @Test
    void accpOnTheClassPathIsFoundHealthyAndChosenByDefault() {
        RsaOaepProvider accp = accp();

        assertThat(accp.isAmazonCorretto()).isTrue();
        assertThat(accp.provider()).get().extracting(Provider::getName).isEqualTo("AmazonCorrettoCryptoProvider");
        RsaOaepProvider.Choice choice = RsaOaepProvider.choose(null);
        assertThat(choice.provider()).isSameAs(accp);
        assertThat(choice.logMessage()).contains("AmazonCorrettoCryptoProvider " + accp.provider().get().getVersionStr())
                .contains("-Dcamel.graphteams.accp=false");
        assertThat(RsaOaepProvider.choose("true").provider()).isSameAs(accp);
    }

    @Test
    void accpUnwrapsMicrosoftsSampleAndTheJdkKeepsHmacAndAes() throws Exception {
        RsaOaepProvider accp = accp();
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(vectorKey)), accp);

        byte[] plaintext = decryptMicrosoftsSample(decryptor);

        assertIsMicrosoftsChatMessage(plaintext);
        assertThat(lastUnwrapProvider(accp)).isSameAs(accp.provider().get());
        GraphContentCiphers ciphers = accp.ciphersForCurrentThread();
        assertThat(ciphers.signatureMac.getProvider().getName()).isEqualTo(JDK_RSA_PROVIDER);
        assertThat(ciphers.contentCipher.getProvider().getName()).isEqualTo(JDK_RSA_PROVIDER);
    }

    @Test
    void componentsDecryptorUsesAccpUnlessDisabled() throws Exception {
        RsaOaepProvider accp = accp();
        assumeTrue(System.getProperty(RsaOaepProvider.DISABLE_PROPERTY) == null,
                "this JVM was started with -D" + RsaOaepProvider.DISABLE_PROPERTY);
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(vectorKey)));

        assertIsMicrosoftsChatMessage(decryptMicrosoftsSample(decryptor));

        assertThat(decryptor.getRsaOaepProvider()).isSameAs(RsaOaepProvider.selected()).isSameAs(accp);
        assertThat(lastUnwrapProvider(accp)).isSameAs(accp.provider().get());
    }

    @Test
    void disabledBySystemPropertyTheJdkUnwrapsMicrosoftsSample() throws Exception {
        accp();
        for (String disabled : List.of("false", " FALSE ")) {
            RsaOaepProvider.Choice choice = RsaOaepProvider.choose(disabled);
            assertThat(choice.provider()).isSameAs(RsaOaepProvider.jdk());
            assertThat(choice.logMessage()).contains("disabled by -Dcamel.graphteams.accp=false");
        }
        RsaOaepProvider jdk = RsaOaepProvider.choose("false").provider();
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(vectorKey)), jdk);

        assertIsMicrosoftsChatMessage(decryptMicrosoftsSample(decryptor));

        assertThat(jdk.isAmazonCorretto()).isFalse();
        assertThat(lastUnwrapProvider(jdk).getName()).isEqualTo(JDK_RSA_PROVIDER);
    }

    @Test
    void withoutTheJarTheJdkIsUsed() throws Exception {
        // a class loader that sees the JDK only, as the component's does when a deployment lacks the jar
        try (URLClassLoader withoutAccp = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            RsaOaepProvider.Probe probe = RsaOaepProvider.probe(withoutAccp);

            assertThat(probe.provider()).isNull();
            assertThat(probe.absence()).isEqualTo("Amazon Corretto Crypto Provider not on the class path");
        }
    }

    @Test
    void accpRegisteredWithTheJvmIsFoundWithoutSeeingItsClass() throws Exception {
        Provider registered = accp().provider().get();
        // an OSGi bundle importing nothing of ACCP sees it only this way (java.security lists it, or install())
        int position = Security.addProvider(registered);
        assertThat(position).as("added last, so the JVM's default providers stay first").isPositive();
        try (URLClassLoader withoutAccp = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            RsaOaepProvider.Probe probe = RsaOaepProvider.probe(withoutAccp);

            assertThat(probe.provider()).isNotNull();
            assertThat(probe.provider().provider()).get().isSameAs(registered);
            NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(vectorKey)),
                    probe.provider());
            assertIsMicrosoftsChatMessage(decryptMicrosoftsSample(decryptor));
            assertThat(lastUnwrapProvider(probe.provider())).isSameAs(registered);
        } finally {
            Security.removeProvider(registered.getName());
        }
    }

    @Test
    void accpWhoseNativeLibraryCannotLoadIsNotUsed(@TempDir Path temp) throws Exception {
        assumeAccpBuildForThisMachine();
        URL accpJar = Class.forName(RsaOaepProvider.ACCP_CLASS).getProtectionDomain().getCodeSource().getLocation();
        Path notADirectory = Files.writeString(temp.resolve("a-file"), "ACCP cannot unpack its library below this");
        String tmpDirProperty = "com.amazon.corretto.crypto.provider.tmpdir";
        String before = System.getProperty(tmpDirProperty);
        // a second copy of ACCP in its own class loader, told to unpack its native library where it cannot
        System.setProperty(tmpDirProperty, notADirectory.resolve("native").toString());
        try (URLClassLoader brokenAccp = new URLClassLoader(new URL[] { accpJar },
                ClassLoader.getPlatformClassLoader())) {
            RsaOaepProvider.Probe probe = RsaOaepProvider.probe(brokenAccp);

            assertThat(probe.provider()).isNull();
            assertThat(probe.absence()).startsWith("Amazon Corretto Crypto Provider ")
                    .contains("is present but not usable on this machine");
        } finally {
            if (before == null) {
                System.clearProperty(tmpDirProperty);
            } else {
                System.setProperty(tmpDirProperty, before);
            }
        }
    }

    @Test
    void keyAccpRefusesIsUnwrappedByTheJdk() throws Exception {
        RsaOaepProvider accp = accp();
        // like a key from a store that does not export its encoding: ACCP needs PKCS#8, SunJCE takes the numbers
        DecryptionKey unencodedKey = new DecryptionKey(CERTIFICATE_ID,
                new UnencodedRsaKey((RSAPrivateKey) vectorKey.getPrivateKey()), vectorKey.getCertificate());
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(unencodedKey)), accp);

        assertIsMicrosoftsChatMessage(decryptMicrosoftsSample(decryptor));
        assertThat(lastUnwrapProvider(accp).getName()).isEqualTo(JDK_RSA_PROVIDER);

        // the next item with the usual key goes to ACCP again
        NotificationDecryptor usual = new NotificationDecryptor(DecryptionKeyRing.of(List.of(vectorKey)), accp);
        assertIsMicrosoftsChatMessage(decryptMicrosoftsSample(usual));
        assertThat(lastUnwrapProvider(accp)).isSameAs(accp.provider().get());
    }

    /** An RSA private key that exposes modulus and exponent but no encoded form. */
    private record UnencodedRsaKey(RSAPrivateKey key) implements RSAPrivateKey {
        @Override
        public BigInteger getPrivateExponent() {
            return key.getPrivateExponent();
        }

        @Override
        public BigInteger getModulus() {
            return key.getModulus();
        }

        @Override
        public String getAlgorithm() {
            return "RSA";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }
}
