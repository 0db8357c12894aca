package io.camelgraphteams.routes;

import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes app: Camel Main with the YAML routes of src/main/resources/routes and application.properties. Without
 * settings it runs against the Graph emulator in this JVM (graph.mode=emulator); with graph.mode=real and the app's
 * settings, against Microsoft Graph. Ctrl-C stops it (Camel Main's shutdown hook).
 */
public final class GraphTeamsRoutesApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphTeamsRoutesApplication.class);

    private final Main main;
    private final GraphModeConfigurer modes = new GraphModeConfigurer();

    public GraphTeamsRoutesApplication() {
        main = new Main();
        main.addMainListener(modes);
    }

    public static void main(String[] args) {
        int exitCode;
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            exitCode = application.main().run(args);
        } catch (Exception e) {
            LOG.error("camel-graph-teams-routes could not start: {}", rootMessage(e));
            LOG.debug("Start-up failure", e);
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The Camel Main of this application; tests add override properties, then start and stop it. */
    public Main main() {
        return main;
    }

    /** The in-process emulator in emulator mode once started, else null. */
    public EmbeddedGraph embeddedGraph() {
        return modes.embeddedGraph();
    }

    /** Stops Camel Main if still running, and the emulator. */
    @Override
    public void close() {
        try {
            if (main.isStarted() || main.isStarting()) {
                main.stop();
            }
        } catch (Exception e) {
            LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
        } finally {
            modes.close();
        }
    }

    /** The failure's message, plus its root cause's when that adds something (Camel wraps start-up failures). */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(e.getMessage());
        String rootMessage = root.getMessage() != null ? root.getMessage() : root.toString();
        return root == e || message.contains(rootMessage) ? message : message + " (cause: " + rootMessage + ")";
    }
}
