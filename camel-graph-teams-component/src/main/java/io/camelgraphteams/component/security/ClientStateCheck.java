package io.camelgraphteams.component.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares each notification's clientState with the subscription's secret in constant time.
 */
public final class ClientStateCheck {

    private final byte[] expectedDigest;

    /** @param expected the configured clientState; null or empty accepts every item (no clientState configured) */
    public ClientStateCheck(String expected) {
        this.expectedDigest = expected == null || expected.isEmpty() ? null : digest(expected);
    }

    public boolean isConfigured() {
        return expectedDigest != null;
    }

    public boolean matches(String actual) {
        if (expectedDigest == null) {
            return true;
        }
        if (actual == null) {
            return false;
        }
        // comparing fixed-length digests keeps the time independent of both the content and the length of the secret
        return MessageDigest.isEqual(expectedDigest, digest(actual));
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return isConfigured() ? "ClientStateCheck[configured]" : "ClientStateCheck[off]";
    }
}
