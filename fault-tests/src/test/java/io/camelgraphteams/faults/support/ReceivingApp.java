package io.camelgraphteams.faults.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.GraphTeamsConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The application under test, in the test's JVM: one CamelContext, graph-teams serving on its own Vert.x server
 * ({@code serverPort}), one or more graph-teams routes that manage their subscriptions against a {@link FaultGraph},
 * all feeding one sink route: an optional step of the test's (a failing processor), the {@link SinkLine} of the
 * exchange, then the sink endpoint (a file appended to, a Kafka topic). An exchange completes when the sink has
 * written; only then is it acknowledged to Graph.
 */
public final class ReceivingApp implements AutoCloseable {

    private final CamelContext context;

    private ReceivingApp(CamelContext context) {
        this.context = context;
    }

    public static Builder builder(FaultGraph graph, int port) {
        return new Builder(graph, port);
    }

    public CamelContext context() {
        return context;
    }

    /** The consumer of route {@code routeId}. */
    public GraphTeamsConsumer consumer(String routeId) {
        return (GraphTeamsConsumer) context.getRoute(routeId).getConsumer();
    }

    /** Exchanges in progress in the whole context. */
    public int inflight() {
        return context.getInflightRepository().size();
    }

    @Override
    public void close() {
        context.stop();
    }

    /** Routes, beans and the sink, then {@link #start()}. */
    public static final class Builder {
        private final FaultGraph graph;
        private final int port;
        private final Map<String, String> routes = new LinkedHashMap<>();
        private final Map<String, Object> beans = new LinkedHashMap<>();
        private final List<Processor> beforeSink = new ArrayList<>();
        private String sinkUri;

        private Builder(FaultGraph graph, int port) {
            this.graph = graph;
            this.port = port;
        }

        /**
         * A graph-teams route with id {@code routeId} on {@code resource}, served under /graph/{routeId}, with the
         * managing options of {@link FaultGraph#endpointOptions} plus {@code options} (which win).
         */
        public Builder route(String routeId, String resource, Map<String, String> options) {
            Map<String, String> all = graph.endpointOptions(port, "/graph/" + routeId);
            all.putAll(options);
            routes.put(routeId, FaultGraph.uri(resource, all));
            return this;
        }

        public Builder bind(String name, Object bean) {
            beans.put(name, bean);
            return this;
        }

        /** A step before the sink: an exception it throws fails the exchange (nothing reaches the sink). */
        public Builder beforeSink(Processor step) {
            beforeSink.add(step);
            return this;
        }

        public Builder sink(String uri) {
            this.sinkUri = uri;
            return this;
        }

        /** Starts the context: each route's subscription is adopted or created (with Graph's handshake) before this returns. */
        public ReceivingApp start() throws Exception {
            CamelContext context = new DefaultCamelContext();
            context.getRegistry().bind(FaultGraph.TLS_BEAN, graph.tls());
            beans.forEach(context.getRegistry()::bind);
            context.getComponent("graph-teams", GraphTeamsComponent.class).setServerPort(port);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // a failed exchange is answered 503 and Graph redelivers it: one line per failure is enough
                    errorHandler(defaultErrorHandler().logStackTrace(false).logExhaustedMessageHistory(false));
                    routes.forEach((routeId, uri) -> from(uri).routeId(routeId).to("direct:sink"));
                    var sink = from("direct:sink").routeId("sink");
                    beforeSink.forEach(sink::process);
                    sink.process(SinkLine.toLine()).to(sinkUri);
                }
            });
            try {
                context.start();
            } catch (RuntimeException e) {
                context.stop();
                throw e;
            }
            return new ReceivingApp(context);
        }
    }
}
