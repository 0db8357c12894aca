package io.camelgraphteams.emulator.demo;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.function.Consumer;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.GraphEmulatorBuilder;
import io.camelgraphteams.emulator.SeedData;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.teams.TeamsStore;

/**
 * The Contoso demo tenant that the demo app, the examples and the tests share: one registered app, four users, the
 * team Contoso with the channels General and Launch, the group chat "Launch plan" and a one-on-one chat. The ids are
 * fixed so that docs and tests can name them.
 *
 * <pre>
 * try (DemoTenant tenant = DemoTenant.start()) {
 *     tenant.teams().postChatMessage(DemoTenant.GROUP_CHAT, NewMessage.text(DemoTenant.ADELE, "hello"));
 * }
 * </pre>
 *
 * <p>What points a client at it (Graph and identity URLs, the trust store of the HTTPS identity platform, a key store
 * to decrypt resource data) comes from here too; turning those into a client's own settings is the client's business.
 */
public final class DemoTenant implements AutoCloseable {

    /** The demo app; also the standalone emulator's app when its config names none. */
    public static final String CLIENT_ID = "e5e5e5e5-0000-4000-8000-000000000001";
    /** The demo app's fixed secret; {@link #start(String, Consumer)} takes another one, e.g. {@link #randomSecret()}. */
    public static final String CLIENT_SECRET = "emulator-secret";

    public static final String ADELE = "a0a0a0a0-1111-4111-8111-000000000001";
    public static final String MEGAN = "a0a0a0a0-1111-4111-8111-000000000002";
    public static final String ALEX = "a0a0a0a0-1111-4111-8111-000000000003";
    public static final String DIEGO = "a0a0a0a0-1111-4111-8111-000000000004";

    /** Contoso, with {@link #GENERAL_CHANNEL} and {@link #LAUNCH_CHANNEL}. */
    public static final String TEAM = "b0b0b0b0-2222-4222-8222-000000000001";
    public static final String GENERAL_CHANNEL = "19:demo0general0channel000000000001@thread.tacv2";
    public static final String LAUNCH_CHANNEL = "19:demo0launch0channel0000000000001@thread.tacv2";

    /** "Launch plan": Adele, Megan and Alex. */
    public static final String GROUP_CHAT = "19:demo0launch0plan0chat00000000001@thread.v2";
    /** Megan and Diego. */
    public static final String ONE_ON_ONE_CHAT = "19:demo0megan0diego0chat00000000001@thread.v2";

    /** The alias (Graph's encryptionCertificateId) of {@link #writeDecryptionKey(Path)}'s key. */
    public static final String CERTIFICATE_ID = "camel-graph-teams-demo";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final GraphEmulator emulator;
    private final String clientSecret;

    private DemoTenant(GraphEmulator emulator, String clientSecret) {
        this.emulator = emulator;
        this.clientSecret = clientSecret;
    }

    /** The users, the team with its channels and the chats, for {@link GraphEmulatorBuilder#seed(SeedData)}. */
    public static SeedData seed() {
        return SeedData.fromJson("""
                {
                  "users": [
                    {"id": "%s", "displayName": "Adele Vance"},
                    {"id": "%s", "displayName": "Megan Bowen"},
                    {"id": "%s", "displayName": "Alex Wilber"},
                    {"id": "%s", "displayName": "Diego Siciliani"}
                  ],
                  "teams": [
                    {"id": "%s", "displayName": "Contoso", "channels": [
                      {"id": "%s", "displayName": "General"},
                      {"id": "%s", "displayName": "Launch"}
                    ]}
                  ],
                  "chats": [
                    {"id": "%s", "topic": "Launch plan", "chatType": "group", "members": ["%s", "%s", "%s"]},
                    {"id": "%s", "chatType": "oneOnOne", "members": ["%s", "%s"]}
                  ]
                }
                """.formatted(ADELE, MEGAN, ALEX, DIEGO, TEAM, GENERAL_CHANNEL, LAUNCH_CHANNEL, GROUP_CHAT, ADELE, MEGAN,
                ALEX, ONE_ON_ONE_CHAT, MEGAN, DIEGO));
    }

    /** The demo app's registration with the given secret. */
    public static RegisteredApp app(String clientSecret) {
        return RegisteredApp.withSecret(CLIENT_ID, clientSecret);
    }

    /** Starts an emulator on free ports with Graph's own times, the demo app with {@link #CLIENT_SECRET}. */
    public static DemoTenant start() {
        return start(CLIENT_SECRET, builder -> {
        });
    }

    /** As {@link #start()}; {@code settings} may change the builder (ports, timings, chaos seed) before the start. */
    public static DemoTenant start(Consumer<GraphEmulatorBuilder> settings) {
        return start(CLIENT_SECRET, settings);
    }

    /** As {@link #start(Consumer)}, the demo app registered with {@code clientSecret}. */
    public static DemoTenant start(String clientSecret, Consumer<GraphEmulatorBuilder> settings) {
        GraphEmulatorBuilder builder = GraphEmulator.builder().registerApp(app(clientSecret)).seed(seed());
        settings.accept(builder);
        return new DemoTenant(builder.start(), clientSecret);
    }

    /** 24 random bytes as hex: a fresh client secret, clientState or key store password. */
    public static String randomSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return String.format("%048x", new BigInteger(1, bytes));
    }

    /** A fresh key under {@link #CERTIFICATE_ID} with a random password, in {@code directory}. */
    public static DecryptionKeyStore writeDecryptionKey(Path directory) {
        return DecryptionKeyStore.write(directory, CERTIFICATE_ID, randomSecret());
    }

    public GraphEmulator emulator() {
        return emulator;
    }

    public TeamsStore teams() {
        return emulator.teams();
    }

    public String clientSecret() {
        return clientSecret;
    }

    public String tenantId() {
        return emulator.tenantId();
    }

    /** Graph's root: http://127.0.0.1:{port}. */
    public String graphBaseUrl() {
        return emulator.graphBaseUrl();
    }

    /** The identity platform's root (HTTPS, trust {@link #trustStore()}): https://127.0.0.1:{port}. */
    public String identityBaseUrl() {
        return emulator.identityBaseUrl();
    }

    /**
     * Where validationToken verifiers find the signing keys: the identity platform's documents, also served over the
     * Graph port's plain HTTP so that fetching them needs no trust setup.
     */
    public String openIdConfigurationUrl() {
        return emulator.graphBaseUrl() + "/common/.well-known/openid-configuration";
    }

    /** Trusts the identity platform's self-signed certificate and nothing else. */
    public KeyStore trustStore() {
        return emulator.trustStore();
    }

    /** {@link #trustStore()} as a PKCS#12 file, for a client in another process. */
    public Path writeTrustStore(Path file, String password) {
        return Pkcs12File.write(trustStore(), file, password, "the emulator's trust store");
    }

    /** Stops the emulator. Safe to call twice. */
    @Override
    public void close() {
        emulator.stop();
    }
}
