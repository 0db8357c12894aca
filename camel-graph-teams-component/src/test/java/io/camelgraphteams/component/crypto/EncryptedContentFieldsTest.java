package io.camelgraphteams.component.crypto;

import java.util.List;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A missing or non-base64 field is malformed content, reported by field name without its value. */
class EncryptedContentFieldsTest {

    private final DecryptionKey key = TestKeys.cached("fields").decryptionKey("fields-cert");
    private final NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
    private final EncryptedContent intact = TestEncryption.encrypt("{\"id\":\"fields\"}", key);

    @ParameterizedTest
    @ValueSource(strings = { "data", "dataKey", "dataSignature" })
    void missingFieldIsMalformed(String field) {
        EncryptedContent missing = replace(intact, field, null);

        assertThatThrownBy(() -> decryptor.decrypt(missing))
                .isInstanceOf(MalformedContentException.class)
                .hasMessage("encryptedContent." + field + " is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = { "data", "dataKey", "dataSignature" })
    void fieldThatIsNotBase64IsMalformed(String field) {
        EncryptedContent garbled = replace(intact, field, "not*base64!");

        assertThatThrownBy(() -> decryptor.decrypt(garbled))
                .isInstanceOf(MalformedContentException.class)
                .hasMessage("encryptedContent." + field + " is not valid base64");
    }

    @Test
    void toStringNamesTheCertificateButNotTheBlobs() {
        assertThat(intact.toString())
                .contains(key.getCertificateId(), key.getThumbprint())
                .doesNotContain(intact.data(), intact.dataKey(), intact.dataSignature());
    }

    private static EncryptedContent replace(EncryptedContent content, String field, String value) {
        return switch (field) {
            case "data" -> Tampering.withData(content, value);
            case "dataKey" -> Tampering.withDataKey(content, value);
            case "dataSignature" -> Tampering.withDataSignature(content, value);
            default -> throw new IllegalArgumentException(field);
        };
    }
}
