package io.camelgraphteams.routes;

import java.util.function.Consumer;

import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.component.preflight.PreflightReport;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
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
    /** The command that checks the settings against the tenant instead of running the routes. */
    public static final String PREFLIGHT = "preflight";

    private final Main main;
    private final GraphModeConfigurer modes = new GraphModeConfigurer();

    public GraphTeamsRoutesApplication() {
        main = new Main();
        main.addMainListener(modes);
    }

    public static void main(String[] args) {
        int exitCode;
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            boolean preflight = args.length > 0 && PREFLIGHT.equals(args[0]);
            exitCode = preflight ? application.preflight(System.out::println)
                    : application.main().run(args);
        } catch (Exception e) {
            LOG.error("camel-graph-teams-routes could not start: {}", rootMessage(e));
            LOG.debug("Start-up failure", e);
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /**
     * The preflight command ({@code exec.args=preflight}): starts the application with its settings but without
     * creating, renewing or backfilling anything (the routes only answer Graph's validation requests), runs the
     * preflight checklist of each graph-teams route's endpoint as it would manage its subscription, prints the
     * reports, and stops. Returns 0 when no line failed, 2 otherwise.
     */
    public int preflight(Consumer<String> out) throws Exception {
        main.addOverrideProperty("graph.manage-subscription", "false");
        main.addOverrideProperty("graph.backfill", "false");
        main.addOverrideProperty("demo.traffic.enabled", "false");
        // a check from a shell beside a running instance: no probe calls it, and its port would be taken
        main.addOverrideProperty(GraphSettings.MANAGEMENT_ENABLED, "false");
        main.start();
        CamelContext context = main.getCamelContext();
        GraphTeamsComponent component = context.getComponent("graph-teams", GraphTeamsComponent.class);
        boolean passed = true;
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof GraphTeamsEndpoint serving
                    && context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                // the same endpoint as it runs for real: it manages its subscription
                GraphTeamsEndpoint live = context.getEndpoint(serving.getEndpointUri()
                        .replace("manageSubscription=false", "manageSubscription=true"), GraphTeamsEndpoint.class);
                PreflightReport report = component.preflight(live);
                out.accept(report.text());
                passed &= report.passed();
            }
        }
        out.accept(passed ? "preflight passed" : "preflight failed: fix the lines marked ✗");
        return passed ? 0 : 2;
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
