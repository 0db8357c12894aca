package io.camelgraphteams.faults.child;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.faults.support.FaultGraph;
import io.camelgraphteams.faults.support.SinkLine;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application the kill test runs in a child JVM: a plain CamelContext whose graph-teams routes (URIs from a
 * properties file) manage their subscriptions against the emulator in the parent JVM, with a durable dedup store
 * ({@link FileIdempotentRepository}, bean {@code dedup}) and durable backfill watermarks ({@link FileStateRepository},
 * bean {@code state}). Every exchange appends one {@link SinkLine} to the sink file. Once started it writes the ready
 * file; SIGTERM stops it in order, {@code kill -9} (what the test does) stops nothing.
 *
 * <p>Properties: {@code port}, {@code route.<id>} (a graph-teams URI, any number), {@code sink}, {@code dedup},
 * {@code state}, {@code trustStore}, {@code trustStorePassword}, {@code ready}.
 */
public final class KillableApp {

    private static final Logger LOG = LoggerFactory.getLogger(KillableApp.class);

    private KillableApp() {
    }

    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            settings.load(in);
        }
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind(FaultGraph.TLS_BEAN, trusting(settings.getProperty("trustStore"),
                settings.getProperty("trustStorePassword")));
        // Camel's own durable stores, as a user would configure them; the component starts and stops them
        context.getRegistry().bind("dedup",
                FileIdempotentRepository.fileIdempotentRepository(new File(settings.getProperty("dedup")), 10_000));
        context.getRegistry().bind("state",
                FileStateRepository.fileStateRepository(new File(settings.getProperty("state"))));
        context.getComponent("graph-teams", GraphTeamsComponent.class)
                .setServerPort(Integer.parseInt(settings.getProperty("port")));
        Path sink = Path.of(settings.getProperty("sink"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String name : settings.stringPropertyNames()) {
                    if (name.startsWith("route.")) {
                        from(settings.getProperty(name)).routeId(name.substring("route.".length())).to("direct:sink");
                    }
                }
                from("direct:sink").routeId("sink")
                        .process(SinkLine.toLine())
                        .to("file:" + sink.getParent().toAbsolutePath() + "?fileName=" + sink.getFileName()
                            + "&fileExist=Append");
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: stopping");
            context.stop();
        }, "graceful-stop"));
        context.start();
        Files.writeString(Path.of(settings.getProperty("ready")), Long.toString(ProcessHandle.current().pid()));
        LOG.info("Started, pid {}", ProcessHandle.current().pid());
        Thread.currentThread().join();
    }

    private static SSLContextParameters trusting(String trustStore, String password) throws IOException {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + trustStore);
        store.setPassword(password);
        store.setType("PKCS12");
        return FaultGraph.trusting(store);
    }
}
