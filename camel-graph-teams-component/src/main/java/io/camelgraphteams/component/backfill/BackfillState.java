package io.camelgraphteams.component.backfill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.camelgraphteams.component.delivery.Watermarks;
import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.support.Digests;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill's memory in a Camel {@link StateRepository}, every key prefixed with the endpoint's namespace:
 * <ul>
 * <li>{@code <ns>.since}: when the endpoint first started; nothing before it is ever listed.</li>
 * <li>{@code <ns>.conversations} and {@code <ns>.conversation.<n>}: the conversations known (a state repository cannot
 * list its keys), at most maxConversations: past that, the one idle longest gives its slot (and its watermark, pending
 * bound and paging position) to the newcomer.</li>
 * <li>{@code <ns>.watermark.<conversation>}: the latest lastModifiedDateTime delivered (live or backfilled).</li>
 * <li>{@code <ns>.pending.<conversation>}: the lower bound a triggered or failed listing still has to cover.</li>
 * <li>{@code <ns>.link.<conversation>}: where paging resumes (a nextLink) or the next delta round starts (a
 * deltaLink).</li>
 * </ul>
 * Watermarks advance in memory for every delivered message and reach the repository on {@link #flush()} (every second
 * and at stop: the overlap covers what a crash loses); everything else is written at once. Values only grow where it
 * matters: a watermark written by another instance sharing the repository is never lowered, and none is ever set
 * beyond now plus the clock skew (a message dated in the future would otherwise hide every later change from the
 * backfill).
 */
