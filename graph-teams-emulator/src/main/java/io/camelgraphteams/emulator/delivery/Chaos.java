package io.camelgraphteams.emulator.delivery;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.http.Json;

/**
 * Fault switches. On deliveries: duplicate, drop, delay. On Graph calls (v1.0 and beta): delayed answers, 429 with
 * Retry-After, 503. Probabilities are 0..1 and draw from a seeded random, so a run is repeatable; the "next N" counters
 * hit exactly the next N calls. All off by default.
 */
public final class Chaos {

    /** What a Graph call gets instead of its answer. */
    public record GraphFault(int status, Duration retryAfter) {
    }

    private final Random random;
    private volatile double duplicateProbability;
    private volatile boolean duplicatesAtOnce;
    private volatile double dropProbability;
    private volatile Duration deliveryDelay = Duration.ZERO;
    private volatile Duration graphResponseDelay = Duration.ZERO;
    private volatile double throttleProbability;
    private volatile double unavailableProbability;
    private volatile Duration retryAfter = Duration.ofSeconds(1);
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger unavailableNext = new AtomicInteger();

    public Chaos(long seed) {
        this.random = new Random(seed);
    }

    /** Sends each notification batch a second time (after the first attempt) with this probability. */
    public Chaos duplicateDeliveries(double probability) {
        this.duplicateProbability = probability(probability);
        return this;
    }

    /**
     * Sends the second copy of a duplicated batch together with the first attempt instead of after its answer: two
     * copies in flight at the same instant, which a load balancer hands to two different instances.
     */
    public Chaos duplicatesAtOnce(boolean atOnce) {
        this.duplicatesAtOnce = atOnce;
        return this;
    }

    /** Silently drops notification batches with this probability (Graph's "drop state"; no retry). */
    public Chaos dropDeliveries(double probability) {
        this.dropProbability = probability(probability);
        return this;
    }

    /** Waits this long before the first attempt of each delivery. */
    public Chaos delayDeliveries(Duration delay) {
        this.deliveryDelay = delay;
        return this;
    }

    /** Answers Graph calls this much later. */
    public Chaos delayGraphResponses(Duration delay) {
        this.graphResponseDelay = delay;
        return this;
    }

    /** Answers Graph calls with 429 Too Many Requests and Retry-After with this probability. */
    public Chaos throttleGraphCalls(double probability, Duration retryAfter) {
        this.throttleProbability = probability(probability);
        this.retryAfter = retryAfter;
        return this;
    }

    /** The next {@code count} Graph calls get 429 with Retry-After. */
    public Chaos throttleNextGraphCalls(int count, Duration retryAfter) {
        this.retryAfter = retryAfter;
        throttleNext.set(count);
        return this;
    }

    /** Answers Graph calls with 503 Service Unavailable with this probability. */
    public Chaos failGraphCalls(double probability) {
        this.unavailableProbability = probability(probability);
        return this;
    }

    /** The next {@code count} Graph calls get 503. */
    public Chaos failNextGraphCalls(int count) {
        unavailableNext.set(count);
        return this;
    }

    public Chaos reset() {
        duplicateProbability = 0;
        duplicatesAtOnce = false;
        dropProbability = 0;
        deliveryDelay = Duration.ZERO;
        graphResponseDelay = Duration.ZERO;
        throttleProbability = 0;
        unavailableProbability = 0;
        retryAfter = Duration.ofSeconds(1);
        throttleNext.set(0);
        unavailableNext.set(0);
        return this;
    }

    boolean shouldDuplicate() {
        return draw(duplicateProbability);
    }

    boolean duplicatesAtOnce() {
        return duplicatesAtOnce;
    }

    boolean shouldDrop() {
        return draw(dropProbability);
    }

    public Duration deliveryDelay() {
        return deliveryDelay;
    }

    public Duration graphResponseDelay() {
        return graphResponseDelay;
    }

    /** null: answer normally. */
    public GraphFault nextGraphFault() {
        if (decrementIfPositive(throttleNext) || draw(throttleProbability)) {
            return new GraphFault(429, retryAfter);
        }
        if (decrementIfPositive(unavailableNext) || draw(unavailableProbability)) {
            return new GraphFault(503, retryAfter);
        }
        return null;
    }

    private static boolean decrementIfPositive(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private boolean draw(double probability) {
        if (probability <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < probability;
        }
    }

    private static double probability(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("a probability is between 0 and 1, was " + p);
        }
        return p;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("duplicateDeliveries", duplicateProbability);
        n.put("duplicatesAtOnce", duplicatesAtOnce);
        n.put("dropDeliveries", dropProbability);
        n.put("deliveryDelayMillis", deliveryDelay.toMillis());
        n.put("graphResponseDelayMillis", graphResponseDelay.toMillis());
        n.put("throttleGraphCalls", throttleProbability);
        n.put("throttleNextGraphCalls", throttleNext.get());
        n.put("failGraphCalls", unavailableProbability);
        n.put("failNextGraphCalls", unavailableNext.get());
        n.put("retryAfterSeconds", retryAfter.toSeconds());
        return n;
    }

    /** Applies the fields present in a JSON object of the {@link #toJson()} shape; absent fields keep their value. */
    public Chaos apply(JsonNode json) {
        if (json.has("retryAfterSeconds")) {
            retryAfter = Duration.ofSeconds(json.get("retryAfterSeconds").asLong());
        }
        if (json.has("duplicateDeliveries")) {
            duplicateDeliveries(json.get("duplicateDeliveries").asDouble());
        }
        if (json.has("duplicatesAtOnce")) {
            duplicatesAtOnce(json.get("duplicatesAtOnce").asBoolean());
        }
        if (json.has("dropDeliveries")) {
            dropDeliveries(json.get("dropDeliveries").asDouble());
        }
        if (json.has("deliveryDelayMillis")) {
            delayDeliveries(Duration.ofMillis(json.get("deliveryDelayMillis").asLong()));
        }
        if (json.has("graphResponseDelayMillis")) {
            delayGraphResponses(Duration.ofMillis(json.get("graphResponseDelayMillis").asLong()));
        }
        if (json.has("throttleGraphCalls")) {
            throttleGraphCalls(json.get("throttleGraphCalls").asDouble(), retryAfter);
        }
        if (json.has("throttleNextGraphCalls")) {
            throttleNextGraphCalls(json.get("throttleNextGraphCalls").asInt(), retryAfter);
        }
        if (json.has("failGraphCalls")) {
            failGraphCalls(json.get("failGraphCalls").asDouble());
        }
        if (json.has("failNextGraphCalls")) {
            failNextGraphCalls(json.get("failNextGraphCalls").asInt());
        }
        return this;
    }
}
