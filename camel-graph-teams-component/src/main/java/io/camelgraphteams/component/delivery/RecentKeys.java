package io.camelgraphteams.component.delivery;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.camelgraphteams.component.support.Digests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedup keys delivered lately, each kept in memory until the validation token that vouched for its batch has
 * expired (plus the clock skew), whatever the idempotent repository keeps: a captured batch replayed within its
 * token's life is a duplicate, and after it a 401. A key is held as 128 bits of its SHA-256 (about {@value #BYTES_PER_KEY} bytes with the
 * map's own cost). Keys are kept in the order they were delivered, which is about the order their windows end; past
 * {@code capacity} the oldest go first, and a WARN says replays of them are left to the repository.
 */
public final class RecentKeys {

    /** What one key costs in memory, about: its digest, the map entry and the instant. */
    public static final int BYTES_PER_KEY = 120;
    private static final Logger LOG = LoggerFactory.getLogger(RecentKeys.class);

    /** A key as the window keeps it: digested once per change, however often it is looked up and added. */
    public record Digest(long high, long low) {
    }

    private final Map<Digest, Instant> keys = new LinkedHashMap<>();
    private final int capacity;
    private final Clock clock;
    private boolean warned;

    public RecentKeys(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Whether the key was delivered and its replay window has not ended. */
    public boolean contains(String key) {
        return contains(digest(key));
    }

    /** As {@link #contains(String)}, for a key digested already ({@link #digest(String)}). */
    public boolean contains(Digest digest) {
        Instant until;
        synchronized (this) {
            until = keys.get(digest);
        }
        return until != null && until.isAfter(clock.instant());
    }

    /** Remembers a delivered key until {@code until} (a later {@code until} of the same key wins). */
    public void add(String key, Instant until) {
        add(digest(key), until);
    }

    /** As {@link #add(String, Instant)}, for a key digested already. */
    public void add(Digest digest, Instant until) {
        synchronized (this) {
            remember(digest, until);
        }
    }

    private void remember(Digest digest, Instant until) {
        Instant now = clock.instant();
        if (!until.isAfter(now)) {
            return;
        }
        keys.merge(digest, until, (a, b) -> a.isAfter(b) ? a : b);
        Iterator<Map.Entry<Digest, Instant>> oldest = keys.entrySet().iterator();
        // windows that ended go from the front; past the capacity the oldest go, ended or not
        while (oldest.hasNext()) {
            Map.Entry<Digest, Instant> entry = oldest.next();
            boolean ended = !entry.getValue().isAfter(now);
            if (!ended && keys.size() <= capacity) {
                break;
            }
            if (!ended && !warned) {
                warned = true;
                LOG.warn("More than {} changes were delivered within one validation token's life: the oldest dedup "
                         + "keys are forgotten before their token expires, so a replay of them is caught only by the "
                         + "idempotentRepository; give it a durable store whose retention covers the token's life",
                        capacity);
            }
            oldest.remove();
        }
    }

    public synchronized int size() {
        return keys.size();
    }

    /** Digested outside any lock: the workers contend for the map only. */
    public static Digest digest(String key) {
        ByteBuffer bytes = ByteBuffer.wrap(Digests.sha256(key));
        return new Digest(bytes.getLong(), bytes.getLong());
    }
}
