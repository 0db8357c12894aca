package io.camelgraphteams.component.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestKeys.CertifiedKey;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.crypto.RichNotificationVector.ALIAS;
import static io.camelgraphteams.component.crypto.RichNotificationVector.CERTIFICATE_ID;
import static io.camelgraphteams.component.crypto.RichNotificationVector.CERTIFICATE_LOCATION;
import static io.camelgraphteams.component.crypto.RichNotificationVector.PKCS12_LOCATION;
import static io.camelgraphteams.component.crypto.RichNotificationVector.PRIVATE_KEY_LOCATION;
import static io.camelgraphteams.component.crypto.RichNotificationVector.THUMBPRINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys come from the component's options; every mistake names the option and never echoes a secret. */
class DecryptionKeyLoaderTest {

    private static final String STORE_PASSWORD = "s3cret-Store-Pa55";
    private static final String KEY_PASSWORD = "s3cret-Key-Pa55";

    private static CamelContext camelContext;

    @TempDir
    Path directory;

    private final CertifiedKey alpha = TestKeys.cached("loader-alpha");
    private final CertifiedKey beta = TestKeys.cached("loader-beta");

    @BeforeAll
    static void createContext() {
        camelContext = new DefaultCamelContext();
    }

    @AfterAll
    static void closeContext() throws Exception {
        camelContext.close();
    }

    @Nested
    class KeyStores {

        @Test
        void pkcs12IsLoadedFromAClasspathLocation() {
            List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, PKCS12_LOCATION,
                    RichNotificationVector.password(), null);

            assertThat(keys).singleElement().satisfies(key -> {
                assertThat(key.getCertificateId()).isEqualTo(ALIAS);
                assertThat(key.getThumbprint()).isEqualTo(THUMBPRINT);
            });
        }

        @Test
        void pkcs12IsLoadedFromAFileLocation() {
            Path store = TestKeys.writePkcs12(directory.resolve("graph.p12"), "alpha", STORE_PASSWORD, alpha);

            List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store,
                    STORE_PASSWORD, "graph-cert");

