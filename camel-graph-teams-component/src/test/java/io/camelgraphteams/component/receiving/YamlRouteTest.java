package io.camelgraphteams.component.receiving;

import java.util.List;

import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.KEY_STORE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** An integration engineer's route: YAML DSL, options as parameters. */
class YamlRouteTest extends ReceivingTestSupport {

    @Test
    void yamlRouteLoadsAndReceives() throws Exception {
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                // no Java route: the YAML below is the route
            }
        });
        String yaml = """
                - route:
                    id: teams-from-yaml
                    from:
                      uri: graph-teams:chats/getAllMessages
                      parameters:
                        manageSubscription: false
                        clientId: "%s"
                        clientState: "%s"
                        keyStore: "file:%s"
                        keyStorePassword: "%s"
                        certificateId: "%s"
                        openIdConfigurationUrl: "%s"
                        notificationPath: /teams/notifications
                        lifecycleNotificationPath: /teams/lifecycle
                      steps:
                        - setHeader:
                            name: fromYaml
                            constant: "yes"
                        - to: direct:received
                """.formatted(APP_ID, CLIENT_STATE, ReceivingContext.keyStore(dir), KEY_STORE_PASSWORD, CERTIFICATE_ID,
                identityPlatform.openIdConfigurationUrl());
        PluginHelper.getRoutesLoader(receiving.context()).loadRoutes(ResourceHelper.fromString("teams.yaml", yaml));

        assertThat(receiving.handshake("/teams/notifications", "yaml-handshake").body()).isEqualTo("yaml-handshake");
        assertThat(receiving.post("/teams/notifications", "application/json",
                batch(List.of(encryptedItem("y1")), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
        assertThat(receiving.received().get(0).getMessage().getHeader("fromYaml")).isEqualTo("yes");
        assertThat(receiving.received().get(0).getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID)).isEqualTo("y1");
        assertThat(receiving.received().get(0).getMessage().getBody(String.class)).contains(messageText("y1"));
    }
}
