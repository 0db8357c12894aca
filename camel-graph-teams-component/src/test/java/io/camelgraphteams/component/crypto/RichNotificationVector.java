package io.camelgraphteams.component.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Microsoft's rich-notification test vector (see vectors/graph-core-richnotif/SOURCE.txt). */
final class RichNotificationVector {

    static final String DIRECTORY = "vectors/graph-core-richnotif/";
    static final String CERTIFICATE_ID = "custom-id-for-testing";
    static final String THUMBPRINT = "4B95353E086AD37196606ACF834A14532F03E6DB";
    static final String ALIAS = "richnotificationsapp.com";
    static final String PKCS12_LOCATION = "classpath:" + DIRECTORY + "certificate.pfx";
    static final String CERTIFICATE_LOCATION = "classpath:" + DIRECTORY + "certificate.pem";
    static final String PRIVATE_KEY_LOCATION = "classpath:" + DIRECTORY + "private-key.pkcs8.pem";

    private RichNotificationVector() {
    }

    static String password() {
        return text("pfx-password.txt");
    }

    static EncryptedContent encryptedContent() {
        return new EncryptedContent(text("data.b64"), text("dataKey.b64"), text("dataSignature.b64"),
                CERTIFICATE_ID, THUMBPRINT);
    }

    /** A vector file's content without surrounding whitespace (the files end with a newline). */
    static String text(String file) {
        try (InputStream in = RichNotificationVector.class.getClassLoader().getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + DIRECTORY + file + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
