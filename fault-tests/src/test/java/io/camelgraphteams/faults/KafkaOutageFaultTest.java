package io.camelgraphteams.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.camelgraphteams.faults.support.Deliveries;
import io.camelgraphteams.faults.support.ExactlyOnce;
import io.camelgraphteams.faults.support.FaultGraph;
import io.camelgraphteams.faults.support.PostedVersions;
import io.camelgraphteams.faults.support.ReceivingApp;
import io.camelgraphteams.faults.support.SinkLine;
import io.camelgraphteams.faults.support.TeamsTraffic;
import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 2: the sink is a real Kafka broker (KRaft), stopped for 30 seconds while messages keep coming, then started
 * again on the same port and log directories. While it is down every exchange fails (the producer gives up after its
 * delivery timeout, shorter than Graph's 3 seconds), the consumer answers 503 and Graph keeps retrying; once the broker
 * is back the retries go through. The topic, read back with a plain Kafka consumer, holds every message version
 * exactly once.
 */
class KafkaOutageFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutageFaultTest.class);
    private static final String TOPIC = "teams-messages";
    private static final int STEPS = 220;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void everyVersionOnceOnTheTopicAcrossA30SecondBrokerOutage() throws Exception {
        PostedVersions posted = new PostedVersions();
        try (KafkaBroker kafka = KafkaBroker.start(); FaultGraph graph = FaultGraph.start(directory,
                // Graph's own rule on: after 100 answers, 10 % slow throttles the endpoint, 15 % drops it
                builder -> builder.endpointHealthMinSamples(100))) {
            kafka.createTopic(TOPIC, 3);
            String bootstrap = kafka.bootstrapServers();
            List<String> logDirs = kafka.logDirs();
            // the producer fails a record it cannot deliver in 2.5 s: the consumer answers Graph (503) within Graph's
            // 3 s, and nothing is left in the producer to be written later behind the app's back
            String sink = "kafka:" + TOPIC + "?brokers=" + bootstrap
                          + "&requestTimeoutMs=2000&deliveryTimeoutMs=2500&maxBlockMs=2000&lingerMs=0"
                          + "&retryBackoffMs=100&reconnectBackoffMaxMs=500";
            int port = AvailablePortFinder.getNextAvailable();
            try (ReceivingApp app = ReceivingApp.builder(graph, port)
                    .route("chats", "chats/getAllMessages", Map.of())
                    .route("channels", "teams/getAllMessages", Map.of())
                    .sink(sink)
                    .start();
                    TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 10)) {
                Deliveries deliveries = new Deliveries(graph.emulator());
                // one message every 200 ms for 44 s; the broker is down from about 8 s to 38 s
                traffic.start(STEPS, Duration.ofMillis(200));
                await().atMost(Duration.ofSeconds(60)).until(() -> traffic.steps() >= 40);
                long failedBefore = deliveries.failedAttempts();

                // between two messages: a record the broker wrote but could not acknowledge before it went down would
                // fail its exchange and come again through Graph's retry (Kafka's at-least-once, not the consumer's)
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> app.inflight() == 0);
                LOG.info("Stopping the Kafka broker for {} s after {} steps", OUTAGE.toSeconds(), traffic.steps());
                kafka.stopBroker();
                int stepsAtStop = traffic.steps();
                // the outage itself: a fixed time by design, the messages keep coming meanwhile
                Thread.sleep(OUTAGE.toMillis());
                int stepsDuringOutage = traffic.steps() - stepsAtStop;
                long failedDuringOutage = deliveries.failedAttempts() - failedBefore;
                LOG.info("Starting the Kafka broker again; {} steps and {} failed delivery attempts during the outage",
                        stepsDuringOutage, failedDuringOutage);
                kafka.startBroker();
                assertThat(kafka.bootstrapServers()).as("same port").isEqualTo(bootstrap);
                assertThat(kafka.logDirs()).as("same log directories").isEqualTo(logDirs);

                traffic.awaitDone(Duration.ofSeconds(90));
                try {
                    ExactlyOnce.assertEventually("topic " + TOPIC, () -> kafka.records(TOPIC).stream()
                            .map(r -> SinkLine.parse(r.value().trim())).toList(), posted, deliveries, app::inflight,
                            Duration.ofSeconds(90));
                } finally {
                    LOG.info("{} versions posted; {} POSTs answered 503, {} acknowledged after Graph's 3 s, {} items "
                             + "skipped as duplicates; highest attempt {}", posted.size(), deliveries.answered(503),
                            deliveries.lateAcknowledgements(), app.consumer("chats").getDuplicatesSkipped()
                                    + app.consumer("channels").getDuplicatesSkipped(), deliveries.maxAttempt());
                }
                assertThat(stepsDuringOutage).as("messages posted while the broker was down").isGreaterThan(100);
                assertThat(failedDuringOutage).as("deliveries Graph had to retry during the outage").isPositive();
                assertThat(deliveries.answered(503)).as("batches answered 503 while Kafka was down").isPositive();
                // never late: Graph counts an answer after 2,900 ms as slow, and throttles, then drops, for too many
                deliveries.assertNeverSlow(LOG);
            }
        }
    }
}
