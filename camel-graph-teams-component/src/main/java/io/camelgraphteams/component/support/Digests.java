package io.camelgraphteams.component.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digests this component takes: SHA-256 (constant-time comparisons, cache keys, short stable names) and SHA-1
 * (certificate thumbprints, which Graph and the identity platform name by SHA-1).
 */
public final class Digests {

    // cloned, not looked up: MessageDigest.getInstance searches the providers on every call, which for the short
    // inputs on the receive path (a dedup key per notification) costs more than the digest itself
    private static final MessageDigest SHA_256 = instance("SHA-256");

    private Digests() {
    }

    public static byte[] sha256(byte[] data) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = instance("SHA-256");
        }
        return digest.digest(data);
    }

    public static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of the text's UTF-8 bytes as lower-case hex, the first {@code bytes} bytes only (1 to 32). */
    public static String sha256Hex(String text, int bytes) {
        return HexFormat.of().formatHex(sha256(text), 0, bytes);
    }

    public static byte[] sha1(byte[] data) {
        return digest("SHA-1", data);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        return instance(algorithm).digest(data);
    }

    private static MessageDigest instance(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // every Java SE platform must provide both
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }
}
