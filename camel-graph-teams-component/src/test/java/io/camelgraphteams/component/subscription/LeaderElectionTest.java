package io.camelgraphteams.component.subscription;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.graph.RecordingFront;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.testsupport.http.RoundRobinLoadBalancer;
import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.delivery.DeliveryRecord;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.time.GraphTimings;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4: with Camel's cluster service only the leader manages the subscription and every instance receives. Two
 * CamelContexts, each with its own platform-http server and graph-teams consumer on the same resource, share Camel's
 * file-lock cluster service (one root directory).
 *
 * <p>Both instances stand behind one public notificationUrl, as in production behind an ingress: a round-robin load
 * balancer that skips an instance that is down. (Pointing notificationUrl at one instance's port would stop delivery
 * when that instance stops, which is exactly the moment under test.)
 *
 * <p>Graph time is compressed {@link #COMPRESSION} times (1 Graph day = 2 s): the maximum lifetime of 4,320 min is
 * 6 s, subscriptionLifetime (maximum minus 60 min) 5.9 s, renewBefore one day 2 s, so a takeover that left the
 * subscription unrenewed would show as a lapse within seconds.
 */
class LeaderElectionTest {

    static final long COMPRESSION = 43_200;

    @TempDir
    Path dir;
    @TempDir
    Path clusterRoot;

    EmulatedGraph graph;
    RoundRobinLoadBalancer ingress;
    final List<Instance> instances = new ArrayList<>();
    MessageFeed feed;
    SubscriptionLapseWatch watch;

    static Duration real(Duration graphTime) {
        return Duration.ofNanos(graphTime.toNanos() / COMPRESSION);
    }

    /** One Camel application: its context, its port, and its own recorded wire to Graph. */
    record Instance(String name, ReceivingContext receiving, RecordingFront wire) {

        GraphTeamsConsumer consumer() {
            return (GraphTeamsConsumer) receiving.context().getRoute(name).getConsumer();
        }

        SubscriptionStatus status() {
            return consumer().getSubscriptionStatus();
        }

        long subscriptionCalls(String method) {
            return wire.requests().stream()
                    .filter(r -> r.method().equals(method) && r.path().contains("/subscriptions")).count();
        }

        List<String> receivedMessageIds() {
            return receiving.received().stream().map(Exchange::getMessage)
                    .map(m -> m.getHeader(GraphTeamsConstants.MESSAGE_ID, String.class)).toList();
        }
    }

    @BeforeEach
    void startGraph() {
        graph = EmulatedGraph.start(GraphTimings.graphDefaults()
                .withMaxSubscriptionLifetime(real(Duration.ofMinutes(4320)))
                .withLifecycleUrlRequiredAbove(real(Duration.ofHours(1)))
                .withRetryBackoff(real(Duration.ofSeconds(10)), real(Duration.ofMinutes(15)))
                .withRetryWindow(real(Duration.ofHours(4)))
                .withBatchWindow(Duration.ofMillis(20)));
    }

    @AfterEach
    void stopAll() {
        if (feed != null) {
            feed.close();
        }
        if (watch != null) {
            watch.close();
        }
        instances.forEach(i -> {
            i.receiving().close();
            i.wire().close();
        });
        if (ingress != null) {
            ingress.close();
        }
        graph.close();
    }

    private void startIngress(int... instancePorts) throws Exception {
        ingress = RoundRobinLoadBalancer.start(java.util.Arrays.stream(instancePorts).boxed().toList());
    }

    private Instance startInstance(String name, int port) throws Exception {
        return startInstance(name, port, null);
    }

    /** @param shared the state repository both instances share (a store every instance reaches); null for none */
    private Instance startInstance(String name, int port, SharedStore shared) throws Exception {
        GraphEmulator emulator = graph.emulator();
        RecordingFront wire = RecordingFront.http(emulator.graphBaseUrl());
        String uri = "graph-teams:chats/getAllMessages?"
                     + graph.managedOptions(ingress.port(), dir).replace("&graphBaseUrl=" + emulator.graphBaseUrl(),
                             "&graphBaseUrl=" + wire.baseUrl())
                     + "&subscriptionLifetime=" + real(Duration.ofMinutes(4320 - 60)).toMillis()
                     + "&renewBefore=" + real(Duration.ofDays(1)).toMillis()
                     + "&reauthorizationInterval=" + real(Duration.ofMinutes(10)).toMillis()
                     + (shared != null ? "&stateRepository=#sharedStore" : "");
        ReceivingContext receiving = ReceivingContext.start(port, context -> {
            graph.bindTls(context);
            if (shared != null) {
                context.getRegistry().bind("sharedStore", shared);
            }
            FileLockClusterService cluster = new FileLockClusterService();
            cluster.setId(name);
            cluster.setRoot(clusterRoot.toString());
            cluster.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
            cluster.setAcquireLockInterval(100, TimeUnit.MILLISECONDS);
            try {
                context.addService(cluster);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(name).to("direct:received");
            }
        });
        Instance instance = new Instance(name, receiving, wire);
        instances.add(instance);
        return instance;
    }

    @Test
    void exactlyOneInstanceManagesAndTheOtherTakesOverWithoutALapse() throws Exception {
        int portA = ReceivingContext.freePort();
        int portB = ReceivingContext.freePort();
        startIngress(portA, portB);
        Instance a = startInstance("instance-a", portA);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> a.status().managing() && a.status().subscriptionId() != null);
        String subscriptionId = a.status().subscriptionId();
        GraphEmulator emulator = graph.emulator();
        watch = SubscriptionLapseWatch.start(emulator, Duration.ofMillis(5));
        feed = MessageFeed.start(emulator, CHAT, USER_A);
        Instance b = startInstance("instance-b", portB);

        // exactly one manages: A renews while B, running and receiving, never manages and never calls Graph
        await().atMost(10, TimeUnit.SECONDS)
                .failFast("both instances manage", () -> b.status().managing())
                .until(() -> a.status().renewals() >= 1 && !b.receivedMessageIds().isEmpty());
        assertThat(a.status().managing()).isTrue();
        assertThat(b.status().managing()).isFalse();
        List<Subscription> live = emulator.subscriptions().live();
        assertThat(live).hasSize(1);
        assertThat(live.get(0).id()).isEqualTo(subscriptionId);
        assertThat(a.subscriptionCalls("POST")).as("subscriptions A created").isEqualTo(1);
        assertThat(b.wire().requests()).as("B's calls to Graph while A leads").isEmpty();
        assertThat(a.receivedMessageIds()).as("A receives too").isNotEmpty();

        // the leader stops: B takes over the same subscription, without creating one, before it could lapse
        Instant leaseFromA = a.status().expiration();
        a.receiving().context().stop();
        await().atMost(5, TimeUnit.SECONDS)
                .failFast("Graph held no subscription", () -> !watch.lapses().isEmpty())
                .until(() -> b.status().managing() && b.status().adoptions() == 1);
        assertThat(b.status().subscriptionId()).isEqualTo(subscriptionId);
        // and keeps it: renewed again on schedule, past the end of the lifetime A last gave it
        long renewalsAtTakeover = b.status().renewals();
        await().atMost(real(Duration.ofMinutes(4320)).multipliedBy(2))
                .failFast("Graph held no subscription", () -> !watch.lapses().isEmpty())
                .until(() -> b.status().renewals() > renewalsAtTakeover && Instant.now().isAfter(leaseFromA));
        int receivedByBAfterTakeover = b.receivedMessageIds().size();
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.receivedMessageIds().size() > receivedByBAfterTakeover);

        feed.stop();
        List<String> posted = feed.posted();
        await().atMost(10, TimeUnit.SECONDS).until(() -> receivedByEither(a, b).containsAll(posted));
        watch.close();

        assertThat(watch.lapses()).as("moments Graph held no subscription").isEmpty();
        assertThat(watch.subscriptionIdsSeen()).containsExactly(subscriptionId);
        assertThat(b.status().adoptions()).isEqualTo(1);
        assertThat(b.status().creations()).isZero();
        assertThat(b.status().recreations()).isZero();
        assertThat(b.subscriptionCalls("POST")).as("subscriptions B created").isZero();
        assertThat(a.subscriptionCalls("POST")).as("subscriptions A created").isEqualTo(1);
        assertThat(emulator.subscriptions().live()).extracting(Subscription::id).containsExactly(subscriptionId);
        assertThat(receivedByEither(a, b)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(posted);
    }

    private static List<String> receivedByEither(Instance a, Instance b) {
        return Stream.concat(a.receivedMessageIds().stream(), b.receivedMessageIds().stream()).toList();
    }

    @Test
    void aLifecycleEventTheFollowerReceivesReachesTheLeader() throws Exception {
        int portA = ReceivingContext.freePort();
        int portB = ReceivingContext.freePort();
        startIngress(portA, portB);
        Instance a = startInstance("instance-a", portA);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> a.status().managing() && a.status().subscriptionId() != null);
        Instance b = startInstance("instance-b", portB);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.consumer().isListening());
        String subscriptionId = a.status().subscriptionId();

        // the ingress alternates: half the events land on the follower first
        int events = 6;
        for (int i = 1; i <= events; i++) {
            graph.emulator().sendLifecycleEvent(subscriptionId, LifecycleEvent.REAUTHORIZATION_REQUIRED);
            int handled = i;
            await().atMost(5, TimeUnit.SECONDS).until(() -> a.status().lifecycleEvents() >= handled);
        }

        assertThat(b.status().managing()).isFalse();
        assertThat(a.status().lifecycleEvents()).isEqualTo(events);
        assertThat(a.status().reauthorizations() + a.status().renewals()).isGreaterThanOrEqualTo(events);
        assertThat(b.wire().requests()).as("the follower's calls to Graph").isEmpty();
    }

    @Test
    void withAnInboxInTheSharedStoreTheFollowerAnswers202AndTheLeaderActsAtOnce() throws Exception {
        SharedStore shared = new SharedStore();
        int portA = ReceivingContext.freePort();
        int portB = ReceivingContext.freePort();
        startIngress(portA, portB);
        Instance a = startInstance("instance-a", portA, shared);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> a.status().managing() && a.status().subscriptionId() != null);
        Instance b = startInstance("instance-b", portB, shared);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.consumer().isListening());
        String subscriptionId = a.status().subscriptionId();

        int events = 6;
        for (int i = 1; i <= events; i++) {
            graph.emulator().sendLifecycleEvent(subscriptionId, LifecycleEvent.REAUTHORIZATION_REQUIRED);
            int handled = i;
            await().atMost(5, TimeUnit.SECONDS).until(() -> a.status().lifecycleEvents() >= handled);
        }

        // every lifecycle notification accepted at its first delivery: the follower kept its share for the leader
        assertThat(graph.emulator().deliveryLog().records(DeliveryRecord.Kind.LIFECYCLE)).hasSize(events)
                .allMatch(d -> d.attempt() == 1 && d.outcome() == DeliveryRecord.Outcome.DELIVERED);
        assertThat(shared.posted).as("events the follower kept").isPositive();
        assertThat(b.status().managing()).isFalse();
        assertThat(a.status().lifecycleEvents()).isEqualTo(events);
        assertThat(a.status().reauthorizations() + a.status().renewals()).isGreaterThanOrEqualTo(1);
        assertThat(b.wire().requests()).as("the follower's calls to Graph").isEmpty();
    }

    /** One store both instances reach, as a shared database would be: state and the lifecycle event inbox. */
    static final class SharedStore extends MemoryStateRepository implements LifecycleEventInbox {

        private final Map<String, List<PostedLifecycleEvent>> inbox = new HashMap<>();
        int posted;

        @Override
        public synchronized void post(String namespace, String subscriptionId, String lifecycleEvent) {
            inbox.computeIfAbsent(namespace, any -> new ArrayList<>()).add(
                    new PostedLifecycleEvent(subscriptionId, lifecycleEvent));
            posted++;
        }

        @Override
        public synchronized List<PostedLifecycleEvent> take(String namespace) {
            List<PostedLifecycleEvent> taken = inbox.remove(namespace);
            return taken != null ? taken : List.of();
        }
    }
}
