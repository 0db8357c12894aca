package io.camelgraphteams.examples.receiveonly;

import io.camelgraphteams.examples.ExampleApplication;
import org.apache.camel.main.Main;

/**
 * A receive-only consumer (the Graph subscription is created and renewed elsewhere) that writes every notification
 * to a file. The route is {@code receive-only-to-files/receive-only-to-files.camel.yaml}; the settings
 * {@code receive-only-to-files/application.properties}.
 */
public final class ReceiveOnlyExample {

    public static final String NAME = "receive-only-to-files";

    private ReceiveOnlyExample() {
    }

    public static Main create() {
        return ExampleApplication.create(NAME);
    }

    public static void main(String[] args) throws Exception {
        create().run(args);
    }
}