            assertThat(keys).singleElement().satisfies(key -> assertIs(key, "graph-cert", alpha));
        }

        @Test
        void pkcs12IsLoadedFromAPlainPath() {
            Path store = TestKeys.writePkcs12(directory.resolve("graph.pfx"), "alpha", STORE_PASSWORD, alpha);

            List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, store.toString(),
                    STORE_PASSWORD, null);

            assertThat(keys).singleElement().satisfies(key -> assertIs(key, "alpha", alpha));
        }

        @Test
        void jksIsLoadedByExtension() {
            Path store = TestKeys.writeKeyStore(directory.resolve("graph.jks"), "JKS", STORE_PASSWORD,
                    Map.of("alpha", alpha));

            List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store,
                    STORE_PASSWORD, "graph-cert=alpha");

            assertThat(keys).singleElement().satisfies(key -> assertIs(key, "graph-cert", alpha));
        }

        @Test
        void jksAndPkcs12AreDetectedWithoutExtension() throws Exception {
            Path jks = TestKeys.writeKeyStore(directory.resolve("jks.store"), "JKS", STORE_PASSWORD,
                    Map.of("alpha", alpha));
            Path pkcs12 = TestKeys.writeKeyStore(directory.resolve("pkcs12.store"), "PKCS12", STORE_PASSWORD,
                    Map.of("beta", beta));
            assertThat(Files.readAllBytes(jks)).startsWith((byte) 0xFE, (byte) 0xED, (byte) 0xFE, (byte) 0xED);

            assertThat(DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + jks, STORE_PASSWORD, null))
                    .singleElement().satisfies(key -> assertIs(key, "alpha", alpha));
            assertThat(DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + pkcs12, STORE_PASSWORD, null))
                    .singleElement().satisfies(key -> assertIs(key, "beta", beta));
        }

        @Test
        void idToAliasMappingSetsIdsAndRingOrder() {
            Path store = twoEntryStore();

            List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store,
                    STORE_PASSWORD, " renewed = beta , expiring=ALPHA ");

            assertThat(keys).hasSize(2);
            assertIs(keys.get(0), "renewed", beta);
            assertIs(keys.get(1), "expiring", alpha);
            assertThat(DecryptionKeyRing.of(keys).current()).isSameAs(keys.get(0));
        }

        @Test
        void withoutCertificateIdEveryEntryIsLoadedUnderItsAliasInAliasOrder() {
            Path store = twoEntryStore();

            List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store,
                    STORE_PASSWORD, "  ");

            assertThat(keys).extracting(DecryptionKey::getCertificateId).containsExactly("alpha", "beta");
            assertIs(keys.get(1), "beta", beta);
        }

        @Test
        void bareIdNamesTheOnlyEntry() {
            List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, PKCS12_LOCATION,
                    RichNotificationVector.password(), CERTIFICATE_ID);

            assertThat(keys).singleElement().satisfies(key -> {
                assertThat(key.getCertificateId()).isEqualTo(CERTIFICATE_ID);
                assertThat(key.getThumbprint()).isEqualTo(THUMBPRINT);
            });
        }

        @Test
        void bareIdWithTwoEntriesIsRejected() {
            Path store = twoEntryStore();

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store, STORE_PASSWORD,
                    "graph-cert"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("certificateId 'graph-cert'")
                    .hasMessageContaining("[alpha, beta]")
                    .hasMessageContaining("id=alias")
                    .hasMessageNotContaining(STORE_PASSWORD);
        }

        @Test
        void unknownAliasIsRejected() {
            Path store = twoEntryStore();

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store, STORE_PASSWORD,
                    "graph-cert=gamma"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("certificateId 'graph-cert=gamma'")
                    .hasMessageContaining("'gamma'")
                    .hasMessageContaining("[alpha, beta]")
                    .hasMessageNotContaining(STORE_PASSWORD);
        }

        @Test
        void emptyMappingElementIsRejected() {
            Path store = twoEntryStore();

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store, STORE_PASSWORD,
                    "a=alpha,,b=beta"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("certificateId")
                    .hasMessageContaining("id=alias");
        }

        @Test
        void wrongPkcs12PasswordIsRejected() {
            Path store = TestKeys.writePkcs12(directory.resolve("graph.p12"), "alpha", STORE_PASSWORD, alpha);
            String wrong = "wrong-Pa55word-" + STORE_PASSWORD;

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store, wrong, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyStorePassword")
                    .hasMessageContaining(store.toString())
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining(STORE_PASSWORD);
        }

        @Test
        void wrongJksPasswordIsRejected() {
            Path store = TestKeys.writeKeyStore(directory.resolve("graph.jks"), "JKS", STORE_PASSWORD,
                    Map.of("alpha", alpha));
            String wrong = "wrong-Pa55word";

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store, wrong, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyStorePassword")
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining(STORE_PASSWORD);
        }

        @Test
        void keyProtectedByAnotherPasswordIsRejected() throws Exception {
            KeyStore jks = KeyStore.getInstance("JKS");
            jks.load(null, null);
            jks.setKeyEntry("alpha", alpha.privateKey(), KEY_PASSWORD.toCharArray(),
                    new Certificate[] { alpha.certificate() });
            Path store = directory.resolve("split.jks");
            try (var out = Files.newOutputStream(store)) {
                jks.store(out, STORE_PASSWORD.toCharArray());
            }

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store, STORE_PASSWORD,
                    null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyStorePassword")
                    .hasMessageContaining("'alpha'")
                    .hasMessageNotContaining(STORE_PASSWORD)
                    .hasMessageNotContaining(KEY_PASSWORD);
        }

        @Test
        void storeWithoutPrivateKeyIsRejected() throws Exception {
            KeyStore trustOnly = KeyStore.getInstance("PKCS12");
            trustOnly.load(null, null);
            trustOnly.setCertificateEntry("alpha", alpha.certificate());
            Path store = directory.resolve("trust.p12");
            try (var out = Files.newOutputStream(store)) {
                trustOnly.store(out, STORE_PASSWORD.toCharArray());
            }

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + store, STORE_PASSWORD,
                    null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyStore")
                    .hasMessageContaining("no private-key entry");
        }

        @Test
        void missingStoreIsRejected() {
            String location = "file:" + directory.resolve("absent.p12");

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, location, STORE_PASSWORD, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyStore '" + location + "' was not found");
        }

        @Test
        void fileThatIsNoKeyStoreIsRejected() throws Exception {
            Path notAStore = Files.writeString(directory.resolve("notes.txt"), "just text");

            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, "file:" + notAStore,
                    STORE_PASSWORD, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyStore")
                    .hasMessageContaining("PKCS12 or JKS")
                    .hasMessageNotContaining(STORE_PASSWORD);
        }

        @Test
        void unsetStoreIsRejected() {
            assertThatThrownBy(() -> DecryptionKeyLoader.fromKeyStore(camelContext, " ", STORE_PASSWORD, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("keyStore is not set");
        }

        private Path twoEntryStore() {
            Map<String, CertifiedKey> entries = new LinkedHashMap<>();
            entries.put("beta", beta);
            entries.put("alpha", alpha);
            return TestKeys.writeKeyStore(directory.resolve("two.p12"), "PKCS12", STORE_PASSWORD, entries);
        }
    }

    @Nested
    class PemPairs {

        @Test
        void pemPairIsLoadedFromClasspathLocations() {
            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, CERTIFICATE_ID, CERTIFICATE_LOCATION,
                    PRIVATE_KEY_LOCATION, null);

            assertThat(key.getCertificateId()).isEqualTo(CERTIFICATE_ID);
            assertThat(key.getThumbprint()).isEqualTo(THUMBPRINT);
        }

        @Test
        void pemPairIsLoadedFromFileLocations() throws Exception {
            Path certificate = Files.writeString(directory.resolve("cert.pem"), alpha.certificatePem());
            Path privateKey = Files.writeString(directory.resolve("key.pem"), alpha.privateKeyPem());

            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, "graph-cert", "file:" + certificate,
                    privateKey.toString(), null);

            assertIs(key, "graph-cert", alpha);
        }

        @Test
        void inlinePemTextIsAccepted() {
            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    alpha.privateKeyPem(), null);

            assertIs(key, "graph-cert", alpha);
        }

        @Test
        void pkcs1RsaPrivateKeyIsAccepted() {
            String pkcs1 = alpha.rsaPrivateKeyPem();
            assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");

            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(), pkcs1,
                    null);

            assertIs(key, "graph-cert", alpha);
        }

        @Test
        void encryptedPkcs8IsDecryptedWithPrivateKeyPassword() {
            String encrypted = alpha.encryptedPrivateKeyPem(KEY_PASSWORD);
            assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    encrypted, KEY_PASSWORD);

            assertIs(key, "graph-cert", alpha);
        }

        @Test
        void encryptedPkcs8WithHmacSha1AndAes128IsDecrypted() {
            String encrypted = alpha.encryptedPrivateKeyPem(KEY_PASSWORD, "HmacSHA1", 128);

            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    encrypted, KEY_PASSWORD);

            assertIs(key, "graph-cert", alpha);
        }

        @Test
        void keyEncryptedByOpenSslDecryptsMicrosoftsSample() throws Exception {
            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, CERTIFICATE_ID, CERTIFICATE_LOCATION,
                    OpenSslEncryptedVectorKey.PEM, OpenSslEncryptedVectorKey.PASSWORD);

            byte[] plaintext = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)))
                    .decrypt(RichNotificationVector.encryptedContent());

            assertThat(key.getThumbprint()).isEqualTo(THUMBPRINT);
            assertThat(plaintext).asString().contains("\"content\":\"Hello World\"");
        }

        @Test
        void legacyOpenSslEncryptedRsaKeyIsRejectedWithConversionAdvice() {
            String legacy = "-----BEGIN RSA PRIVATE KEY-----\n"
                            + "Proc-Type: 4,ENCRYPTED\n"
                            + "DEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                            + Base64.getEncoder().encodeToString(new byte[48]) + "\n"
                            + "-----END RSA PRIVATE KEY-----\n";

            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    legacy, KEY_PASSWORD))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("privateKey (inline PEM)")
                    .hasMessageContaining("openssl pkcs8 -topk8")
                    .hasMessageNotContaining(KEY_PASSWORD);
        }

        @Test
        void encryptedPkcs8WithoutPasswordIsRejected() {
            String encrypted = alpha.encryptedPrivateKeyPem(KEY_PASSWORD);

            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    encrypted, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("privateKey (inline PEM) is encrypted")
                    .hasMessageContaining("privateKeyPassword");
        }

        @Test
        void encryptedPkcs8WithWrongPasswordIsRejected() {
            String encrypted = alpha.encryptedPrivateKeyPem(KEY_PASSWORD);
            String wrong = "Wr0ng-" + KEY_PASSWORD;

            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    encrypted, wrong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("privateKeyPassword does not decrypt privateKey")
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining(KEY_PASSWORD)
                    .hasMessageNotContaining("PRIVATE KEY-----");
        }

        @Test
        void privateKeyNotMatchingTheCertificateIsRejected() {
            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    beta.privateKeyPem(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("privateKey does not match certificate")
                    .hasMessageContaining("'graph-cert'")
                    .hasMessageNotContaining(beta.privateKeyPem().substring(40, 100));
        }

        @Test
        void privateKeyWithoutKeyBlockIsRejected() {
            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    alpha.certificatePem(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("privateKey (inline PEM) holds no PEM private key");
        }

        @Test
        void missingPemFileIsRejected() {
            String location = "file:" + directory.resolve("absent.pem");

            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", location,
                    alpha.privateKeyPem(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("certificate '" + location + "' was not found");
        }

        @Test
        void pastedKeyWithoutArmourIsNotEchoed() {
            String body = alpha.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replace("\n", "");

            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    body, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("privateKey")
                    .hasMessageNotContaining(body.substring(0, 64));
        }

        @Test
        void certificateThatIsNotACertificateIsRejected() throws Exception {
            Path garbage = Files.write(directory.resolve("cert.pem"), "nonsense".getBytes(StandardCharsets.US_ASCII));

            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, "graph-cert", garbage.toString(),
                    alpha.privateKeyPem(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("certificate '" + garbage + "' is not a PEM or DER X.509 certificate");
        }

        @Test
        void unsetCertificateIdIsRejected() {
            assertThatThrownBy(() -> DecryptionKeyLoader.fromPem(camelContext, null, alpha.certificatePem(),
                    alpha.privateKeyPem(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("certificateId is not set");
        }

        @Test
        void loadedPemKeyDecryptsWhatWasEncryptedForItsCertificate() throws Exception {
            DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, "graph-cert", alpha.certificatePem(),
                    alpha.encryptedPrivateKeyPem(KEY_PASSWORD), KEY_PASSWORD);
            EncryptedContent content = TestEncryption.encrypt("{\"from\":\"pem\"}".getBytes(StandardCharsets.UTF_8),
                    alpha.certificate(), "graph-cert");

            assertThat(new NotificationDecryptor(DecryptionKeyRing.of(List.of(key))).decrypt(content))
                    .asString().isEqualTo("{\"from\":\"pem\"}");
        }
    }

    private static void assertIs(DecryptionKey key, String certificateId, CertifiedKey expected) {
        assertThat(key.getCertificateId()).isEqualTo(certificateId);
        assertThat(key.getCertificate()).isEqualTo(expected.certificate());
        assertThat(key.getPrivateKey().getEncoded()).isEqualTo(expected.privateKey().getEncoded());
    }
}
