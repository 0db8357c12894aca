package io.camelgraphteams.component.preflight;

import java.util.List;
import java.util.Map;

import org.apache.camel.Component;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The preflight checklist of every graph-teams endpoint, on demand: it calls the identity platform and Graph and sends
 * validation requests to the public URLs each time it is opened, creating nothing.
 */
@DevConsole(name = "graph-teams-preflight", displayName = "Microsoft Graph Teams preflight",
            description = "The preflight checklist of every graph-teams endpoint (calls Graph each time)")
public class PreflightDevConsole extends AbstractDevConsole {

    public PreflightDevConsole() {
        super("camel", "graph-teams-preflight", "Microsoft Graph Teams preflight",
              "The preflight checklist of every graph-teams endpoint (calls Graph each time)");
    }

    private List<PreflightReport> reports() {
        Component component = getCamelContext().hasComponent("graph-teams");
        if (!(component instanceof PreflightSource source)) {
            return List.of();
        }
        try {
            return source.preflightReports();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (PreflightReport report : reports()) {
            text.append(report.text()).append('\n');
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonArray endpoints = new JsonArray();
        for (PreflightReport report : reports()) {
            JsonArray checks = new JsonArray();
            for (PreflightCheck check : report.checks()) {
                JsonObject line = new JsonObject();
                line.put("subject", check.subject());
                line.put("verdict", check.verdict().name());
                line.put("finding", check.finding());
                if (check.fix() != null) {
                    line.put("fix", check.fix());
                }
                checks.add(line);
            }
            JsonObject endpoint = new JsonObject();
            endpoint.put("endpoint", report.endpoint());
            endpoint.put("passed", report.passed());
            endpoint.put("checks", checks);
            endpoints.add(endpoint);
        }
        JsonObject root = new JsonObject();
        root.put("endpoints", endpoints);
        return root;
    }
}
