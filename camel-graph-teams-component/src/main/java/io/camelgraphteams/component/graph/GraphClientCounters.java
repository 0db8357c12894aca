package io.camelgraphteams.component.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What a {@link GraphClient} sent and how Graph answered, for the dev console, health checks and metrics. */
public final class GraphClientCounters {

    final AtomicLong requests = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
    final AtomicLong transportErrors = new AtomicLong();
    final AtomicLong authenticationFailures = new AtomicLong();
    final AtomicLong failedCalls = new AtomicLong();

    /** HTTP requests sent (every attempt counts). */
    public long requests() {
        return requests.get();
    }

    /** Attempts that were repeated after a wait. */
    public long retries() {
        return retries.get();
    }

    /** 429 answers. */
    public long throttled() {
        return throttled.get();
    }

    /** 503 answers. */
    public long unavailable() {
        return unavailable.get();
    }

    /** 5xx answers other than 503. */
    public long serverErrors() {
        return serverErrors.get();
    }

    /** Requests without an answer (connection refused or reset, timeout). */
    public long transportErrors() {
        return transportErrors.get();
    }

    /** Attempts for which the token provider gave no token. */
    public long authenticationFailures() {
        return authenticationFailures.get();
    }

    /** Calls that ended in a {@link GraphApiException}. */
    public long failedCalls() {
        return failedCalls.get();
    }

    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("requests", requests());
        map.put("retries", retries());
        map.put("throttled", throttled());
        map.put("unavailable", unavailable());
        map.put("serverErrors", serverErrors());
        map.put("transportErrors", transportErrors());
        map.put("authenticationFailures", authenticationFailures());
        map.put("failedCalls", failedCalls());
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
