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

    private Digests() {
    }

    public static byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
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
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            // every Java SE platform must provide both
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }
}
