package io.camelgraphteams.component.subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.subscriptions.Subscription;

/**
 * Looks at Graph's side every few milliseconds: how many subscriptions the emulator holds live, which, and how long
 * before the one it holds expires. The emulator hides an expired subscription at once (and answers 404 to its renewal),
 * so a moment without exactly one live subscription is a lapse, and a second id seen means one was recreated.
 */
final class SubscriptionLapseWatch implements AutoCloseable {

    private final GraphEmulator emulator;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "subscription-lapse-watch");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> idsSeen = ConcurrentHashMap.newKeySet();
    private final List<String> lapses = new CopyOnWriteArrayList<>();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicReference<Duration> leastHeadroom = new AtomicReference<>();

    private SubscriptionLapseWatch(GraphEmulator emulator) {
        this.emulator = emulator;
    }

    static SubscriptionLapseWatch start(GraphEmulator emulator, Duration every) {
        SubscriptionLapseWatch watch = new SubscriptionLapseWatch(emulator);
        watch.sampler.scheduleAtFixedRate(watch::sample, 0, every.toNanos(), TimeUnit.NANOSECONDS);
        return watch;
    }

    private void sample() {
        Instant now = emulator.clock().instant();
        List<Subscription> live = emulator.subscriptions().live();
        samples.incrementAndGet();
        if (live.size() != 1) {
            lapses.add(now + ": " + live.size() + " live subscriptions " + live.stream().map(Subscription::id).toList());
            return;
        }
        Subscription s = live.get(0);
        idsSeen.add(s.id());
        Duration headroom = Duration.between(now, s.expirationDateTime());
        leastHeadroom.accumulateAndGet(headroom, (a, b) -> a == null || b.compareTo(a) < 0 ? b : a);
    }

    /** Moments Graph held no subscription (or more than one). */
    List<String> lapses() {
        return List.copyOf(lapses);
    }

    Set<String> subscriptionIdsSeen() {
        return Set.copyOf(idsSeen);
    }

    long samples() {
        return samples.get();
    }

    /** The shortest time left before expiry seen in any sample; null before the first. */
    Duration leastHeadroom() {
        return leastHeadroom.get();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