public final class BackfillState implements Watermarks {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillState.class);
    private static final String DELTA = "delta";
    private static final String NEXT = "next";

    /**
     * A stored paging position.
     *
     * @param delta      true: {@code url} is the deltaLink of the next round, which began at {@code roundStart}; false:
     *                   {@code url} is the page to resume at
     * @param bound      for a page to resume: the lower bound the interrupted round listed from
     * @param roundStart when the round began (items changed before it minus the overlap were seen then)
     */
    public record Link(boolean delta, Instant bound, Instant roundStart, String url) {

        public static Link next(Instant bound, Instant roundStart, String url) {
            return new Link(false, bound, roundStart, url);
        }

        public static Link deltaRound(Instant roundStart, String url) {
            return new Link(true, null, roundStart, url);
        }
    }

    /** The default bound of the conversation registry. */
    public static final int DEFAULT_MAX_CONVERSATIONS = 5000;
    private static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

    private final StateRepository<String, String> repository;
    private final String prefix;
    private final int maxConversations;
    private final Clock clock;
    private final Duration clockSkew;
    private final Map<String, Conversation> known = new ConcurrentHashMap<>();
    // slot n of the repository's list holds slots.get(n); null where the slot is unreadable or a repeat
    private final List<Conversation> slots = new ArrayList<>();
    // when each known conversation last had a change delivered (or became known): the idle one gives its slot
    private final Map<String, Instant> lastActive = new ConcurrentHashMap<>();
    // entries of the repository's conversation list read so far
    private int loaded;
    private final Map<String, Instant> watermarks = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private volatile Instant since;

    public BackfillState(StateRepository<String, String> repository, String namespace) {
        this(repository, namespace, DEFAULT_MAX_CONVERSATIONS, Clock.systemUTC(), DEFAULT_CLOCK_SKEW);
    }

    /**
     * @param maxConversations how many conversations are kept (backfillMaxConversations)
     * @param clockSkew        how far a message's time may be ahead of this clock; a watermark never goes further
     */
    public BackfillState(StateRepository<String, String> repository, String namespace, int maxConversations,
                         Clock clock, Duration clockSkew) {
        if (maxConversations < 1) {
            throw new IllegalArgumentException("maxConversations must be at least 1, was " + maxConversations);
        }
        this.repository = repository;
        this.prefix = namespace + ".";
        this.maxConversations = maxConversations;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /**
     * Reads what an earlier start left, or records this one as the first.
     *
     * @return true when the endpoint had state already: a restart
     */
    public synchronized boolean open(Instant now) {
        Instant stored = instant(get("since"));
        boolean restart = stored != null;
        since = restart ? stored : now;
        if (!restart) {
            set("since", now.toString());
        }
        loadConversations();
        return restart;
    }

    /** When the endpoint first started: the floor of every listing. */
    public Instant since() {
        return since;
    }

    // ---------------------------------------------------------------- conversations

    /** The conversations known, in the order they became known (this instance's and those others recorded). */
    public synchronized List<Conversation> conversations() {
        loadConversations();
        return slots.stream().filter(Objects::nonNull).toList();
    }

    /**
     * How many conversations are known; -1 while the state repository does not answer (a shared store that is down:
     * the health check and the console still report, the store probe says what is wrong).
     */
    public int conversationCount() {
        try {
            return conversations().size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Records a conversation (once); false when its id cannot be stored. */
    public boolean register(Conversation conversation) {
        if (known.containsKey(conversation.key())) {
            return true;
        }
        synchronized (this) {
            loadConversations();
            if (known.containsKey(conversation.key())) {
                return true;
            }
            String key = conversation.key();
            // Teams ids never hold control characters; refusing them keeps stored lines and logged ids clean
            if (key.chars().anyMatch(c -> LoggedValue.isUnsafe((char) c))) {
                LOG.warn("Not keeping a watermark for a conversation whose id contains control characters");
                return false;
            }
            if (loaded >= maxConversations) {
                replaceIdlest(conversation);
                return true;
            }
            int count = loaded;
            set("conversation." + count, key);
            set("conversations", Integer.toString(count + 1));
            loaded = count + 1;
            known.put(key, conversation);
            slots.add(conversation);
            lastActive.put(key, clock.instant());
            return true;
        }
    }

    /** The registry is full: the conversation idle longest leaves, and everything kept for it goes too. */
    private void replaceIdlest(Conversation newcomer) {
        int slot = 0;
        Instant idlest = null;
        for (int i = 0; i < slots.size(); i++) {
            Conversation held = slots.get(i);
            Instant active = held == null ? Instant.MIN : lastActive.getOrDefault(held.key(), Instant.MIN);
            if (idlest == null || active.isBefore(idlest)) {
                idlest = active;
                slot = i;
            }
        }
        Conversation leaving = slots.get(slot);
        if (leaving != null) {
            for (String kept : List.of("watermark.", "pending.", "link.")) {
                if (get(kept + fragment(leaving)) != null) {
                    set(kept + fragment(leaving), "");
                }
            }
            known.remove(leaving.key());
            lastActive.remove(leaving.key());
            watermarks.remove(leaving.key());
            dirty.remove(leaving.key());
            LOG.info("The backfill keeps at most {} conversations (backfillMaxConversations): {} was idle longest and "
                     + "is no longer backfilled", maxConversations, LoggedValue.of(leaving.key()));
        }
        set("conversation." + slot, newcomer.key());
        slots.set(slot, newcomer);
        known.put(newcomer.key(), newcomer);
        lastActive.put(newcomer.key(), clock.instant());
    }

    /** Picks up conversations appended by other instances sharing the repository. */
    private void loadConversations() {
        int count = Math.min(parseCount(get("conversations")), maxConversations);
        for (; loaded < count; loaded++) {
            Conversation c = Conversation.parse(get("conversation." + loaded)).orElse(null);
            if (c != null && known.putIfAbsent(c.key(), c) == null) {
                slots.add(c);
                Instant watermark = instant(get("watermark." + fragment(c)));
                lastActive.put(c.key(), watermark != null ? watermark : clock.instant());
            } else {
                slots.add(null);
            }
        }
    }

    // ---------------------------------------------------------------- watermarks

    /** The latest change delivered in the conversation, or null when none was. */
    public Instant watermark(Conversation conversation) {
        Instant stored = instant(get("watermark." + fragment(conversation)));
        Instant inMemory = watermarks.get(conversation.key());
        Instant watermark = later(stored, inMemory);
        // one stored in the future (by an older version, or another instance's clock) would blind the listing
        Instant latest = clock.instant().plus(clockSkew);
        return watermark != null && watermark.isAfter(latest) ? latest : watermark;
    }

    /** A change was delivered: the conversation's watermark moves up to it (in memory until the next flush). */
    @Override
    public void advance(Conversation conversation, Instant changedAt) {
        if (changedAt == null || !register(conversation)) {
            return;
        }
        Instant now = clock.instant();
        Instant latest = now.plus(clockSkew);
        if (changedAt.isAfter(latest)) {
            LOG.warn("A message of {} is dated {}, beyond this clock plus {}: its watermark stops at {}",
                    LoggedValue.of(conversation.key()), changedAt, clockSkew, latest);
            changedAt = latest;
        }
        lastActive.put(conversation.key(), now);
        Instant before = watermarks.get(conversation.key());
        if (before == null || changedAt.isAfter(before)) {
            watermarks.merge(conversation.key(), changedAt, BackfillState::later);
            dirty.add(conversation.key());
        }
        if (!known.containsKey(conversation.key())) {
            // made room for by another registration meanwhile: keep nothing for it
            watermarks.remove(conversation.key());
            lastActive.remove(conversation.key());
        }
    }

    /**
     * Where a listing of the conversation starts when nothing is pending: {@code overlap} before its watermark, never
     * before the endpoint's first start.
     */
    public Instant lowerBound(Conversation conversation, Duration overlap) {
        Instant watermark = watermark(conversation);
        Instant bound = watermark != null ? watermark.minus(overlap) : since;
        return bound.isBefore(since) ? since : bound;
    }

    /** Writes the watermarks that moved; never lowers one another instance wrote. */
    public void flush() {
        for (String key : List.copyOf(dirty)) {
            dirty.remove(key);
            Conversation conversation = known.get(key);
            Instant mine = watermarks.get(key);
            if (conversation == null || mine == null) {
                continue;
            }
            String stateKey = "watermark." + fragment(conversation);
            try {
                Instant stored = instant(get(stateKey));
                if (stored == null || mine.isAfter(stored)) {
                    set(stateKey, mine.toString());
                }
            } catch (RuntimeException e) {
                dirty.add(key);
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- pending listings and paging positions

    /** The lower bound a listing of the conversation still has to cover, or null. */
    public Instant pending(Conversation conversation) {
        return instant(get("pending." + fragment(conversation)));
    }

    /** Records that the conversation must be listed from {@code bound} (the lowest pending bound wins). */
    public void lowerPending(Conversation conversation, Instant bound) {
        Instant current = pending(conversation);
        if (current == null || bound.isBefore(current)) {
            set("pending." + fragment(conversation), bound.toString());
        }
    }

    public void clearPending(Conversation conversation) {
        if (pending(conversation) != null) {
            set("pending." + fragment(conversation), "");
        }
    }

    /** The stored paging position, or null. */
    public Link link(Conversation conversation) {
        String value = get("link." + fragment(conversation));
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            // the link comes last: it may itself contain the separator
            if (value.startsWith(DELTA + "|")) {
                String[] parts = value.split("\\|", 3);
                if (parts.length == 3) {
                    return Link.deltaRound(Instant.parse(parts[1]), parts[2]);
                }
            } else if (value.startsWith(NEXT + "|")) {
                String[] parts = value.split("\\|", 4);
                if (parts.length == 4) {
                    return Link.next(Instant.parse(parts[1]), Instant.parse(parts[2]), parts[3]);
                }
            }
        } catch (DateTimeParseException e) {
            // unreadable: start over
        }
        LOG.warn("Ignoring an unreadable paging position of {}", LoggedValue.of(conversation.key()));
        return null;
    }

    public void setLink(Conversation conversation, Link link) {
        String value = link.delta() ? DELTA + "|" + link.roundStart() + "|" + link.url()
                : NEXT + "|" + link.bound() + "|" + link.roundStart() + "|" + link.url();
        if (!value.equals(get("link." + fragment(conversation)))) {
            set("link." + fragment(conversation), value);
        }
    }

    public void clearLink(Conversation conversation) {
        String current = get("link." + fragment(conversation));
        if (current != null && !current.isEmpty()) {
            set("link." + fragment(conversation), "");
        }
    }

    /** Whether a listing was left unfinished (a pending bound or a page to resume at), e.g. by a stopped leader. */
    public boolean hasUnfinished() {
        for (Conversation conversation : conversations()) {
            BackfillState.Link link = link(conversation);
            if (pending(conversation) != null || (link != null && !link.delta())) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- helpers

    private String get(String key) {
        return repository.getState(prefix + key);
    }

    private void set(String key, String value) {
        repository.setState(prefix + key, value);
    }

    /** The conversation's part of a key: its text when a state key may hold it, else a hash. */
    static String fragment(Conversation conversation) {
        String key = conversation.key();
        boolean safe = key.length() <= 200 && key.chars().allMatch(c -> c > ' ' && c != '=' && c < 127);
        if (safe) {
            return key;
        }
        return "sha256:" + Digests.sha256Hex(key, 16);
    }

    private static int parseCount(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant instant(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
