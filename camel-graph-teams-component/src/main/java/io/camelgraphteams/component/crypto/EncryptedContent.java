package io.camelgraphteams.component.crypto;

/**
 * One item's {@code encryptedContent} as Microsoft Graph sends it in a rich change notification.
 * <p>
 * Fields are kept exactly as received (base64 text, possibly {@code null}); {@link NotificationDecryptor} validates them.
 *
 * @param data                            base64 AES-256-CBC ciphertext of the resource JSON
 * @param dataKey                         base64 RSA-OAEP(SHA-1) encryption of the 32-byte symmetric key
 * @param dataSignature                   base64 HMAC-SHA256 of the decoded {@code data} bytes, keyed with the symmetric key
 * @param encryptionCertificateId         the id the subscription gave Graph for the certificate
 * @param encryptionCertificateThumbprint SHA-1 thumbprint of that certificate, hex
 */
public record EncryptedContent(String data, String dataKey, String dataSignature,
                               String encryptionCertificateId, String encryptionCertificateThumbprint) {

    /** Identifies the certificate and sizes only: the base64 blobs are long and useless in a log line. */
    @Override
    public String toString() {
        return "EncryptedContent[encryptionCertificateId=" + encryptionCertificateId
               + ", encryptionCertificateThumbprint=" + encryptionCertificateThumbprint
               + ", dataLength=" + (data == null ? "missing" : data.length())
               + ", dataKeyLength=" + (dataKey == null ? "missing" : dataKey.length())
               + ", dataSignatureLength=" + (dataSignature == null ? "missing" : dataSignature.length()) + "]";
    }
}
