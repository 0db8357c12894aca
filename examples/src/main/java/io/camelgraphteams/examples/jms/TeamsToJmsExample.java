package io.camelgraphteams.examples.jms;

import io.camelgraphteams.examples.ExampleApplication;
import org.apache.camel.main.Main;

/**
 * Teams messages to a JMS queue, with the notification headers as JMS properties. The route is
 * {@code teams-to-jms/teams-to-jms.camel.yaml}; the settings {@code teams-to-jms/application.properties}.
 */
public final class TeamsToJmsExample {

    public static final String NAME = "teams-to-jms";

    private TeamsToJmsExample() {
    }

    public static Main create() {
        return ExampleApplication.create(NAME);
    }

    public static void main(String[] args) throws Exception {
        create().run(args);
    }
}
