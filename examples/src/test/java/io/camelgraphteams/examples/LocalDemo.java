package io.camelgraphteams.examples;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.examples.jms.TeamsToJmsExample;
import io.camelgraphteams.examples.kafka.TeamsToKafkaExample;
import io.camelgraphteams.examples.receiveonly.ReceiveOnlyExample;
import io.camelgraphteams.examples.support.ArtemisBroker;
import io.camelgraphteams.examples.support.EmulatedTeams;
import io.camelgraphteams.examples.support.TeamsConversations;
import io.camelgraphteams.examples.triage.TeamsTriageExample;
import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one example on this machine with no Microsoft tenant and no broker installed: the Graph emulator, the
 * broker(s) the example needs (a KRaft Kafka, an Artemis) and the example itself, all in this JVM, plus simulated
 * Teams traffic every few seconds. It logs what each destination receives. Ctrl-C stops it.
 *
 * <pre>
 * mvn -q -pl examples test-compile exec:java -Dexec.args=teams-to-kafka
 * </pre>
 *
 * Arguments: the example (teams-to-kafka, teams-to-jms, teams-triage, receive-only-to-files). System properties:
 * http.port (default 8080), demo.interval-ms (default 3000).
 */
public final class LocalDemo {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDemo.class);
    private static final List<String> EXAMPLES = List.of(TeamsToKafkaExample.NAME, TeamsToJmsExample.NAME,
            TeamsTriageExample.NAME, ReceiveOnlyExample.NAME);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    private LocalDemo() {
    }

    public static void main(String[] args) throws Exception {
        String example = args.length > 0 ? args[0] : TeamsToKafkaExample.NAME;
        if (!EXAMPLES.contains(example)) {
            System.err.println("Unknown example '" + example + "'; one of " + EXAMPLES);
            System.exit(2);
        }
        LocalDemo demo = new LocalDemo();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.stop();
            stopped.countDown();
        }, "local-demo-shutdown"));
        try {
            demo.start(example, Integer.getInteger("http.port", 8080), Long.getLong("demo.interval-ms", 3000));
        } catch (Exception e) {
            LOG.error("The demo could not start: {}", e.getMessage(), e);
            System.exit(1);
        }
        stopped.await();
    }

    private void start(String example, int httpPort, long intervalMillis) throws Exception {
        Path work = Path.of("target", "local-demo", example).toAbsolutePath();
        EmulatedTeams graph = EmulatedTeams.start(work.resolve("keys"));
        running.push(graph);
        Main application = switch (example) {
        case TeamsToKafkaExample.NAME -> TeamsToKafkaExample.create();
        case TeamsToJmsExample.NAME -> TeamsToJmsExample.create();
        case TeamsTriageExample.NAME -> TeamsTriageExample.create();
        default -> ReceiveOnlyExample.create();
        };
        graph.configure(application, httpPort);

        if (example.equals(TeamsToKafkaExample.NAME) || example.equals(TeamsTriageExample.NAME)) {
            KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"));
            running.push(kafka);
            kafka.createTopic("teams-messages", 3);
            application.addOverrideProperty("kafka.brokers", kafka.bootstrapServers());
            watchTopic(kafka, "teams-messages");
        }
        if (example.equals(TeamsToJmsExample.NAME) || example.equals(TeamsTriageExample.NAME)) {
            ArtemisBroker artemis = ArtemisBroker.start(work.resolve("artemis"));
            running.push(artemis);
            application.addOverrideProperty("jms.broker-url", artemis.url());
            watchQueue(artemis, example.equals(TeamsTriageExample.NAME) ? "teams.mentions" : "teams.messages");
        }
        if (example.equals(TeamsTriageExample.NAME)) {
            application.addOverrideProperty("triage.mentioned-user-id", DemoTenant.ADELE);
            application.addOverrideProperty("triage.audit-directory", work.resolve("audit").toString());
        }
        if (example.equals(ReceiveOnlyExample.NAME)) {
            application.addOverrideProperty("output.directory", work.resolve("notifications").toString());
        }

        application.start();
        running.push(application::stop);
        if (example.equals(ReceiveOnlyExample.NAME)) {
            // receive only: the subscription is created "elsewhere", here, as any Graph client would
            graph.subscribe("/" + application.getCamelContext().resolvePropertyPlaceholders("{{graph.resource}}"),
                    "http://localhost:" + httpPort + "/graph/notifications",
                    "http://localhost:" + httpPort + "/graph/lifecycle");
        }

        TeamsConversations conversations = new TeamsConversations(graph.teams());
        running.push(conversations);
        conversations.start(intervalMillis);
        LOG.info("Example {} runs against the Graph emulator ({}); files under {}. Ctrl-C stops it.", example,
                graph.emulator().graphV1Url(), work);
    }

    private void watchTopic(KafkaBroker kafka, String topic) {
        AtomicInteger seen = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                try {
                    Thread.sleep(1000);
                    List<ConsumerRecord<String, String>> records = kafka.records(topic);
                    for (ConsumerRecord<String, String> record : records.subList(Math.min(seen.get(), records.size()),
                            records.size())) {
                        LOG.info("Kafka {} partition {} key {}: {} bytes", topic, record.partition(), record.key(),
                                record.value().length());
                    }
                    seen.set(records.size());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.debug("topic watcher: {}", e.getMessage());
                }
            }
        }, "kafka-topic-watcher");
        watcher.setDaemon(true);
        watcher.start();
        // not interrupted: a Kafka consumer interrupted while it closes logs a stack trace
        running.push(() -> {
            watching.set(false);
            watcher.join(5000);
        });
    }

    private void watchQueue(ArtemisBroker artemis, String queue) throws Exception {
        Connection connection = artemis.connectionFactory().createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createQueue(queue)).setMessageListener(message -> {
            try {
                LOG.info("JMS {}: {} message {} of chat {} ({} characters)", queue,
                        message.getStringProperty("CamelGraphTeamsChangeType"),
                        message.getStringProperty("CamelGraphTeamsMessageId"),
                        message.getStringProperty("CamelGraphTeamsChatId"), ((TextMessage) message).getText().length());
            } catch (Exception e) {
                LOG.warn("queue watcher: {}", e.getMessage());
            }
        });
        connection.start();
        running.push(connection::close);
    }

    private void stop() {
        LOG.info("Stopping the demo");
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.getMessage());
            }
        }
        LOG.info("Demo stopped");
    }
}
