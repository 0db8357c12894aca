package io.camelgraphteams.component.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.subscription.SubscriptionGapListener;
import io.camelgraphteams.component.subscription.SubscriptionStatus;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One CamelContext with a real Vert.x server and one graph-teams route that manages its subscription against an
 * {@link EmulatedGraph}: what a deployed application is, started and stopped as a whole so restarts can be tested. The
 * route's exchanges and the gaps the consumer reports are recorded.
 */
public final class ManagedConsumer implements AutoCloseable {

    public static final String ROUTE_ID = "managed";

    /** A call of the consumer's gap listener. */
    public record Gap(SubscriptionGapListener.Reason reason, String subscriptionId) {
    }

    /** Endpoint options, editable before a start: a test changes one option and keeps the rest. */
    public static final class Options {
        private final Map<String, String> values = new LinkedHashMap<>();

        public Options set(String name, Object value) {
            values.put(name, String.valueOf(value));
            return this;
        }

        public Options remove(String name) {
            values.remove(name);
            return this;
        }

        public String get(String name) {
            return values.get(name);
        }

        public Options copy() {
            Options copy = new Options();
            copy.values.putAll(values);
            return copy;
        }

        public String uri(String resource) {
            List<String> query = new ArrayList<>();
            values.forEach((name, value) -> query.add(name + "=" + value));
            return "graph-teams:" + resource + (query.isEmpty() ? "" : "?" + String.join("&", query));
        }
    }

    private final CamelContext context;
    private final int port;
    private final List<Exchange> received;
    private final List<Gap> gaps = new CopyOnWriteArrayList<>();

    private ManagedConsumer(CamelContext context, int port, List<Exchange> received) {
        this.context = context;
        this.port = port;
        this.received = received;
    }

    /** The options {@link EmulatedGraph#managedOptions} gives for a consumer on {@code port}. */
    public static Options options(EmulatedGraph graph, int port, Path keyStoreDir) {
        Options options = new Options();
        for (String pair : graph.managedOptions(port, keyStoreDir).split("&")) {
            int equals = pair.indexOf('=');
            options.set(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return options;
    }

    /**
     * Starts a context serving on {@code port} with a route from {@code graph-teams:resource?options}. When the start
     * fails the context is stopped and the failure thrown.
     */
    public static ManagedConsumer start(EmulatedGraph graph, int port, String resource, Options options)
            throws Exception {
        return start(graph, port, resource, options, context -> {
        });
    }

    /** As {@link #start(EmulatedGraph, int, String, Options)}; {@code setup} runs first (to bind beans). */
    public static ManagedConsumer start(EmulatedGraph graph, int port, String resource, Options options,
                                        java.util.function.Consumer<CamelContext> setup) throws Exception {
        return start(graph, port, resource, options, setup, exchange -> {
        });
    }

    /**
     * As {@link #start(EmulatedGraph, int, String, Options, java.util.function.Consumer)}; {@code step} runs in the
     * route before the exchange is recorded: when it throws, the exchange fails and is not recorded.
     */
    public static ManagedConsumer start(EmulatedGraph graph, int port, String resource, Options options,
                                        java.util.function.Consumer<CamelContext> setup, Processor step)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        graph.bindTls(context);
        setup.accept(context);
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(configuration));
        List<Exchange> received = new CopyOnWriteArrayList<>();
        String uri = options.uri(resource);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ROUTE_ID).process(step).process(exchange -> received.add(exchange.copy()));
            }
        });
        try {
            context.start();
        } catch (RuntimeException e) {
            context.stop();
            throw e;
        }
        ManagedConsumer managed = new ManagedConsumer(context, port, received);
        managed.consumer().setGapListener((reason, id) -> managed.gaps.add(new Gap(reason, id)));
        return managed;
    }

    public CamelContext context() {
        return context;
    }

    public int port() {
        return port;
    }

    public GraphTeamsConsumer consumer() {
        return (GraphTeamsConsumer) context.getRoute(ROUTE_ID).getConsumer();
    }

    public SubscriptionStatus status() {
        return consumer().getSubscriptionStatus();
    }

    public String subscriptionId() {
        return status().subscriptionId();
    }

    /** The subscription as the emulator holds it; fails when it is gone. */
    public Subscription inGraph(EmulatedGraph graph) {
        String id = subscriptionId();
        return graph.emulator().subscriptions().find(id)
                .orElseThrow(() -> new AssertionError("subscription " + id + " is not live in the emulator"));
    }

    public List<Exchange> received() {
        return received;
    }

    /** The bodies of the exchanges received so far. */
    public List<String> bodies() {
        return received.stream().map(e -> e.getMessage().getBody(String.class)).toList();
    }

    public List<Gap> gaps() {
        return gaps;
    }

    @Override
    public void close() {
        context.stop();
    }
}
