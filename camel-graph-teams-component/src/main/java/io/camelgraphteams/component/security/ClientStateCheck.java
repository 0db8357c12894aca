package io.camelgraphteams.component.security;

import java.security.MessageDigest;

import io.camelgraphteams.component.support.Digests;

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
        return Digests.sha256(value);
    }

    @Override
    public String toString() {
        return isConfigured() ? "ClientStateCheck[configured]" : "ClientStateCheck[off]";
    }
}
