package io.camelgraphteams.emulator;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import io.camelgraphteams.emulator.control.ControlRoutes;
import io.camelgraphteams.emulator.control.EmulatorControl;
import io.camelgraphteams.emulator.delivery.Chaos;
import io.camelgraphteams.emulator.delivery.DeliveryEngine;
import io.camelgraphteams.emulator.delivery.DeliveryLog;
import io.camelgraphteams.emulator.delivery.EndpointJudgement;
import io.camelgraphteams.emulator.delivery.GraphCallChaos;
import io.camelgraphteams.emulator.delivery.HttpValidationHandshake;
import io.camelgraphteams.emulator.delivery.LifecycleEvent;
import io.camelgraphteams.emulator.delivery.ValidationTokenIssuer;
import io.camelgraphteams.emulator.delivery.ValidationTokenVersion;
import io.camelgraphteams.emulator.http.GraphApiException;
import io.camelgraphteams.emulator.http.GraphFailureHandler;
import io.camelgraphteams.emulator.identity.AccessTokens;
import io.camelgraphteams.emulator.identity.AppRegistry;
import io.camelgraphteams.emulator.identity.CallerIdentity;
import io.camelgraphteams.emulator.identity.IdentityRoutes;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.identity.TokenSigningKey;
import io.camelgraphteams.emulator.subscriptions.Subscription;
import io.camelgraphteams.emulator.subscriptions.SubscriptionQuotas;
import io.camelgraphteams.emulator.subscriptions.SubscriptionRoutes;
import io.camelgraphteams.emulator.subscriptions.SubscriptionStore;
import io.camelgraphteams.emulator.subscriptions.ValidationHandshake;
import io.camelgraphteams.emulator.teams.TeamsRoutes;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.time.EmulatorClock;
import io.camelgraphteams.emulator.time.GraphTimings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Microsoft Graph for Teams chatMessage change notifications. Embeddable ({@link #builder()}, {@link #start()},
 * {@link #stop()}) and runnable on its own (standalone.GraphEmulatorMain).
 *
 * <p>Two servers: the identity platform over HTTPS with a certificate generated at construction (msal4j insists on
 * https), and Graph itself (v1.0, beta, and the control API under /emulator) over plain HTTP.
 */
public final class GraphEmulator implements EmulatorControl, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphEmulator.class);

    private final GraphEmulatorBuilder config;
    private final String tenantId;
    private final Set<String> tenants = ConcurrentHashMap.newKeySet();
    private final EmulatorClock clock;
    private volatile GraphTimings timings;
    private volatile ValidationTokenVersion validationTokenVersion;
    private final SelfSignedCertificate tlsCertificate;
    private final TokenSigningKey signingKey;
    private final AppRegistry apps;
    private final AccessTokens accessTokens;
    private final TeamsStore teams;
    private final SubscriptionStore subscriptions;
    private final Chaos chaos;
    private final DeliveryLog deliveryLog;

    private Vertx vertx;
    private HttpClient client;
    private volatile DeliveryEngine engine;
    private HttpServer graphServer;
    private HttpServer identityServer;
    private int graphPort = -1;
    private int identityPort = -1;

    GraphEmulator(GraphEmulatorBuilder builder) {
        this.config = builder;
        this.tenantId = builder.tenantId;
        this.tenants.add(tenantId);
        this.tenants.addAll(builder.extraTenants);
        this.clock = builder.clock != null ? new EmulatorClock(builder.clock) : EmulatorClock.system();
        this.timings = builder.timings;
        this.tlsCertificate = SelfSignedCertificate.forLocalhost();
        this.signingKey = TokenSigningKey.generate();
        this.apps = new AppRegistry(tenantId);
        builder.apps.forEach(this::registerApp);
        this.accessTokens = new AccessTokens(signingKey, clock, timings.accessTokenLifetime());
        this.validationTokenVersion = builder.validationTokenVersion;
        this.teams = new TeamsStore(clock, tenantId);
        this.subscriptions = new SubscriptionStore(clock, builder.quotas);
        this.chaos = new Chaos(builder.chaosSeed);
        this.deliveryLog = new DeliveryLog(builder.deliveryLogCapacity);
        this.teams.addListener(event -> {
            DeliveryEngine e = engine;
            if (e != null) {
                e.onMessageEvent(event);
            }
        });
        builder.seed.applyTo(teams);
        teams.users().forEach(u -> tenants.add(u.tenantId()));
        teams.teams().forEach(t -> tenants.add(t.tenantId()));
    }

    public static GraphEmulatorBuilder builder() {
        return new GraphEmulatorBuilder();
    }

    /** Starts both servers and returns when they listen. */
    public synchronized GraphEmulator start() {
        if (vertx != null) {
            return this;
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        try {
            client = vertx.createHttpClient(new HttpClientOptions()
                    .setTrustAll(config.trustAllNotificationCertificates)
                    .setVerifyHost(!config.trustAllNotificationCertificates)
                    .setConnectTimeout(10_000), new PoolOptions().setHttp1MaxSize(32));
            ValidationHandshake handshake = new HttpValidationHandshake(vertx, client, () -> timings.handshakeTimeout(),
                    deliveryLog, clock);
            ValidationTokenIssuer tokenIssuer = new ValidationTokenIssuer(signingKey, clock, appId -> {
                RegisteredApp app = apps.find(appId);
                return app != null && app.appRoleAssignmentRequired();
            });
            engine = new DeliveryEngine(vertx, client, subscriptions, teams, tokenIssuer, chaos, deliveryLog,
                    () -> timings, () -> validationTokenVersion, this::graphBaseUrl, clock, config.maxBatchSize,
                    config.endpointHealthMinSamples, config.evaluationModeCap);

            Router identityRouter = Router.router(vertx);
            identityRoutes().mount(identityRouter);
            identityRouter.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());

            Router api = Router.router(vertx);
            // the body is read first: an async pause (chaos delay) before BodyHandler would lose the request's end
            api.route().handler(BodyHandler.create().setBodyLimit(1024 * 1024));
            api.route().handler(new GraphCallChaos(vertx, chaos, clock));
            api.route().handler(ctx -> {
                CallerIdentity caller = accessTokens.authenticate(ctx.request().getHeader("Authorization"));
                RegisteredApp app = apps.find(caller.appId());
                ctx.put(CallerIdentity.CONTEXT_KEY, caller.withProtectedApiAccess(app == null || app.protectedApiAccess()));
                ctx.next();
            });
            new SubscriptionRoutes(subscriptions, teams, handshake, () -> timings, clock).mount(api);
            new TeamsRoutes(teams).mount(api);
            api.route().last().handler(ctx -> {
                throw GraphFailureHandler.unknownSegment(ctx.request().path());
            });
            api.route().failureHandler(new GraphFailureHandler(clock));

            Router graphRouter = Router.router(vertx);
            graphRouter.route("/emulator*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));
            new ControlRoutes(this).mount(graphRouter);
            graphRouter.route("/v1.0/*").subRouter(api);
            graphRouter.route("/beta/*").subRouter(api);
            identityRoutes().mount(graphRouter);
            graphRouter.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
            graphRouter.route().failureHandler(new GraphFailureHandler(clock));

            HttpServerOptions tls = new HttpServerOptions().setHost(config.host).setPort(config.identityPort).setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .addKeyValue(Buffer.buffer(tlsCertificate.privateKeyPem()))
                            .addCertValue(Buffer.buffer(tlsCertificate.certificatePem())));
            identityServer = await(vertx.createHttpServer(tls).requestHandler(identityRouter).listen());
            identityPort = identityServer.actualPort();
            graphServer = await(vertx.createHttpServer(new HttpServerOptions().setHost(config.host).setPort(config.graphPort))
                    .requestHandler(graphRouter).listen());
            graphPort = graphServer.actualPort();
            vertx.setPeriodic(timings.expirySweepInterval().toMillis(), id -> subscriptions.sweepExpired());
            LOG.info("Graph emulator listening: Graph {} , identity {}", graphBaseUrl(), identityBaseUrl());
            return this;
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private IdentityRoutes identityRoutes() {
        return new IdentityRoutes(apps, tenants::contains, accessTokens, signingKey, clock);
    }

    /** Stops the servers and all pending deliveries. Safe to call twice. */
    public synchronized void stop() {
        if (vertx == null) {
            return;
        }
        DeliveryEngine running = engine;
        engine = null;
        if (running != null) {
            running.shutdown();
        }
        try {
            await(vertx.close());
        } catch (RuntimeException e) {
            LOG.warn("Vert.x did not close cleanly", e);
        }
        vertx = null;
        graphServer = null;
        identityServer = null;
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return vertx != null;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        }
    }

    // ---- addresses ----

    private String loopbackHost() {
        return "0.0.0.0".equals(config.host) || "::".equals(config.host) ? "127.0.0.1" : config.host;
    }

    private void requireStarted() {
        if (graphPort < 0) {
            throw new IllegalStateException("the emulator is not started: call start() first");
        }
    }

    public int graphPort() {
        requireStarted();
        return graphPort;
    }

    public int identityPort() {
        requireStarted();
        return identityPort;
    }

    /** http://127.0.0.1:{port}: Graph's root; append /v1.0 or /beta. */
    public String graphBaseUrl() {
        requireStarted();
        return "http://" + loopbackHost() + ":" + graphPort;
    }

    @Override
    public String graphV1Url() {
        return graphBaseUrl() + "/v1.0";
    }

    @Override
    public String graphBetaUrl() {
        return graphBaseUrl() + "/beta";
    }

    /** The control API's root (plain HTTP, on the Graph server). */
    public String controlUrl() {
        return graphBaseUrl() + "/emulator";
    }

    /** https://127.0.0.1:{port}: the identity platform's root ("login.microsoftonline.com"). */
    public String identityBaseUrl() {
        requireStarted();
        return "https://" + loopbackHost() + ":" + identityPort;
    }

    /** For msal4j's {@code .authority(...)} with {@code .instanceDiscovery(false)}: https://127.0.0.1:{port}/{tenant}/. */
    @Override
    public String authority() {
        return authority(tenantId);
    }

    public String authority(String tenant) {
        return identityBaseUrl() + "/" + tenant + "/";
    }

    /** For msal4j's {@code .oidcAuthority(...)}: https://127.0.0.1:{port}/{tenant}/v2.0, equal to the issuer it serves. */
    @Override
    public String oidcAuthority() {
        return oidcAuthority(tenantId);
    }

    public String oidcAuthority(String tenant) {
        return identityBaseUrl() + "/" + tenant + "/v2.0";
    }

    @Override
    public String openIdConfigurationUrl() {
        return oidcAuthority() + "/.well-known/openid-configuration";
    }

    @Override
    public String tokenEndpointUrl() {
        return identityBaseUrl() + "/" + tenantId + "/oauth2/v2.0/token";
    }

    /** Where validationToken verifiers look up the signing keys (like login.microsoftonline.com/common/...). */
    @Override
    public String commonOpenIdConfigurationUrl() {
        return identityBaseUrl() + "/common/.well-known/openid-configuration";
    }

    @Override
    public String jwksUrl() {
        return identityBaseUrl() + "/common/discovery/keys";
    }

    // ---- TLS trust for clients ----

    public X509Certificate tlsCertificate() {
        return tlsCertificate.certificate();
    }

    @Override
    public String tlsCertificatePem() {
        return tlsCertificate.certificatePem();
    }

    public KeyStore trustStore() {
        return tlsCertificate.trustStore();
    }

    /** Trusts the emulator's HTTPS certificate (and nothing else). */
    public SSLContext sslContext() {
        return tlsCertificate.trustingSslContext();
    }

    /** For msal4j's {@code .sslSocketFactory(...)}. */
    public SSLSocketFactory sslSocketFactory() {
        return sslContext().getSocketFactory();
    }

    /** The certificate whose key signs access tokens and validationTokens (published in the JWKS). */
    public X509Certificate signingCertificate() {
        return signingKey.certificate().certificate();
    }

    // ---- identity ----

    @Override
    public String tenantId() {
        return tenantId;
    }

    public Set<String> tenants() {
        return Set.copyOf(tenants);
    }

    public void addTenant(String tenant) {
        tenants.add(Objects.requireNonNull(tenant));
    }

    @Override
    public RegisteredApp registerApp(RegisteredApp app) {
        RegisteredApp placed = apps.register(app);
        tenants.add(placed.tenantId());
        return placed;
    }

    @Override
    public AppRegistry apps() {
        return apps;
    }

    /** A Graph access token for a registered app, without the token endpoint (for tests that do not test identity). */
    @Override
    public String accessToken(String clientId) {
        RegisteredApp app = apps.find(clientId);
        if (app == null) {
            throw new IllegalArgumentException("no app registered with client id " + clientId);
        }
        return accessTokens.issue(app, app.tenantId(), "https://graph.microsoft.com", false);
    }

    @Override
    public EmulatorClock clock() {
        return clock;
    }

    public GraphTimings timings() {
        return timings;
    }

    /** Changes Graph's times while running (new deliveries and handshakes use them). */
    public void timings(GraphTimings timings) {
        this.timings = Objects.requireNonNull(timings);
    }

    // ---- Teams data, subscriptions, deliveries ----

    /** The Java control API for Teams data: create users, teams, channels, chats; post, edit, delete messages. */
    @Override
    public TeamsStore teams() {
        return teams;
    }

    /** Graph's subscriptions (all apps): {@code live()}, {@code find(id)}. */
    @Override
    public SubscriptionStore subscriptions() {
        return subscriptions;
    }

    public void quotas(SubscriptionQuotas quotas) {
        subscriptions.quotas(quotas);
    }

    /** Posts a lifecycle notification to the subscription's lifecycleNotificationUrl; subscriptionRemoved removes it. */
    @Override
    public void sendLifecycleEvent(String subscriptionId, LifecycleEvent event) {
        Subscription s = subscriptions.find(subscriptionId).orElseThrow(() -> new GraphApiException(404,
                "ResourceNotFound", "Subscription '" + subscriptionId + "' does not exist."));
        DeliveryEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("the emulator is not started");
        }
        if (s.lifecycleNotificationUrl() == null) {
            throw new IllegalStateException("subscription " + subscriptionId + " has no lifecycleNotificationUrl");
        }
        if (event == LifecycleEvent.SUBSCRIPTION_REMOVED) {
            subscriptions.remove(subscriptionId);
        }
        e.sendLifecycleEvent(s, event);
    }

    /**
     * Graph's judgement (slow, dropping, throttled) of every notification URL delivered to since the start; empty
     * before the start.
     */
    public List<EndpointJudgement> endpointJudgements() {
        DeliveryEngine e = engine;
        return e == null ? List.of() : e.endpointJudgements();
    }

    /** Notifications not sent because an app's evaluation mode was used up (see evaluationModeCap). */
    public long evaluationWithheld() {
        DeliveryEngine e = engine;
        return e == null ? 0 : e.evaluationWithheld();
    }

    @Override
    public DeliveryLog deliveryLog() {
        return deliveryLog;
    }

    @Override
    public Chaos chaos() {
        return chaos;
    }

    @Override
    public ValidationTokenVersion validationTokenVersion() {
        return validationTokenVersion;
    }

    /** The claim form of validationTokens in the next batches. */
    @Override
    public void validationTokenVersion(ValidationTokenVersion version) {
        this.validationTokenVersion = Objects.requireNonNull(version);
    }
}
