package io.camelgraphteams.component.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys a consumer can decrypt with. The first key is the current one (its certificate is pushed to Graph for new
 * subscriptions); the others stay so notifications for not-yet-renewed subscriptions still decrypt during rotation.
 * <p>
 * Immutable and safe to share between threads.
 */
public final class DecryptionKeyRing {

    private static final DecryptionKeyRing EMPTY = new DecryptionKeyRing(List.of());

    private final List<DecryptionKey> keys;
    // keys per certificateId, in ring order; a rotation may keep one id for several certificates
    private final Map<String, List<DecryptionKey>> keysById;

    private DecryptionKeyRing(List<DecryptionKey> keys) {
        this.keys = keys;
        Map<String, List<DecryptionKey>> byId = new LinkedHashMap<>();
        for (DecryptionKey key : keys) {
            byId.computeIfAbsent(key.getCertificateId(), id -> new ArrayList<>()).add(key);
        }
        byId.replaceAll((id, sameId) -> List.copyOf(sameId));
        this.keysById = Map.copyOf(byId);
    }

    /**
     * A ring holding {@code keys} in iteration order; the first becomes {@link #current()}.
     *
     * @throws IllegalArgumentException when two keys have the same certificateId and the same certificate thumbprint
     */
    public static DecryptionKeyRing of(Collection<DecryptionKey> keys) {
        Objects.requireNonNull(keys, "keys");
        List<DecryptionKey> ordered = List.copyOf(keys);
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < i; j++) {
                DecryptionKey earlier = ordered.get(j);
                DecryptionKey later = ordered.get(i);
                if (earlier.getCertificateId().equals(later.getCertificateId())
                    && earlier.getThumbprint().equals(later.getThumbprint())) {
                    throw new IllegalArgumentException("The certificate with thumbprint " + later.getThumbprint()
                                                       + " is configured twice under certificateId '"
                                                       + later.getCertificateId() + "'; list each key once");
                }
            }
        }
        return ordered.isEmpty() ? EMPTY : new DecryptionKeyRing(ordered);
    }

    /** A ring without keys, for consumers whose subscriptions do not include resource data. */
    public static DecryptionKeyRing empty() {
        return EMPTY;
    }

    /**
     * The key for an item's {@code encryptionCertificateId}. With a thumbprint, only the key whose certificate has
     * that thumbprint matches (compared case-insensitively, ignoring ':' and whitespace); without one (null or blank),
     * the first key in ring order with that id matches.
     */
    public Optional<DecryptionKey> find(String certificateId, String thumbprint) {
        if (certificateId == null) {
            return Optional.empty();
        }
        List<DecryptionKey> candidates = keysById.get(certificateId);
        if (candidates == null) {
            return Optional.empty();
        }
        if (thumbprint == null || thumbprint.isBlank()) {
            return Optional.of(candidates.get(0));
        }
        for (DecryptionKey candidate : candidates) {
            if (sameThumbprint(candidate.getThumbprint(), thumbprint)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The key whose certificate new subscriptions should carry.
     *
     * @throws NoSuchElementException when the ring is empty
     */
    public DecryptionKey current() {
        if (keys.isEmpty()) {
            throw new NoSuchElementException("No decryption key is configured; set keyStore (or certificate and"
                                             + " privateKey) to receive notifications with resource data");
        }
        return keys.get(0);
    }

    /** All keys, current first. */
    public List<DecryptionKey> keys() {
        return keys;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The certificate ids in ring order, for diagnostics. */
    List<String> certificateIds() {
        return keys.stream().map(DecryptionKey::getCertificateId).distinct().toList();
    }

    @Override
    public String toString() {
        return "DecryptionKeyRing" + keys;
    }

    /**
     * Compares an uppercase hex thumbprint with one as a user or Graph wrote it, without allocating: this runs for
     * every notification.
     */
    static boolean sameThumbprint(String normalized, String given) {
        int n = 0;
        for (int g = 0; g < given.length(); g++) {
            char c = given.charAt(g);
            if (c == ':' || Character.isWhitespace(c)) {
                continue;
            }
            if (n == normalized.length() || Character.toUpperCase(c) != normalized.charAt(n)) {
                return false;
            }
            n++;
        }
        return n == normalized.length();
    }
}
