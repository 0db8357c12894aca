package io.camelgraphteams.component.crypto;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

import io.camelgraphteams.component.support.Digests;

/**
 * An RSA private key together with its certificate and the {@code encryptionCertificateId} Graph knows it by.
 * <p>
 * Immutable and safe to share between threads. {@link #toString()} shows the id and thumbprint only.
 */
public final class DecryptionKey {

    private final String certificateId;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String thumbprint;
    private final String certificateBase64;

    /**
     * @param certificateId the {@code encryptionCertificateId} subscriptions send to Graph; must not be blank
     * @param privateKey    RSA private key that decrypts Graph's {@code dataKey}
     * @param certificate   the certificate holding the matching RSA public key
     * @throws IllegalArgumentException when a value is missing, not RSA, or the key does not belong to the certificate
     */
    public DecryptionKey(String certificateId, PrivateKey privateKey, X509Certificate certificate) {
        if (certificateId == null || certificateId.isBlank()) {
            throw new IllegalArgumentException("certificateId must not be blank: give the id that subscriptions send to"
                                               + " Graph as encryptionCertificateId");
        }
        Objects.requireNonNull(privateKey, "privateKey must not be null (certificateId '" + certificateId + "')");
        Objects.requireNonNull(certificate, "certificate must not be null (certificateId '" + certificateId + "')");
        if (!"RSA".equalsIgnoreCase(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("The private key for certificateId '" + certificateId + "' is "
                                               + privateKey.getAlgorithm() + "; Graph encrypts dataKey with RSA, so"
                                               + " supply an RSA key and certificate");
        }
        PublicKey publicKey = certificate.getPublicKey();
        if (!"RSA".equalsIgnoreCase(publicKey.getAlgorithm())) {
            throw new IllegalArgumentException("The certificate for certificateId '" + certificateId + "' holds a "
                                               + publicKey.getAlgorithm() + " key; Graph needs an RSA certificate");
        }
        if (!belongsTo(privateKey, certificate)) {
            throw new IllegalArgumentException("The private key for certificateId '" + certificateId + "' does not"
                                               + " belong to its certificate (RSA modulus differs); supply the key"
                                               + " pair the certificate was issued for");
        }
        this.certificateId = certificateId;
        this.privateKey = privateKey;
        this.certificate = certificate;
        byte[] der = encoded(certificate, certificateId);
        this.thumbprint = sha1Hex(der);
        this.certificateBase64 = Base64.getEncoder().encodeToString(der);
    }

    /**
     * Whether the RSA private key pairs with the certificate's public key. Keys that hide their modulus (hardware
     * tokens) cannot be checked here and are accepted.
     */
    static boolean belongsTo(PrivateKey privateKey, X509Certificate certificate) {
        if (privateKey instanceof RSAKey rsaPrivate && certificate.getPublicKey() instanceof RSAKey rsaPublic) {
            return rsaPrivate.getModulus() == null || rsaPrivate.getModulus().equals(rsaPublic.getModulus());
        }
        return true;
    }

    /** The {@code encryptionCertificateId} Graph echoes back in each item's encryptedContent. */
    public String getCertificateId() {
        return certificateId;
    }

    public PrivateKey getPrivateKey() {
        return privateKey;
    }

    public X509Certificate getCertificate() {
        return certificate;
    }

    /** SHA-1 of the certificate's DER encoding as uppercase hex, the form of Graph's encryptionCertificateThumbprint. */
    public String getThumbprint() {
        return thumbprint;
    }

    /** Base64 of the certificate's DER encoding, the value a subscription's {@code encryptionCertificate} needs. */
    public String getCertificateBase64() {
        return certificateBase64;
    }

    @Override
    public String toString() {
        return "DecryptionKey[certificateId=" + certificateId + ", thumbprint=" + thumbprint + "]";
    }

    private static byte[] encoded(X509Certificate certificate, String certificateId) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The certificate for certificateId '" + certificateId + "' cannot be"
                                               + " DER-encoded; supply a valid X.509 certificate", e);
        }
    }

    private static String sha1Hex(byte[] der) {
        return HexFormat.of().withUpperCase().formatHex(Digests.sha1(der));
    }
}
