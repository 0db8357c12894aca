package io.camelgraphteams.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.faults.child.ChildJvm;
import io.camelgraphteams.faults.child.RoutesAppInstance;
import io.camelgraphteams.faults.support.Deliveries;
import io.camelgraphteams.faults.support.ExactlyOnce;
import io.camelgraphteams.faults.support.FaultGraph;
import io.camelgraphteams.faults.support.PostedVersions;
import io.camelgraphteams.faults.support.SinkLine;
import io.camelgraphteams.faults.support.TeamsTraffic;
import io.camelgraphteams.testsupport.http.RoundRobinLoadBalancer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 8, several instances: three replicas of the routes app (child JVMs, graph.storage=postgres on one real
 * PostgreSQL) behind a round-robin HTTPS load balancer, the only URL Graph knows. The emulator delivers through it,
 * with managed subscriptions, encryption and validation tokens, in compressed Graph time (subscriptions of 60 s,
 * renewed 40 s before they expire, so a lapse would show within the run). The scenarios run in order on the same three
 * instances, with Teams traffic throughout each; after each one, every version posted so far is in the sinks exactly
 * once (the three instances' message folders together), and the two subscriptions are the ones created at the start
 * (never lapsed, never recreated), renewed past their first expiry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralInstancesFaultTest {

    private static final Logger LOG = LoggerFactory.getLogger(SeveralInstancesFaultTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LEASE = Duration.ofSeconds(3);
    /** The lease runs out, and a follower asks again within a third of it; the rest is a loaded 2-core machine. */
    private static final Duration TAKEOVER_BOUND = LEASE.plus(LEASE.dividedBy(3)).plusSeconds(2);
    private static final Duration CHILD_START = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final Duration POSTGRES_DOWN = Duration.ofSeconds(20);
    private static final String KEY_PASSWORD = "ingress-key-password";

    // one directory for the whole class: the instances live across the scenarios
    @TempDir
    static Path directory;

    private EmbeddedPostgres postgres;
    private int postgresPort;
    private FaultGraph graph;
    private RoundRobinLoadBalancer ingress;
    private final List<Instance> instances = new ArrayList<>();
    private final PostedVersions posted = new PostedVersions();
    private final Map<String, Instant> firstExpiry = new LinkedHashMap<>();
    private final Set<String> writtenByTheKilled = ConcurrentHashMap.newKeySet();

    /** One replica: its port, its own message folder (so that the sinks show which instance wrote what). */
    private record Instance(String name, int port, Path messages, ChildJvm jvm) {
    }

    @BeforeAll
    void startThreeInstancesBehindTheIngress() throws Exception {
        postgres = startPostgres(0);
        postgresPort = postgres.getPort();
        graph = FaultGraph.start(directory);
        List<Integer> ports = List.of(AvailablePortFinder.getNextAvailable(), AvailablePortFinder.getNextAvailable(),
                AvailablePortFinder.getNextAvailable());
        ingress = RoundRobinLoadBalancer.startHttps(ports, ingressTls());
        Path trustStore = graph.writeTrustStore(directory.resolve("emulator-trust.p12"));
        List<String> jvmOptions = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Djavax.net.ssl.trustStore=" + trustStore.toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=" + FaultGraph.TRUST_STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
        for (int i = 0; i < ports.size(); i++) {
            String name = "instance-" + (i + 1);
            Path home = Files.createDirectories(directory.resolve(name));
            Map<String, String> settings = new LinkedHashMap<>(graph.routesAppSettings(ingress.url("")));
            settings.put("http.port", Integer.toString(ports.get(i)));
            settings.put("http.host", "127.0.0.1");
            settings.put("management.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
            settings.put("management.host", "127.0.0.1");
            settings.put("messages.dir", home.resolve("messages").toAbsolutePath().toString());
            settings.put("graph.storage", "postgres");
            settings.put("graph.postgres.url", jdbcUrl());
            settings.put("graph.cluster.lease", Long.toString(LEASE.toMillis()));
            settings.put("graph.backfill-interval", "20000");
            // compressed Graph time: a subscription that is not renewed lapses within the run
            settings.put("camel.component.graph-teams.subscription-lifetime", "60000");
            settings.put("camel.component.graph-teams.renew-before", "40000");
            instances.add(new Instance(name, ports.get(i), home.resolve("messages"),
                    new ChildJvm(home, settings, RoutesAppInstance.class, jvmOptions)));
        }
        startAll(instances);
        await("two subscriptions, created by the leader").atMost(Duration.ofSeconds(60))
                .until(() -> graph.emulator().subscriptions().live().size() == 2);
        graph.emulator().subscriptions().live().forEach(s -> firstExpiry.put(s.id(), s.expirationDateTime()));
        LOG.info("Three instances on ports {} behind {}; subscriptions {}", ports, ingress.url(""), firstExpiry);
        try (TeamsTraffic greeting = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 0)) {
            greeting.greetEveryConversation();
        }
        assertExactlyOnce("the greeting");
    }

    @AfterAll
    void stopEverything() throws Exception {
        // the instances' logs outlive the temporary directory, for a look after a failure in CI
        Path logs = Files.createDirectories(Path.of("target", "several-instances"));
        for (Instance instance : instances) {
            instance.jvm().stop();
            Files.writeString(logs.resolve(instance.name() + ".log"), instance.jvm().log());
        }
        if (ingress != null) {
            ingress.close();
        }
        if (graph != null) {
            graph.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void theLeaderKilledMidStreamAnotherTakesOverWithinTheBound() throws Exception {
        try (TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 5)) {
            traffic.start(200, Duration.ofMillis(50));
            await().atMost(Duration.ofSeconds(30)).until(() -> traffic.steps() >= 60);
            Map<String, Lease> before = leases();
            Instance leader = holderOf(before.values().iterator().next());
            Set<String> led = before.entrySet().stream().filter(e -> holderOf(e.getValue()) == leader)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            long killedAt = System.nanoTime();
            int exit = leader.jvm().kill();
            assertThat(exit).as("killed by SIGKILL").isEqualTo(137);
            Set<String> writtenBeforeTheKill = sink().stream().filter(line -> line.source().equals(leader.name()))
                    .map(SinkLine::version).collect(Collectors.toSet());
            awaitMillis("a new leader of " + led, TAKEOVER_BOUND, () -> {
                Map<String, Lease> now = leases();
                return led.stream().allMatch(namespace -> now.containsKey(namespace)
                                                          && now.get(namespace).epoch() > before.get(namespace).epoch()
                                                          && holderOf(now.get(namespace)) != leader);
            });
            long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            LOG.info("FIGURE takeover: {} of {} ({} namespaces) killed, new leader after {} ms (lease {} ms)",
                    leader.name(), leases().values(), led.size(), takeoverMillis, LEASE.toMillis());
            traffic.awaitDone(Duration.ofSeconds(60));
            leader.jvm().start(CHILD_START);
            // the one place exactly-once ends (fault-tolerance.md): the killed instance wrote a version and died
            // before its key reached PostgreSQL; its claim lapses and another instance writes the version again.
            // Such a version is excused once; any other copy fails the check
            await("Graph and the instances settle").atMost(SETTLE).pollInterval(Duration.ofMillis(250))
                    .until(() -> posted.allIn(sink()) && new Deliveries(graph.emulator()).awaitingRetry() == 0);
            sink().stream().collect(Collectors.groupingBy(SinkLine::version)).forEach((version, copies) -> {
                if (copies.size() == 2 && writtenBeforeTheKill.contains(version)) {
                    writtenByTheKilled.add(version);
                }
            });
            LOG.info("FIGURE takeover: {} versions written again, each written by the killed leader just before it "
                     + "died", writtenByTheKilled.size());
            assertThat(writtenByTheKilled).as("no more than the changes in flight at the kill")
                    .hasSizeLessThanOrEqualTo(5);
            assertExactlyOnce("after the leader's kill");
        }
    }

    @Test
    @Order(2)
    void twoCopiesAtTheSameInstantOnTwoInstancesAreRoutedOnce() throws Exception {
        long duplicatesBefore = new Deliveries(graph.emulator()).duplicates().size();
        graph.emulator().chaos().duplicateDeliveries(1.0).duplicatesAtOnce(true);
        try (TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 5)) {
            traffic.start(150, Duration.ofMillis(40));
            traffic.awaitDone(Duration.ofSeconds(60));
            assertExactlyOnce("with every batch twice at once");
        } finally {
            graph.emulator().chaos().reset();
        }
        Deliveries deliveries = new Deliveries(graph.emulator());
        List<DeliveryRecord> copies = deliveries.duplicates().subList((int) duplicatesBefore,
                deliveries.duplicates().size());
        Map<Integer, Long> byStatus = copies.stream()
                .collect(Collectors.groupingBy(DeliveryRecord::status, TreeMap::new, Collectors.counting()));
        LOG.info("FIGURE doubled deliveries: {} second copies sent at the same instant as their first, answered {}; "
                 + "requests per instance {}", copies.size(), byStatus,
                instances.stream().map(i -> i.name() + "=" + ingress.answeredBy(i.port())).toList());
        assertThat(copies).as("second copies sent").isNotEmpty();
    }

    @Test
    @Order(3)
    void postgresStoppedForTwentySecondsThenRestarted() throws Exception {
        Deliveries deliveries = new Deliveries(graph.emulator());
        long refusedBefore = deliveries.answered(503);
        try (TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 5)) {
            traffic.start(400, Duration.ofMillis(75));
            await().atMost(Duration.ofSeconds(30)).until(() -> traffic.steps() >= 50);
            Instant downAt = Instant.now();
            postgres.close();
            postgres = null;
            long down = System.nanoTime();
            LOG.info("PostgreSQL stopped after {} steps", traffic.steps());
            Thread.sleep(Math.max(0, POSTGRES_DOWN.toMillis() - (System.nanoTime() - down) / 1_000_000));
            postgres = startPostgres(postgresPort);
            Instant upAt = Instant.now();
            // Graph must get its answer in time even with the database gone: 503 at the answer deadline (2.5 s).
            // Elapsed counts from the send; an attempt the emulator gave up while it still waited for one of its own
            // 32 connections to the ingress (status 0, Graph's 10 s over before the send's answer was due) is
            // counted apart: the instances never saw it late
            List<DeliveryRecord> whileDown = deliveries.notifications().stream()
                    .filter(r -> !r.sentAt().isBefore(downAt) && r.sentAt().isBefore(upAt)).toList();
            LOG.info("FIGURE database outage: {} delivery attempts while it was down: {} answered, the slowest after "
                     + "{} ms, {} past 2,900 ms; {} given up by the emulator queued behind its own connection pool",
                    whileDown.size(), whileDown.stream().filter(r -> r.status() != 0).count(),
                    whileDown.stream().filter(r -> r.status() != 0).mapToLong(DeliveryRecord::elapsedMillis).max()
                            .orElse(0), whileDown.stream().filter(r -> r.elapsedMillis() > 2900).count(),
                    whileDown.stream().filter(r -> r.status() == 0).count());
            assertThat(whileDown).as("answers while PostgreSQL was down, all within Graph's 2,900 ms of the send")
                    .isNotEmpty().allSatisfy(r -> assertThat(r.elapsedMillis()).as(r.toString())
                            .isLessThanOrEqualTo(2900));
            assertThat(whileDown).as("answered 503 while PostgreSQL was down")
                    .anySatisfy(r -> assertThat(r.status()).isEqualTo(503));
            LOG.info("PostgreSQL restarted after {} ms, {} steps", (System.nanoTime() - down) / 1_000_000,
                    traffic.steps());
            long led = awaitMillis("a leader again", Duration.ofSeconds(30), () -> leases().size() == 2);
            LOG.info("FIGURE database outage: a leader of both subscriptions {} ms after PostgreSQL was back", led);
            traffic.awaitDone(Duration.ofSeconds(90));
            assertExactlyOnce("after PostgreSQL's outage");
        }
        long refused = deliveries.answered(503) - refusedBefore;
        LOG.info("FIGURE database outage: {} batches answered 503 while it was down", refused);
        assertThat(refused).as("batches refused while PostgreSQL was down").isPositive();
    }

    @Test
    @Order(4)
    void aRollingRestartOfAllThreeLeavesNoGap() throws Exception {
        try (TeamsTraffic traffic = new TeamsTraffic(graph.teams(), posted, TeamsTraffic.ALL, 5)) {
            traffic.start(600, Duration.ofMillis(60));
            for (Instance instance : instances) {
                await().atMost(Duration.ofSeconds(30)).until(() -> traffic.steps() >= 20);
                long stop = System.nanoTime();
                instance.jvm().stop();
                instance.jvm().start(CHILD_START);
                LOG.info("FIGURE rolling restart: {} stopped and started again in {} ms ({} steps so far)",
                        instance.name(), (System.nanoTime() - stop) / 1_000_000, traffic.steps());
            }
            traffic.awaitDone(Duration.ofSeconds(90));
            assertExactlyOnce("after the rolling restart");
        }
        Deliveries deliveries = new Deliveries(graph.emulator());
        LOG.info("FIGURE whole run: {} versions posted, {} notification attempts, {} answered 503, {} answered past "
                 + "2,900 ms, {} given up by the emulator before an answer ({} of them more than 2,900 ms after the "
                 + "send), {} acknowledged late", posted.size(),
                deliveries.notifications().size(), deliveries.answered(503),
                deliveries.notifications().stream().filter(r -> r.status() != 0 && r.elapsedMillis() > 2900).count(),
                deliveries.answered(0),
                deliveries.notifications().stream().filter(r -> r.status() == 0 && r.elapsedMillis() > 2900).count(),
                deliveries.lateAcknowledgements());
        assertThat(deliveries.lateAcknowledgements()).as("202s after Graph's 3 s delivery timeout").isZero();
        // the run outlived the subscriptions' first lifetime: they are alive because they were renewed
        assertThat(Instant.now()).as("past the first expiry").isAfter(firstExpiry.values().stream()
                .max(Instant::compareTo).orElseThrow());
        assertThat(graph.emulator().subscriptions().live()).allSatisfy(s -> assertThat(s.expirationDateTime())
                .as("renewed").isAfter(firstExpiry.get(s.id())));
    }

    /** Every version posted so far in the three sinks exactly once, and the subscriptions of the start still live. */
    private void assertExactlyOnce(String when) {
        try {
            ExactlyOnce.assertEventually("the three sinks " + when, this::checkedSink, posted,
                    new Deliveries(graph.emulator()), () -> 0, SETTLE);
        } catch (AssertionError e) {
            instances.forEach(i -> LOG.error("The log of {}:\n{}", i.name(), i.jvm().log()));
            throw e;
        }
        List<Subscription> live = graph.emulator().subscriptions().live();
        assertThat(live).as("the subscriptions created at the start, never lapsed nor recreated")
                .extracting(Subscription::id).containsExactlyInAnyOrderElementsOf(firstExpiry.keySet());
        LOG.info("{}: {} versions, each once; subscriptions expire at {}", when, posted.size(),
                live.stream().map(Subscription::expirationDateTime).toList());
    }

    /** The sinks with each version the killed leader had written before it died counted once. */
    private List<SinkLine> checkedSink() {
        Set<String> kept = new HashSet<>();
        return sink().stream().filter(line -> !writtenByTheKilled.contains(line.version()) || kept.add(line.version()))
                .toList();
    }

    /** What the three instances wrote: one file per exchange, named message id, change type, exchange id. */
    private List<SinkLine> sink() {
        List<SinkLine> lines = new ArrayList<>();
        for (Instance instance : instances) {
            if (!Files.isDirectory(instance.messages())) {
                continue;
            }
            try (Stream<Path> files = Files.list(instance.messages())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                    JsonNode message = JSON.readTree(file.toFile());
                    String name = file.getFileName().toString();
                    String changeType = Stream.of("created", "updated", "deleted")
                            .filter(type -> name.contains("-" + type + "-")).findFirst().orElse(null);
                    lines.add(new SinkLine(message.path("id").asText(null), message.path("etag").asText(null),
                            changeType, instance.name()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** A namespace's lease row: its holder (hostname-pid-random) and epoch, when unexpired by the database's clock. */
    private record Lease(String holder, long epoch) {
    }

    private Map<String, Lease> leases() throws SQLException {
        Map<String, Lease> leases = new LinkedHashMap<>();
        try (Connection connection = database().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT namespace, holder, epoch FROM graph_teams_cluster_lease "
                                                     + "WHERE expires_at > now() ORDER BY namespace")) {
            while (rows.next()) {
                leases.put(rows.getString(1), new Lease(rows.getString(2), rows.getLong(3)));
            }
        }
        return leases;
    }

    private Instance holderOf(Lease lease) {
        return instances.stream().filter(i -> i.jvm().isAlive() && lease.holder().contains("-" + i.jvm().pid() + "-"))
                .findFirst().orElse(null);
    }

    private PGSimpleDataSource database() {
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(jdbcUrl());
        database.setConnectTimeout(2);
        return database;
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgresPort + "/postgres?user=postgres";
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        Path data = Files.createDirectories(directory.resolve("postgres-data"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data)
                .setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /** Waits until {@code condition} holds, polling every 100 ms; returns how long it took. */
    private static long awaitMillis(String what, Duration atMost, Callable<Boolean> condition) {
        long start = System.nanoTime();
        await(what).atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void startAll(List<Instance> instances) throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(instances.size());
        try {
            List<Future<Void>> started = new ArrayList<>();
            for (Instance instance : instances) {
                started.add(starter.submit(() -> {
                    instance.jvm().start(CHILD_START);
                    return null;
                }));
            }
            for (Future<Void> start : started) {
                start.get();
            }
        } finally {
            starter.shutdownNow();
        }
    }

    /** The ingress's TLS: a self-signed certificate for localhost, which the emulator (as Graph here) accepts. */
    private static SSLContext ingressTls() throws Exception {
        KeyStore keys = SelfSignedCertificate.forLocalhost().keyStore(KEY_PASSWORD.toCharArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, KEY_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        return tls;
    }
}
