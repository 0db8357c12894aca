package io.camelgraphteams.examples;

import org.apache.camel.main.Main;

/**
 * A Camel Main application for one example: its settings come from {@code classpath:<example>/application.properties},
 * overridden by environment variables (GRAPH_CLIENT_ID for graph.client-id) and -D system properties; its YAML
 * routes from {@code classpath:<example>/*.camel.yaml}.
 */
public final class ExampleApplication {

    private ExampleApplication() {
    }

    /** The application of the example whose files live in the classpath folder {@code example}. */
    public static Main create(String example) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:" + example + "/application.properties");
        main.configure().withName(example);
        main.configure().withRoutesIncludePattern("classpath:" + example + "/*.camel.yaml");
        return main;
    }
}
