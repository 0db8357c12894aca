package io.camelgraphteams.routes;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.support.Failures;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's health checks over HTTP for Kubernetes' probes, on a port of its own ({@code management.port}), never on the
 * port Graph posts to: {@code /observe/health/ready} (Camel's readiness checks: the HTTP paths served, the keys
 * loaded, the stores answering), {@code /observe/health/live} (liveness) and {@code /observe/health} (every check with
 * its details, the subscriptions' included). 200 when UP, 503 when DOWN, a JSON body listing the checks.
 * <p>
 * Camel's own management server (camel-platform-http-main, {@code camel.management.*}) serves the same paths, but it
 * is not published for Camel 4.22; this one keeps its paths and its rule for UP ({@link HealthCheckHelper#isResultsUp})
 * so a later switch changes no probe.
 */
final class ManagementHttpServer extends ServiceSupport {

    static final String HEALTH_PATH = "/observe/health";
    static final String LIVE_PATH = HEALTH_PATH + "/live";
    static final String READY_PATH = HEALTH_PATH + "/ready";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final String host;
    private final int port;
    private Vertx vertx;
    private HttpServer server;

    ManagementHttpServer(CamelContext context, String host, int port) {
        this.context = context;
        this.host = host;
        this.port = port;
    }

    /** The port it listens on once started (the one asked for, or the one the system chose for 0 in tests). */
    int port() {
        return server != null ? server.actualPort() : port;
    }

    @Override
    protected void doStart() throws Exception {
        // a Vert.x of its own: a probe must get through while the public server's event loops are busy with batches
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("The health endpoints could not listen on " + host + ":" + port + " ("
                                            + e.getMessage() + "): set " + GraphSettings.MANAGEMENT_PORT + " (env "
                                            + GraphSettings.environmentVariable(GraphSettings.MANAGEMENT_PORT)
                                            + ") to a free port", e);
        }
        LOG.info("Health for Kubernetes' probes on http://{}:{}: readiness {}, liveness {}, every check {}", host,
                server.actualPort(), READY_PATH, LIVE_PATH, HEALTH_PATH);
    }

    @Override
    protected void doStop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx = null;
            server = null;
        }
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
            return;
        }
        Probe probe = switch (request.path()) {
            case READY_PATH -> Probe.READINESS;
            case LIVE_PATH -> Probe.LIVENESS;
            case HEALTH_PATH -> Probe.ALL;
            default -> null;
        };
        if (probe == null) {
            request.response().setStatusCode(404).end();
            return;
        }
        // off the event loop: a store's check waits for its database, up to the pool's connection timeout
        vertx.executeBlocking(() -> answer(probe), false).onComplete(done -> {
            if (done.succeeded()) {
                request.response().setStatusCode(done.result().status())
                        .putHeader("Content-Type", "application/json").end(done.result().body());
            } else {
                LOG.warn("Health check {} failed: {}", request.path(), done.cause().getMessage());
                request.response().setStatusCode(503).end();
            }
        });
    }

    /** Runs the checks of one probe and says how it went, as a status code and a JSON body. */
    Answer answer(Probe probe) throws JsonProcessingException {
        // "full": at Camel's default exposure level an all-UP answer lists only its first check
        Predicate<HealthCheck> leftOut = switch (probe) {
            case READINESS -> check -> !check.isReadiness();
            case LIVENESS -> check -> !check.isLiveness();
            case ALL -> check -> false;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        Collection<HealthCheck.Result> results;
        try {
            results = HealthCheckHelper.invoke(context, check -> Map.of(), leftOut, "full");
        } catch (RuntimeException e) {
            // Camel's helper stops at a check that throws instead of answering DOWN: that is no UP either
            body.put("status", HealthCheck.State.DOWN.name());
            body.put("message", "a health check failed: " + Failures.rootMessage(e));
            body.put("checks", List.of());
            return new Answer(503, JSON.writeValueAsString(body));
        }
        boolean up;
        if (results.isEmpty()) {
            // an empty list would read as UP and make the probe meaningless
            up = false;
            body.put("status", HealthCheck.State.DOWN.name());
            body.put("message", "no health checks: camel-health is not on the class path or camel.health.enabled=false");
        } else {
            // Camel's rule: readiness needs every check UP, liveness and the full listing no check DOWN
            up = HealthCheckHelper.isResultsUp(results, probe == Probe.READINESS);
            body.put("status", (up ? HealthCheck.State.UP : HealthCheck.State.DOWN).name());
        }
        List<Map<String, Object>> checks = results.stream()
                .sorted(Comparator.comparing(result -> result.getCheck().getId()))
                .map(result -> check(result, probe == Probe.ALL)).toList();
        body.put("checks", checks);
        return new Answer(up ? 200 : 503, JSON.writeValueAsString(body));
    }

    private static Map<String, Object> check(HealthCheck.Result result, boolean withDetails) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", result.getCheck().getId());
        check.put("status", result.getState().name());
        result.getMessage().ifPresent(message -> check.put("message", message));
        if (withDetails) {
            Map<String, Object> details = new LinkedHashMap<>();
            // numbers and booleans as they are; anything else as its text (no object graph reaches the JSON writer)
            result.getDetails().forEach((key, value) -> details.put(key,
                    value instanceof Number || value instanceof Boolean ? value : String.valueOf(value)));
            check.put("details", details);
        }
        return check;
    }

    enum Probe {
        READINESS, LIVENESS, ALL
    }

    record Answer(int status, String body) {
    }
}
