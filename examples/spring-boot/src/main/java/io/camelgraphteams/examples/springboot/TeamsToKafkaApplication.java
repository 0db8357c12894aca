package io.camelgraphteams.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Teams messages to Kafka in a Spring Boot application: the graph-teams starter serves Graph's notifications on the
 * application's own web server, {@link TeamsToKafkaRoute} forwards each message to a topic, keyed by its conversation.
 * Settings: application.yaml.
 */
@SpringBootApplication
public class TeamsToKafkaApplication {

    public static void main(String[] args) {
        SpringApplication.run(TeamsToKafkaApplication.class, args);
    }
}
