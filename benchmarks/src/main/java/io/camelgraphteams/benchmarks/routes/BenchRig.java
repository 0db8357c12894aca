package io.camelgraphteams.benchmarks.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.routes.GraphSettings;
import io.camelgraphteams.routes.GraphTeamsRoutesApplication;
import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

/**
 * What the benchmarks run against: a real Kafka broker (KRaft) and the routes app as shipped, both in this JVM. The
 * app runs in emulator mode (its Graph emulator created and validated the chats subscription, as always) with
 * {@code messages.sink=kafka} and without simulated traffic. The benchmark then posts batches to the app's
 * /graph/notifications itself, made with what a real Graph would use: the subscription's id and clientState, the
 * app's encryption certificate, and validation tokens signed by the emulator's identity platform (taken from real
 * deliveries of a few priming messages, which also prove the path emulator → app → Kafka works).
 */
final class BenchRig implements AutoCloseable {

    static final String TOPIC = "teams-messages-bench";
    static final String CHATS_ROUTE = "chat-messages";
    static final String NOTIFICATION_PATH = "/graph/notifications";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaBroker kafka;
    private final GraphTeamsRoutesApplication application;
    private final int port;
    private final List<String> tokens = new ArrayList<>();
    private final Set<String> primingMessageIds = new LinkedHashSet<>();

    private BenchRig(KafkaBroker kafka, GraphTeamsRoutesApplication application, int port) {
        this.kafka = kafka;
        this.application = application;
        this.port = port;
    }

    /**
     * Starts the broker (topic with {@code partitions} partitions) and the app, then primes {@code tokens} validation
     * tokens. {@code appProperties} override the app's properties (e.g. camel.component.kafka.linger-ms).
     */
    static BenchRig start(int partitions, int tokens, Map<String, String> appProperties) throws Exception {
        KafkaBroker kafka = quietly(KafkaBroker::start);
        GraphTeamsRoutesApplication application = null;
        try {
            kafka.createTopic(TOPIC, partitions);
            int port = freePort();
            application = new GraphTeamsRoutesApplication();
            application.main().addOverrideProperty(GraphSettings.HTTP_PORT, Integer.toString(port));
            application.main().addOverrideProperty(GraphSettings.MESSAGES_SINK, GraphSettings.SINK_KAFKA);
            application.main().addOverrideProperty(GraphSettings.KAFKA_BROKERS, kafka.bootstrapServers());
            application.main().addOverrideProperty(GraphSettings.KAFKA_TOPIC, TOPIC);
            application.main().addOverrideProperty(GraphSettings.DEMO_TRAFFIC_ENABLED, "false");
            appProperties.forEach(application.main()::addOverrideProperty);
            application.main().start();
            BenchRig rig = new BenchRig(kafka, application, port);
            rig.primeTokens(tokens);
            return rig;
        } catch (Exception | Error e) {
            if (application != null) {
                application.close();
            }
            kafka.close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Start<T> {
        T start() throws Exception;
    }

    /** Kafka's test kit prints its storage formatting to System.out: keep the benchmark's output to its figures. */
    private static <T> T quietly(Start<T> start) throws Exception {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return start.start();
        } finally {
            System.setOut(out);
        }
    }

    /**
     * Posts messages in the emulator one at a time and takes the validation token of each delivery: the emulator
     * signs a fresh token per delivery, with the key the app trusts through the emulator's OpenID configuration.
     */
    private void primeTokens(int count) throws Exception {
        GraphEmulator emulator = emulator();
        for (int i = 0; i < count; i++) {
            ChatMessage message = emulator.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                    NewMessage.from(DemoTenant.ADELE).content("benchmark priming message " + i).build());
            primingMessageIds.add(message.id());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String token = null;
            while (token == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the emulator did not deliver priming message " + message.id()
                                                    + " to the app within 30 s: " + emulator.deliveryLog().records());
                }
                Thread.sleep(20);
                token = deliveredToken(emulator, message.id());
            }
            tokens.add(token);
        }
    }

    private static String deliveredToken(GraphEmulator emulator, String messageId) throws IOException {
        for (DeliveryRecord record : emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION)) {
            if (record.outcome() == DeliveryRecord.Outcome.DELIVERED && record.body().contains(messageId)) {
                JsonNode tokens = JSON.readTree(record.body()).path("validationTokens");
                return tokens.isArray() && !tokens.isEmpty() ? tokens.get(0).asText() : null;
            }
        }
        return null;
    }

    /** A notification factory for the chats subscription, with this rig's tokens. */
    NotificationFactory notificationFactory(int itemSize) throws Exception {
        Subscription subscription = emulator().subscriptions().live().stream()
                .filter(s -> s.resource().equals("/chats/getAllMessages")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no chats subscription in the emulator"));
        return new NotificationFactory(subscription.id(), subscription.tenantId(), subscription.clientState(),
                certificate(), subscription.encryptionCertificateId(), itemSize, tokens);
    }

    /** The app's decryption key, read from its key store as the app reads it (graph.key-store). */
    PrivateKey privateKey() throws Exception {
        return (PrivateKey) keyStore().getKey(property(GraphSettings.CERTIFICATE_ID),
                property(GraphSettings.KEY_STORE_PASSWORD).toCharArray());
    }

    private X509Certificate certificate() throws Exception {
        return (X509Certificate) keyStore().getCertificate(property(GraphSettings.CERTIFICATE_ID));
    }

    private KeyStore keyStore() throws Exception {
        String location = property(GraphSettings.KEY_STORE);
        Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, property(GraphSettings.KEY_STORE_PASSWORD).toCharArray());
        }
        return store;
    }

    private String property(String name) {
        return context().getPropertiesComponent().resolveProperty(name)
                .orElseThrow(() -> new IllegalStateException(name + " is not set"));
    }

    CamelContext context() {
        return application.main().getCamelContext();
    }

    GraphEmulator emulator() {
        return application.embeddedGraph().emulator();
    }

    /** The graph-teams consumer of the chats route (counters). */
    GraphTeamsConsumer chatsConsumer() {
        Consumer consumer = context().getRoute(CHATS_ROUTE).getConsumer();
        return (GraphTeamsConsumer) consumer;
    }

    GraphTeamsEndpoint chatsEndpoint() {
        return chatsConsumer().getEndpoint();
    }

    /** Keys in the chats endpoint's dedup repository now; -1 when it is not the in-memory default. */
    long dedupKeys() {
        IdempotentRepository repository = chatsEndpoint().idempotentRepository();
        return repository instanceof MemoryIdempotentRepository memory ? memory.getCacheSize() : -1;
    }

    /** The consumer's counters that are not zero, duplicates skipped by its dedup included. */
    Map<String, Long> consumerCounters() {
        Map<String, Long> counters = new LinkedHashMap<>(chatsConsumer().getCounters().asMap());
        counters.put("duplicatesSkipped", chatsConsumer().getDuplicatesSkipped());
        counters.values().removeIf(value -> value == 0);
        return counters;
    }

    /** Threads of the graph-teams worker pool that decrypt and route the items (the endpoint's workerPoolSize). */
    int workerThreads() {
        int configured = chatsEndpoint().getConfiguration().getWorkerPoolSize();
        return configured > 0 ? configured : 2 * Runtime.getRuntime().availableProcessors();
    }

    int port() {
        return port;
    }

    KafkaBroker kafka() {
        return kafka;
    }

    Set<String> primingMessageIds() {
        return primingMessageIds;
    }

    int tokenCount() {
        return tokens.size();
    }

    @Override
    public void close() throws Exception {
        try {
            application.close();
        } finally {
            kafka.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
