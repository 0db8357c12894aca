package io.camelgraphteams.faults.child;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.camelgraphteams.routes.GraphTeamsRoutesApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the routes app, as a replica runs it, in a child JVM ({@link ChildJvm}): every property of the
 * settings file except {@code ready} is one of the app's settings (application.properties, {@code camel.*} included).
 * Once Camel has started it writes the ready file; SIGTERM stops it as Camel Main's own hook would, {@code kill -9}
 * stops nothing.
 */
public final class RoutesAppInstance {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesAppInstance.class);

    private RoutesAppInstance() {
    }

    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            settings.load(in);
        }
        Path ready = Path.of(settings.getProperty("ready"));
        GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication();
        for (String name : settings.stringPropertyNames()) {
            if (!name.equals("ready")) {
                application.main().addOverrideProperty(name, settings.getProperty(name));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: stopping");
            application.close();
        }, "graceful-stop"));
        application.main().start();
        Files.writeString(ready, Long.toString(ProcessHandle.current().pid()));
        LOG.info("Started, pid {}", ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}
