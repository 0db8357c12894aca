package io.camelgraphteams.emulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.camelgraphteams.emulator.delivery.ValidationTokenVersion;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.subscriptions.SubscriptionQuotas;
import io.camelgraphteams.emulator.time.GraphTimings;

/** Configures a {@link GraphEmulator} ({@link GraphEmulator#builder()}); every setting has a working default. */
public final class GraphEmulatorBuilder {
    String host = "127.0.0.1";
    int graphPort;
    int identityPort;
    String tenantId = "11111111-2222-3333-4444-555555555555";
    final List<String> extraTenants = new ArrayList<>();
    Clock clock;
    GraphTimings timings = GraphTimings.graphDefaults();
    final List<RegisteredApp> apps = new ArrayList<>();
    SeedData seed = SeedData.empty();
    SubscriptionQuotas quotas = SubscriptionQuotas.graphDefaults();
    ValidationTokenVersion validationTokenVersion = ValidationTokenVersion.V1;
    long chaosSeed = 42;
    int maxBatchSize = 50;
    int deliveryLogCapacity = 10_000;
    boolean trustAllNotificationCertificates = true;
    int endpointHealthMinSamples = 10;
    int evaluationModeCap;

    GraphEmulatorBuilder() {
    }

    /** Teams data to load (users, teams, channels, chats, messages); default none. */
    public GraphEmulatorBuilder seed(SeedData seed) {
        this.seed = Objects.requireNonNull(seed);
        return this;
    }

    public GraphEmulatorBuilder quotas(SubscriptionQuotas quotas) {
        this.quotas = Objects.requireNonNull(quotas);
        return this;
    }

    /** V1 (default) or V2 claims in validationTokens. */
    public GraphEmulatorBuilder validationTokenVersion(ValidationTokenVersion version) {
        this.validationTokenVersion = Objects.requireNonNull(version);
        return this;
    }

    /** Seed of the random draws of the chaos switches, so that a run can be repeated. */
    public GraphEmulatorBuilder chaosSeed(long seed) {
        this.chaosSeed = seed;
        return this;
    }

    /** Most items in one notification POST (default 50). */
    public GraphEmulatorBuilder maxBatchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1");
        }
        this.maxBatchSize = size;
        return this;
    }

    public GraphEmulatorBuilder deliveryLogCapacity(int capacity) {
        this.deliveryLogCapacity = capacity;
        return this;
    }

    /** Whether https notification URLs with self-signed certificates are accepted (default true: it is a test tool). */
    public GraphEmulatorBuilder trustAllNotificationCertificates(boolean trustAll) {
        this.trustAllNotificationCertificates = trustAll;
        return this;
    }

    /**
     * Graph's slow and drop states for notification endpoints (see {@link GraphTimings#endpointHealthWindow()}) are
     * judged only once this many answers fall in the window (emulator's choice: 10; 0 turns the states off).
     */
    public GraphEmulatorBuilder endpointHealthMinSamples(int samples) {
        this.endpointHealthMinSamples = samples;
        return this;
    }

    /**
     * Notifications per app and tenant Graph sends for metered resources (the getAllMessages ones) subscribed without
     * {@code model}, in evaluation mode, before it silently stops (Microsoft: 500 a month; the emulator counts from its
     * start). Default 0, no cap: demos and tests run far past 500 messages.
     */
    public GraphEmulatorBuilder evaluationModeCap(int notifications) {
        this.evaluationModeCap = notifications;
        return this;
    }

    /** Interface to listen on; default 127.0.0.1 (use 0.0.0.0 to reach it from other machines). */
    public GraphEmulatorBuilder host(String host) {
        this.host = Objects.requireNonNull(host);
        return this;
    }

    /** Port of the Graph server (plain HTTP); 0 (default) picks a free one. */
    public GraphEmulatorBuilder graphPort(int port) {
        this.graphPort = port;
        return this;
    }

    /** Port of the identity server (HTTPS); 0 (default) picks a free one. */
    public GraphEmulatorBuilder identityPort(int port) {
        this.identityPort = port;
        return this;
    }

    /** The default tenant: apps and data without one live here. */
    public GraphEmulatorBuilder tenantId(String tenantId) {
        this.tenantId = Objects.requireNonNull(tenantId);
        return this;
    }

    public GraphEmulatorBuilder addTenant(String tenantId) {
        extraTenants.add(Objects.requireNonNull(tenantId));
        return this;
    }

    /** The base clock (the emulator adds a movable offset to it, see {@link EmulatorClock}). */
    public GraphEmulatorBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public GraphEmulatorBuilder timings(GraphTimings timings) {
        this.timings = Objects.requireNonNull(timings);
        return this;
    }

    public GraphEmulatorBuilder registerApp(RegisteredApp app) {
        apps.add(Objects.requireNonNull(app));
        return this;
    }

    public GraphEmulator build() {
        return new GraphEmulator(this);
    }

    /** Builds and starts. */
    public GraphEmulator start() {
        return build().start();
    }
}
