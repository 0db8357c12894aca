package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.camelgraphteams.emulator.demo.DecryptionKeyStore;
import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reverse-proxy configuration of the docs (docs/nginx/graph-teams.conf), run by a real nginx from Debian in front
 * of the routes app in real mode, with the emulator as Graph delivering through it over HTTPS: Graph's validation
 * request keeps its query string (the subscription is created), notifications reach the route, and a body just under
 * maxBodySize passes nginx to the app. Skipped, saying so, where no nginx is installed (.ci/run installs it).
 */
class NginxReverseProxyTest {

    private static final Path CONFIGURATION = Path.of("../docs/nginx/graph-teams.conf");

    @TempDir
    Path dir;

    @Test
    void graphReachesTheAppThroughTheDocumentedNginxConfiguration() throws Exception {
        Path nginx = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        Assumptions.assumeTrue(nginx != null, "nginx is not installed here (apt-get install nginx-light); the "
                                              + "reverse-proxy configuration of docs/nginx is not tried");
        SelfSignedCertificate tls = SelfSignedCertificate.forLocalhost();
        Path certificate = Files.writeString(dir.resolve("proxy.pem"), tls.certificatePem());
        Path certificateKey = Files.writeString(dir.resolve("proxy.key"), tls.privateKeyPem());
        int publicPort = freePort();
        int appPort = freePort();
        String site = Files.readString(CONFIGURATION).replace("PUBLIC_PORT", Integer.toString(publicPort))
                .replace("SERVER_NAME", "localhost").replace("CERTIFICATE_KEY", certificateKey.toString())
                .replace("CERTIFICATE", certificate.toString()).replace("APP_PORT", Integer.toString(appPort));
        Path main = Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "daemon off;", "master_process off;", "worker_processes 1;", "user root;",
                "pid " + dir.resolve("nginx.pid") + ";", "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 256; }", "http {",
                "  access_log " + dir.resolve("access.log") + ";",
                "  client_body_temp_path " + dir.resolve("body") + ";", "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";", "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";", site, "}"));
        Process proxy = new ProcessBuilder(nginx.toString(), "-c", main.toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        try (DemoTenant tenant = DemoTenant.start();
                GraphTeamsRoutesApplication application = realModeBehind(tenant, publicPort, appPort)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> listening(publicPort));
            application.main().start();

            assertThat(tenant.emulator().subscriptions().live()).as("created: the handshake came back through nginx")
                    .singleElement().satisfies(s -> assertThat(s.notificationUrl())
                            .isEqualTo("https://localhost:" + publicPort + "/graph/notifications"));
            for (int i = 0; i < 5; i++) {
                tenant.teams().postChatMessage(DemoTenant.GROUP_CHAT, NewMessage.text(DemoTenant.ADELE,
                        "through nginx " + i));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> written() >= 5);
            assertThat(Files.readString(dir.resolve("access.log"))).contains("POST /graph/notifications")
                    .contains("validationToken=");

            // a body just under the 16 MiB limit passes nginx: the app answers it (400, it is no batch), not nginx
            HttpResponse<String> large = HttpClient.newBuilder().sslContext(tls.trustingSslContext()).build().send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + publicPort + "/graph/notifications"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(15 * 1024 * 1024))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(large.statusCode()).as(large.body()).isEqualTo(400);
            assertThat(large.headers().firstValue("server")).as("answered by the app, not by nginx's own page")
                    .isNotEqualTo(java.util.Optional.of("nginx"));
        } finally {
            proxy.destroy();
            proxy.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private GraphTeamsRoutesApplication realModeBehind(DemoTenant tenant, int publicPort, int appPort) {
        DecryptionKeyStore key = DemoTenant.writeDecryptionKey(dir);
        GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication();
        Map<String, String> settings = new java.util.LinkedHashMap<>(EmbeddedGraph.settingsFor(tenant, key,
                "nginx-test-client-state", "https://localhost:" + publicPort));
        settings.putAll(Map.of("graph.mode", "real", "graph.ssl-context-parameters", "#emulatorTls",
                "graph.channels.enabled", "false", "http.port", Integer.toString(appPort), "http.host", "127.0.0.1",
                "graph.storage", "memory", "messages.dir", dir.resolve("messages").toString()));
        settings.forEach(application.main()::addOverrideProperty);
        application.main().bind("emulatorTls", EmbeddedGraph.trusting(tenant.trustStore()));
        return application;
    }

    private long written() throws IOException {
        Path messages = dir.resolve("messages");
        if (!Files.isDirectory(messages)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(messages)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
