package io.camelgraphteams.examples.triage;

import io.camelgraphteams.examples.ExampleApplication;
import org.apache.camel.main.Main;

/**
 * Teams messages triaged by content (Java DSL, {@link TeamsTriageRoutes}): deletions → audit files, mentions of one
 * user → a JMS queue, the rest → Kafka. The settings are {@code teams-triage/application.properties}.
 */
public final class TeamsTriageExample {

    public static final String NAME = "teams-triage";

    private TeamsTriageExample() {
    }

    public static Main create() {
        Main main = ExampleApplication.create(NAME);
        main.configure().addRoutesBuilder(new TeamsTriageRoutes());
        return main;
    }

    public static void main(String[] args) throws Exception {
        create().run(args);
    }
}
