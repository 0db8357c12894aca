package io.camelgraphteams.examples.kafka;

import io.camelgraphteams.examples.ExampleApplication;
import org.apache.camel.main.Main;

/**
 * Teams chat and channel messages to one Kafka topic, keyed by conversation. The routes are
 * {@code teams-to-kafka/teams-to-kafka.camel.yaml}; the settings {@code teams-to-kafka/application.properties}.
 */
public final class TeamsToKafkaExample {

    public static final String NAME = "teams-to-kafka";

    private TeamsToKafkaExample() {
    }

    public static Main create() {
        return ExampleApplication.create(NAME);
    }

    public static void main(String[] args) throws Exception {
        create().run(args);
    }
}
