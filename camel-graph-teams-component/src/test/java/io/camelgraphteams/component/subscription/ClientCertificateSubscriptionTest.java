package io.camelgraphteams.component.subscription;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.component.testsupport.EmulatedGraph;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.emulator.identity.RegisteredApp;
import io.camelgraphteams.emulator.identity.SelfSignedCertificate;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.testsupport.EmulatedGraph.CHAT;
import static io.camelgraphteams.component.testsupport.EmulatedGraph.USER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 4, Authentication: the consumer also manages its subscription with a client certificate (PKCS#12). */
class ClientCertificateSubscriptionTest {

    private static final String CERTIFICATE_APP = "c0c0c0c0-0000-4000-8000-0000000000c4";
    private static final String PASSWORD = "client-certificate-password";

    static EmulatedGraph graph;
    static Path clientCertificate;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startGraph() throws Exception {
        graph = EmulatedGraph.start();
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("CN=graph-teams managed client", 2048);
        graph.emulator().registerApp(RegisteredApp.withCertificate(CERTIFICATE_APP, certificate.certificate()));
        clientCertificate = dir.resolve("client.p12");
        try (OutputStream out = Files.newOutputStream(clientCertificate)) {
            certificate.keyStore(PASSWORD.toCharArray()).store(out, PASSWORD.toCharArray());
        }
    }

    @AfterAll
    static void stopGraph() {
        graph.close();
    }

    @Test
    void clientCertificateAuthenticatesTheSubscriptionCalls() throws Exception {
        int port = ReceivingContext.freePort();
        try (ManagedConsumer consumer = ManagedConsumer.start(graph, port, "chats/getAllMessages",
                ManagedConsumer.options(graph, port, dir)
                        .set("clientId", CERTIFICATE_APP)
                        .remove("clientSecret")
                        .set("clientCertificate", "file:" + clientCertificate)
                        .set("clientCertificatePassword", "RAW(" + PASSWORD + ")"))) {
            assertThat(consumer.inGraph(graph).applicationId()).isEqualTo(CERTIFICATE_APP);

            graph.emulator().teams().postChatMessage(CHAT, NewMessage.text(USER_A, "with a certificate"));
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> consumer.bodies().stream().anyMatch(b -> b.contains("with a certificate")));
        } finally {
            graph.emulator().subscriptions().live().forEach(s -> graph.emulator().subscriptions().remove(s.id()));
        }
    }
}
