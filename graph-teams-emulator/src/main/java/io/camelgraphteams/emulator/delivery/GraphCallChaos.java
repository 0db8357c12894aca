package io.camelgraphteams.emulator.delivery;

import java.time.Duration;
import java.util.Map;

import io.camelgraphteams.emulator.http.GraphApiException;
import io.camelgraphteams.emulator.http.GraphResponses;
import io.camelgraphteams.emulator.time.EmulatorClock;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/** The chaos switches on Graph calls: 429 and 503 answers (with Retry-After) and slow answers, when switched on. */
public final class GraphCallChaos implements Handler<RoutingContext> {

    private final Vertx vertx;
    private final Chaos chaos;
    private final EmulatorClock clock;

    public GraphCallChaos(Vertx vertx, Chaos chaos, EmulatorClock clock) {
        this.vertx = vertx;
        this.chaos = chaos;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Chaos.GraphFault fault = chaos.nextGraphFault();
        Duration delay = chaos.graphResponseDelay();
        Runnable proceed = () -> {
            if (fault == null) {
                ctx.next();
                return;
            }
            boolean throttled = fault.status() == 429;
            GraphResponses.error(ctx, new GraphApiException(fault.status(),
                    throttled ? "TooManyRequests" : "ServiceUnavailable",
                    throttled ? "Too many requests, retry after " + fault.retryAfter().toSeconds() + " seconds."
                            : "The service is temporarily unavailable. Please retry later.",
                    Map.of("Retry-After", Long.toString(Math.max(0, fault.retryAfter().toSeconds())))), clock);
        };
        if (delay.isZero() || delay.isNegative()) {
            proceed.run();
        } else {
            vertx.setTimer(delay.toMillis(), t -> proceed.run());
        }
    }
}
