package io.camelgraphteams.testsupport.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker in KRaft mode (one node that is broker and controller) inside this JVM, from Kafka's own test
 * kit. Starting the first one in a JVM takes a few seconds. {@link #stopBroker()} shuts the broker down (its listener
 * closes, clients get connection refused) while the controller keeps running; {@link #startBroker()} starts the same
 * broker again on the same port and log directories, as Kafka's own tests do.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private KafkaConsumer<String, String> offsets;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** A broker whose data lives in a temporary folder the test kit deletes. */
    public static KafkaBroker start() throws Exception {
        return start(null);
    }

    /**
     * A broker whose data lives in {@code directory} (emptied first). Without one the test kit makes a temporary
     * folder and deletes it in a JVM shutdown hook, which races with a broker still stopping after Ctrl-C.
     */
    public static KafkaBroker start(Path directory) throws Exception {
        TestKitNodes.Builder nodesBuilder = new TestKitNodes.Builder();
        if (directory != null) {
            deleteRecursively(directory);
            Files.createDirectories(directory);
            nodesBuilder.setBaseDirectory(directory);
        }
        TestKitNodes nodes = nodesBuilder
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                // a single broker: the internal topics cannot have more replicas than that
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("unstable.api.versions.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new KafkaBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    private BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** The broker's log directories (they survive {@link #stopBroker()}). */
    public List<String> logDirs() {
        return List.copyOf(broker().config().logDirs());
    }

    /** Shuts the broker down; the controller keeps running. */
    public void stopBroker() {
        broker().shutdown();
    }

    /** Starts the stopped broker again on its port and log directories and waits until it serves. */
    public void startBroker() throws Exception {
        broker().startup();
        cluster.waitForReadyBrokers();
    }

    /** Creates a topic with {@code partitions} partitions and one replica. */
    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /**
     * Records written to the topic so far: the sum of its partitions' end offsets (0 when it does not exist). One
     * consumer serves every call, so frequent calls do not leave the broker a client (and its metrics) each.
     */
    public synchronized long recordCount(String topic) {
        if (offsets == null) {
            offsets = newConsumer();
        }
        List<TopicPartition> partitions = partitions(offsets, topic);
        return offsets.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every record on the topic right now (for small topics; see {@link #scan} for large ones). */
    public List<ConsumerRecord<String, String>> records(String topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        scan(topic, records::add);
        return records;
    }

    /**
     * Hands every record on the topic right now to {@code sink}, one at a time, reading each partition from its start
     * to its current end offset with a plain consumer (no group, so no rebalance to wait for).
     */
    public void scan(String topic, Consumer<ConsumerRecord<String, String>> sink) {
        try (KafkaConsumer<String, String> consumer = newConsumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        sink.accept(record);
                    }
                }
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        if (!consumer.listTopics().containsKey(topic)) {
            return List.of();
        }
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void close() throws Exception {
        synchronized (this) {
            if (offsets != null) {
                offsets.close();
            }
        }
        cluster.close();
    }
}
