package io.camelgraphteams.component.crypto;

import java.util.Base64;

/** Small edits to base64 fields, the way an attacker or a broken proxy would make them. */
final class Tampering {

    private Tampering() {
    }

    /** The same bytes with the last one's lowest bit flipped, re-encoded. */
    static String flipLastByte(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[bytes.length - 1] ^= 1;
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The same bytes with the first one's lowest bit flipped, re-encoded. */
    static String flipFirstByte(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[0] ^= 1;
        return Base64.getEncoder().encodeToString(bytes);
    }

    static EncryptedContent withData(EncryptedContent content, String data) {
        return new EncryptedContent(data, content.dataKey(), content.dataSignature(),
                content.encryptionCertificateId(), content.encryptionCertificateThumbprint());
    }

    static EncryptedContent withDataKey(EncryptedContent content, String dataKey) {
        return new EncryptedContent(content.data(), dataKey, content.dataSignature(),
                content.encryptionCertificateId(), content.encryptionCertificateThumbprint());
    }

    static EncryptedContent withDataSignature(EncryptedContent content, String dataSignature) {
        return new EncryptedContent(content.data(), content.dataKey(), dataSignature,
                content.encryptionCertificateId(), content.encryptionCertificateThumbprint());
    }

    static EncryptedContent withCertificate(EncryptedContent content, String certificateId, String thumbprint) {
        return new EncryptedContent(content.data(), content.dataKey(), content.dataSignature(), certificateId,
                thumbprint);
    }
}
