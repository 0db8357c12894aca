package io.camelgraphteams.emulator.identity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Reads an X.509 certificate given as PEM or as Base64 DER (Graph's encryptionCertificate form). */
public final class CertificateParser {

    private CertificateParser() {
    }

    /** @throws IllegalArgumentException when the text is not a certificate */
    public static X509Certificate parse(String pemOrBase64) {
        if (pemOrBase64 == null || pemOrBase64.isBlank()) {
            throw new IllegalArgumentException("no certificate given");
        }
        String text = pemOrBase64.trim();
        byte[] der;
        try {
            if (text.startsWith("-----BEGIN")) {
                String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                der = Base64.getDecoder().decode(body);
            } else {
                der = Base64.getMimeDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }
}
