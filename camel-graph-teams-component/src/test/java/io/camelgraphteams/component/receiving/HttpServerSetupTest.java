package io.camelgraphteams.component.receiving;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.camelgraphteams.component.GraphTeamsComponent;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the application set up no platform-http server, start-up fails naming what to add, unless the component
 * option serverPort asks graph-teams to start one.
 */
class HttpServerSetupTest extends ReceivingTestSupport {

    private static final String RECEIVE_ONLY = "graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false";

    @Test
    void withoutAnHttpServerStartUpFailsNamingWhatToAdd() {
        CamelContext context = new DefaultCamelContext();
        try {
            assertThatThrownBy(() -> {
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(RECEIVE_ONLY).to("log:x");
                    }
                });
                context.start();
            }).satisfies(e -> assertThat(rootOrSelf(e).getMessage())
                    .contains("VertxPlatformHttpServer", "camel-platform-http-main", "serverPort"));
        } finally {
            context.stop();
        }
    }

    @Test
    void serverPortMakesGraphTeamsStartAVertxServer() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        CamelContext context = new DefaultCamelContext();
        try {
            context.getComponent("graph-teams", GraphTeamsComponent.class).setServerPort(port);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(RECEIVE_ONLY).to("log:x");
                }
            });
            context.start();
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graph/notifications?validationToken="
                                                      + URLEncoder.encode("started by graph-teams", StandardCharsets.UTF_8)))
                            .POST(HttpRequest.BodyPublishers.noBody()).header("Content-Type", "text/plain").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("started by graph-teams");
        } finally {
            context.stop();
        }
    }

    @Test
    void serverPortInUseFailsStartUpNamingIt() throws Exception {
        try (java.net.ServerSocket occupied = new java.net.ServerSocket()) {
            occupied.setReuseAddress(false);
            occupied.bind(new java.net.InetSocketAddress(AvailablePortFinder.getNextAvailable()));
            int port = occupied.getLocalPort();
            CamelContext context = new DefaultCamelContext();
            try {
                context.getComponent("graph-teams", GraphTeamsComponent.class).setServerPort(port);
                assertThatThrownBy(() -> {
                    context.addRoutes(new RouteBuilder() {
                        @Override
                        public void configure() {
                            from(RECEIVE_ONLY).to("log:x");
                        }
                    });
                    context.start();
                }).hasStackTraceContaining("could not start an HTTP server on serverPort " + port)
                        .hasStackTraceContaining("in use");
            } finally {
                context.stop();
            }
        }
    }

    @Test
    void twoConsumersCannotShareANotificationPath() {
        assertThatThrownBy(() -> receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(RECEIVE_ONLY).to("log:a");
                from("graph-teams:teams/getAllMessages?manageSubscription=false&includeResourceData=false"
                     + "&lifecycleNotificationPath=/graph/lifecycle2").to("log:b");
            }
        })).satisfies(e -> assertThat(rootOrSelf(e).getMessage())
                .contains("/graph/notifications is already served by", "notificationPath"));
    }

    @Test
    void twoConsumersWithTheirOwnPathsBothServe() throws Exception {
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(RECEIVE_ONLY).to("log:a");
                from("graph-teams:teams/getAllMessages?manageSubscription=false&includeResourceData=false"
                     + "&notificationPath=/teams/notifications&lifecycleNotificationPath=/teams/lifecycle").to("log:b");
            }
        });
        assertThat(receiving.handshake("/graph/notifications", "a").body()).isEqualTo("a");
        assertThat(receiving.handshake("/teams/notifications", "b").body()).isEqualTo("b");
    }

    @Test
    void aStoppedConsumerNoLongerAnswers() throws Exception {
        startChats("");
        assertThat(receiving.handshake("/graph/notifications", "up").statusCode()).isEqualTo(200);
        receiving.context().getRouteController().stopRoute("graph-teams-test");
        assertThat(receiving.handshake("/graph/notifications", "down").statusCode()).isEqualTo(404);
        receiving.context().getRouteController().startRoute("graph-teams-test");
        assertThat(receiving.handshake("/graph/notifications", "up again").body()).isEqualTo("up again");
    }

    private static Throwable rootOrSelf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
