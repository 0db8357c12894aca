package io.camelgraphteams.emulator.time;

import java.time.Duration;
import java.util.Objects;

/**
 * Graph's times, all configurable so tests can compress them. Defaults are Graph's documented values; where Graph
 * documents none (retry backoff, batching) the default is the emulator's choice and says so.
 *
 * @param deliveryTimeout a notification counts as delivered only on a 2xx within this time (Graph: 3 s)
 * @param retryRequestTimeout how long any attempt waits for an answer before it counts as timed out (Graph: 10 s)
 * @param retryInitialBackoff wait before the first retry, doubled for each further one (emulator's choice: 10 s)
 * @param retryMaxBackoff the doubling stops here (emulator's choice: 15 min)
 * @param retryWindow retries stop when the next one would start later than this after the first attempt (Graph: 4 h)
 * @param handshakeTimeout the validation handshake must be answered within this (Graph: 10 s, fixed)
 * @param maxSubscriptionLifetime longest expirationDateTime accepted for chatMessage (Graph: 4,320 min)
 * @param lifecycleUrlRequiredAbove an expiration further ahead than this needs a lifecycleNotificationUrl (Graph: 1 h)
 * @param batchWindow changes for one notificationUrl within this window travel in one POST (emulator's choice: 100 ms)
 * @param validationTokenLifetime exp - iat of validationTokens (Graph's are about 8 h)
 * @param accessTokenLifetime lifetime of the access tokens the token endpoint issues (identity platform: ~1 h)
 * @param expirySweepInterval how often expired subscriptions are removed (they are invisible as soon as expired)
 * @param endpointHealthWindow the window over which an endpoint's answer times are judged slow or dropping
 *                             (Graph: 10 min)
 * @param slowStatePenalty how long new notifications to a slow endpoint are held back (Graph: 10 min)
 * @param dropStatePenalty how long new notifications to a dropping endpoint are discarded (Graph: 10 min)
 */
public record GraphTimings(
        Duration deliveryTimeout,
        Duration retryRequestTimeout,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        Duration retryWindow,
        Duration handshakeTimeout,
        Duration maxSubscriptionLifetime,
        Duration lifecycleUrlRequiredAbove,
        Duration batchWindow,
        Duration validationTokenLifetime,
        Duration accessTokenLifetime,
        Duration expirySweepInterval,
        Duration endpointHealthWindow,
        Duration slowStatePenalty,
        Duration dropStatePenalty) {

    public GraphTimings {
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        Objects.requireNonNull(retryRequestTimeout, "retryRequestTimeout");
        Objects.requireNonNull(retryInitialBackoff, "retryInitialBackoff");
        Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
        Objects.requireNonNull(retryWindow, "retryWindow");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(maxSubscriptionLifetime, "maxSubscriptionLifetime");
        Objects.requireNonNull(lifecycleUrlRequiredAbove, "lifecycleUrlRequiredAbove");
        Objects.requireNonNull(batchWindow, "batchWindow");
        Objects.requireNonNull(validationTokenLifetime, "validationTokenLifetime");
        Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime");
        Objects.requireNonNull(expirySweepInterval, "expirySweepInterval");
        Objects.requireNonNull(endpointHealthWindow, "endpointHealthWindow");
        Objects.requireNonNull(slowStatePenalty, "slowStatePenalty");
        Objects.requireNonNull(dropStatePenalty, "dropStatePenalty");
    }

    /** Graph's own values. */
    public static GraphTimings graphDefaults() {
        return new GraphTimings(
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofMinutes(15),
                Duration.ofHours(4),
                Duration.ofSeconds(10),
                Duration.ofMinutes(4320),
                Duration.ofHours(1),
                Duration.ofMillis(100),
                Duration.ofHours(8),
                Duration.ofSeconds(3599),
                Duration.ofSeconds(1),
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                Duration.ofMinutes(10));
    }

    /**
     * Divides the delivery-side times (delivery and retry timeouts, backoff, retry window, handshake limit, batch
     * window, the endpoint health window and its penalties) by {@code factor}; subscription lifetime rules and token
     * lifetimes stay as they are (move the {@link EmulatorClock} for those). {@code scaled(1000)} turns Graph's 4-hour
     * retry window into 14.4 s.
     */
    public GraphTimings scaled(double factor) {
        if (factor <= 0) {
            throw new IllegalArgumentException("factor must be > 0, was " + factor);
        }
        return new GraphTimings(
                divide(deliveryTimeout, factor),
                divide(retryRequestTimeout, factor),
                divide(retryInitialBackoff, factor),
                divide(retryMaxBackoff, factor),
                divide(retryWindow, factor),
                divide(handshakeTimeout, factor),
                maxSubscriptionLifetime,
                lifecycleUrlRequiredAbove,
                divide(batchWindow, factor),
                validationTokenLifetime,
                accessTokenLifetime,
                expirySweepInterval,
                divide(endpointHealthWindow, factor),
                divide(slowStatePenalty, factor),
                divide(dropStatePenalty, factor));
    }

    private static Duration divide(Duration d, double factor) {
        return Duration.ofNanos(Math.max(1_000_000L, (long) (d.toNanos() / factor)));
    }

    public GraphTimings withDeliveryTimeout(Duration d) {
        return new GraphTimings(d, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff, retryWindow,
                handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, endpointHealthWindow,
                slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withRetryRequestTimeout(Duration d) {
        return new GraphTimings(deliveryTimeout, d, retryInitialBackoff, retryMaxBackoff, retryWindow,
                handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, endpointHealthWindow,
                slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withRetryWindow(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff, d,
                handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, endpointHealthWindow,
                slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withHandshakeTimeout(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, d, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, endpointHealthWindow,
                slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withMaxSubscriptionLifetime(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, d, lifecycleUrlRequiredAbove, batchWindow, validationTokenLifetime,
                accessTokenLifetime, expirySweepInterval, endpointHealthWindow, slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withLifecycleUrlRequiredAbove(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, d, batchWindow, validationTokenLifetime,
                accessTokenLifetime, expirySweepInterval, endpointHealthWindow, slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withBatchWindow(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, d,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, endpointHealthWindow,
                slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withValidationTokenLifetime(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow, d,
                accessTokenLifetime, expirySweepInterval, endpointHealthWindow, slowStatePenalty, dropStatePenalty);
    }

    public GraphTimings withAccessTokenLifetime(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, d, expirySweepInterval, endpointHealthWindow, slowStatePenalty,
                dropStatePenalty);
    }

    public GraphTimings withExpirySweepInterval(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, d, endpointHealthWindow, slowStatePenalty,
                dropStatePenalty);
    }

    public GraphTimings withEndpointHealthWindow(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, d, slowStatePenalty,
                dropStatePenalty);
    }

    public GraphTimings withSlowStatePenalty(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, endpointHealthWindow, d,
                dropStatePenalty);
    }

    public GraphTimings withDropStatePenalty(Duration d) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, retryInitialBackoff, retryMaxBackoff,
                retryWindow, handshakeTimeout, maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow,
                validationTokenLifetime, accessTokenLifetime, expirySweepInterval, endpointHealthWindow,
                slowStatePenalty, d);
    }

    public GraphTimings withRetryBackoff(Duration initial, Duration max) {
        return new GraphTimings(deliveryTimeout, retryRequestTimeout, initial, max, retryWindow, handshakeTimeout,
                maxSubscriptionLifetime, lifecycleUrlRequiredAbove, batchWindow, validationTokenLifetime,
                accessTokenLifetime, expirySweepInterval, endpointHealthWindow, slowStatePenalty, dropStatePenalty);
    }

}
