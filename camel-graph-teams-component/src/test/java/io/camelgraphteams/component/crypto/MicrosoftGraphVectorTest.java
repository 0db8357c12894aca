package io.camelgraphteams.component.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.crypto.RichNotificationVector.ALIAS;
import static io.camelgraphteams.component.crypto.RichNotificationVector.CERTIFICATE_ID;
import static io.camelgraphteams.component.crypto.RichNotificationVector.CERTIFICATE_LOCATION;
import static io.camelgraphteams.component.crypto.RichNotificationVector.PKCS12_LOCATION;
import static io.camelgraphteams.component.crypto.RichNotificationVector.PRIVATE_KEY_LOCATION;
import static io.camelgraphteams.component.crypto.RichNotificationVector.THUMBPRINT;
import static org.assertj.core.api.Assertions.assertThat;

/** Microsoft's own encryptedContent sample decrypts to the chatMessage their SDK tests assert on. */
class MicrosoftGraphVectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CamelContext camelContext;

    @BeforeAll
    static void createContext() {
        camelContext = new DefaultCamelContext();
    }

    @AfterAll
    static void closeContext() throws Exception {
        camelContext.close();
    }

    @Test
    void microsoftsSampleDecryptsWithTheKeyFromThePkcs12Store() throws Exception {
        List<DecryptionKey> keys = DecryptionKeyLoader.fromKeyStore(camelContext, PKCS12_LOCATION,
                RichNotificationVector.password(), CERTIFICATE_ID + "=" + ALIAS);

        byte[] plaintext = new NotificationDecryptor(DecryptionKeyRing.of(keys))
                .decrypt(RichNotificationVector.encryptedContent());

        assertIsTheSampleChatMessage(plaintext);
    }

    @Test
    void microsoftsSampleDecryptsWithTheKeyFromThePemPair() throws Exception {
        DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, CERTIFICATE_ID, CERTIFICATE_LOCATION,
                PRIVATE_KEY_LOCATION, null);

        byte[] plaintext = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)))
                .decrypt(RichNotificationVector.encryptedContent());

        assertIsTheSampleChatMessage(plaintext);
    }

    @Test
    void thumbprintIsTheSha1OfTheCertificateAsGraphWritesIt() {
        DecryptionKey key = DecryptionKeyLoader.fromPem(camelContext, CERTIFICATE_ID, CERTIFICATE_LOCATION,
                PRIVATE_KEY_LOCATION, null);

        assertThat(key.getThumbprint()).isEqualTo(THUMBPRINT);
    }

    @Test
    void certificateBase64IsTheCertificatesDerEncoding() throws Exception {
        DecryptionKey key = DecryptionKeyLoader.fromKeyStore(camelContext, PKCS12_LOCATION,
                RichNotificationVector.password(), CERTIFICATE_ID).get(0);

        assertThat(Base64.getDecoder().decode(key.getCertificateBase64()))
                .isEqualTo(key.getCertificate().getEncoded());
        assertThat(key.getCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=" + ALIAS);
    }

    private static void assertIsTheSampleChatMessage(byte[] plaintext) throws Exception {
        String text = new String(plaintext, StandardCharsets.UTF_8);
        for (String line : RichNotificationVector.text("expected-assertions.txt").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(text).contains(line.trim());
            }
        }
        JsonNode message = JSON.readTree(plaintext);
        assertThat(message.path("etag").asText()).isEqualTo("1625126194597");
        assertThat(message.path("body").path("content").asText()).isEqualTo("Hello World");
        assertThat(message.path("body").path("contentType").asText()).isEqualTo("text");
    }
}
