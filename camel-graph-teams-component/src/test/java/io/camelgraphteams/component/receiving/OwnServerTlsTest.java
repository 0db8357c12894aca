package io.camelgraphteams.component.receiving;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server graph-teams starts on serverPort speaks TLS when given a certificate, for hosts with a public address and
 * no proxy: Graph (here the emulator) delivers over https, and a renewed certificate file is served to new
 * connections without a restart.
 */
class OwnServerTlsTest {

    @TempDir
    Path dir;

    private CamelContext context(int port, Path certificate, Path key) {
        CamelContext context = new DefaultCamelContext();
        GraphTeamsComponent component = context.getComponent("graph-teams", GraphTeamsComponent.class);
        component.setServerPort(port);
        component.setServerCertificate("file:" + certificate);
        component.setServerPrivateKey("file:" + key);
        component.setServerCertificateReloadInterval(200);
        return context;
    }

    private static void write(Path certificate, Path key, SelfSignedCertificate pair) throws Exception {
        // as a renewal tool would: written aside, then moved into place
        Path newCertificate = Files.writeString(certificate.resolveSibling("new-certificate.pem"), pair.certificatePem());
        Path newKey = Files.writeString(key.resolveSibling("new-key.pem"), pair.privateKeyPem());
        Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(newCertificate, certificate, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void theHandshakeIsAnsweredOverTlsAndARenewedCertificateIsServedWithoutARestart() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Path certificate = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        SelfSignedCertificate first = SelfSignedCertificate.forLocalhost();
        write(certificate, key, first);
        CamelContext context = context(port, certificate, key);
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false")
                            .to("log:x");
                }
            });
            context.start();

            HttpClient client = HttpClient.newBuilder().sslContext(trusting(first.certificate())).build();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/graph/notifications?validationToken=" + URLEncoder.encode("over tls", StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).header("Content-Type", "text/plain").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("over tls");
            assertThat(presented(port)).isEqualTo(first.certificate());

            SelfSignedCertificate renewed = SelfSignedCertificate.forLocalhost();
            write(certificate, key, renewed);

            // a handshake under way while the server swaps its certificate may fail once; new ones get the renewal
            await().atMost(10, TimeUnit.SECONDS).ignoreExceptions()
                    .until(() -> presented(port).equals(renewed.certificate()));
        } finally {
            context.stop();
        }
    }

    @Test
    void graphDeliversOverHttpsToTheServerGraphTeamsStarts() throws Exception {
        Path certificate = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        write(certificate, key, SelfSignedCertificate.forLocalhost());
        try (EmulatedGraph graph = EmulatedGraph.start()) {
            int port = AvailablePortFinder.getNextAvailable();
            CamelContext context = context(port, certificate, key);
            graph.bindTls(context);
            ManagedConsumer.Options options = ManagedConsumer.options(graph, port, dir)
                    .set("notificationUrl", "https://localhost:" + port + "/graph/notifications")
                    .set("lifecycleNotificationUrl", "https://localhost:" + port + "/graph/lifecycle");
            List<String> bodies = new CopyOnWriteArrayList<>();
            try {
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(options.uri("chats/" + EmulatedGraph.CHAT + "/messages"))
                                .process(exchange -> bodies.add(exchange.getMessage().getBody(String.class)));
                    }
                });
                context.start();
                assertThat(graph.emulator().subscriptions().live()).singleElement()
                        .satisfies(s -> assertThat(s.notificationUrl()).startsWith("https://"));

                graph.emulator().teams().postChatMessage(EmulatedGraph.CHAT, NewMessage.text(EmulatedGraph.USER_A,
                        "delivered over https"));

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> bodies.stream().anyMatch(b -> b.contains("delivered over https")));
            } finally {
                context.stop();
            }
        }
    }

    /** The certificate a new TLS connection to the port is given (trusting any, to see which one it is). */
    private static X509Certificate presented(int port) throws Exception {
        SSLContext any = SSLContext.getInstance("TLS");
        any.init(null, new TrustManager[] { new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        } }, null);
        try (SSLSocket socket = (SSLSocket) any.getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return (X509Certificate) chain[0];
        }
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
