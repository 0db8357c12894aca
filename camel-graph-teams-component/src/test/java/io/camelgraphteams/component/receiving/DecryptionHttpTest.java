package io.camelgraphteams.component.receiving;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** graph-protocol.md, "Decrypting encryptedContent", through the whole HTTP path. */
class DecryptionHttpTest extends ReceivingTestSupport {

    @Test
    void encryptedChatMessageArrivesDecryptedWithItsHeaders() throws Exception {
        startChats("");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1612289765949")), validToken())).statusCode())
                .isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
        Exchange exchange = receiving.received().get(0);
        JsonNode message = GraphNotifications.JSON.readTree(exchange.getMessage().getBody(String.class));
        assertThat(message.path("body").path("content").asText()).isEqualTo(messageText("1612289765949"));
        Map<String, Object> headers = exchange.getMessage().getHeaders();
        assertThat(headers).containsEntry(GraphTeamsConstants.SUBSCRIPTION_ID, SUBSCRIPTION_ID)
                .containsEntry(GraphTeamsConstants.CHANGE_TYPE, "created")
                .containsEntry(GraphTeamsConstants.TENANT_ID, TENANT_ID)
                .containsEntry(GraphTeamsConstants.CHAT_ID, CHAT_ID)
                .containsEntry(GraphTeamsConstants.MESSAGE_ID, "1612289765949")
                .containsEntry(GraphTeamsConstants.RESOURCE, "chats('" + CHAT_ID + "')/messages('1612289765949')")
                .containsEntry(GraphTeamsConstants.RESOURCE_DATA_INCLUDED, true)
                .containsEntry(GraphTeamsConstants.SOURCE, "notification");
        // a fresh exchange: no HTTP request header leaks into the route
        assertThat(headers.keySet()).allMatch(name -> name.startsWith("CamelGraphTeams"));
    }

    @Test
    void microsoftsRealEncryptedNotificationDecryptsThroughTheConsumer() throws Exception {
        Path vector = Path.of("src/test/resources/vectors/graph-core-richnotif");
        String password = Files.readString(vector.resolve("pfx-password.txt")).trim();
        String uri = "graph-teams:teams/getAllMessages?manageSubscription=false&clientId=" + APP_ID
                     + "&clientState=RAW(" + CLIENT_STATE + ")&keyStore=file:" + vector.resolve("certificate.pfx")
                     + "&keyStorePassword=RAW(" + password + ")&certificateId=custom-id-for-testing=richnotificationsapp.com"
                     + "&openIdConfigurationUrl=" + identityPlatform.openIdConfigurationUrl();
        receiving = ReceivingContext.start(uri);
        EncryptedContent content = new EncryptedContent(
                Files.readString(vector.resolve("data.b64")).trim(),
                Files.readString(vector.resolve("dataKey.b64")).trim(),
                Files.readString(vector.resolve("dataSignature.b64")).trim(),
                "custom-id-for-testing", "4B95353E086AD37196606ACF834A14532F03E6DB");
        // the resource Microsoft's sample notification names (its content's @odata.context and channelIdentity)
        String team = "79852646-8963-4d32-95f1-e0c5237d37fa";
        String channel = "19:etTE40ziboDEfQ1v0B96_nCVjGUsZ77LQa5KRb0cukQ1@thread.tacv2";
        ObjectNode elsewhere = sampleItem(content, "teams('team-1')/channels('19:channel@thread.tacv2')"
                                                   + "/messages('1625126194597')/replies('1625126194598')");
        assertThat(receiving.postBatch(batch(List.of(elsewhere), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).as("an envelope naming another message than its content").isEmpty();

        ObjectNode item = sampleItem(content, "teams('" + team + "')/channels('" + channel
                                              + "')/messages('1625067617497')/replies('1625126194597')");
        assertThat(receiving.postBatch(batch(List.of(item), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
        JsonNode message = GraphNotifications.JSON.readTree(receiving.received().get(0).getMessage().getBody(String.class));
        assertThat(message.path("etag").asText()).isEqualTo("1625126194597");
        assertThat(message.path("body").path("content").asText()).isEqualTo("Hello World");
        Map<String, Object> headers = receiving.received().get(0).getMessage().getHeaders();
        assertThat(headers).containsEntry(GraphTeamsConstants.TEAM_ID, team)
                .containsEntry(GraphTeamsConstants.CHANNEL_ID, channel)
                .containsEntry(GraphTeamsConstants.MESSAGE_ID, "1625126194597")
                .containsEntry(GraphTeamsConstants.REPLY_TO_ID, "1625067617497");
    }

    private static ObjectNode sampleItem(EncryptedContent content, String resource) {
        ObjectNode item = GraphNotifications.JSON.createObjectNode();
        item.put("subscriptionId", SUBSCRIPTION_ID);
        item.put("changeType", "created");
        item.put("clientState", CLIENT_STATE);
        item.put("tenantId", TENANT_ID);
        item.put("resource", resource);
        item.set("encryptedContent", TestEncryption.encryptedContentNode(content));
        return item;
    }

    @Test
    void unknownCertificateIdIs503AndNothingIsForwarded() throws Exception {
        startChats("");
        ObjectNode unknown = GraphNotifications.withEncryptedContent(
                GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "2"),
                TestEncryption.encrypt("{}".getBytes(StandardCharsets.UTF_8), TestKeys.cached("other").certificate(),
                        "key-nobody-configured"));
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1"), unknown), validToken())).statusCode())
                .isEqualTo(503);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void wrongThumbprintIs503AndNothingIsForwarded() throws Exception {
        startChats("");
        ObjectNode item = encryptedItem("1");
        ((ObjectNode) item.get("encryptedContent")).put("encryptionCertificateThumbprint",
                "0000000000000000000000000000000000000000");
        assertThat(receiving.postBatch(batch(List.of(item), validToken())).statusCode()).isEqualTo(503);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void signatureMismatchDropsOnlyThatItem() throws Exception {
        startChats("");
        ObjectNode tampered = encryptedItem("2");
        ObjectNode otherSignature = encryptedItem("3");
        ((ObjectNode) tampered.get("encryptedContent")).put("dataSignature",
                otherSignature.get("encryptedContent").get("dataSignature").asText());
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1"), tampered), validToken())).statusCode())
                .isEqualTo(202);
        assertThat(receiving.received()).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))
                .containsExactly("1");
    }

    @Test
    void rotationDecryptsWithTheOldAndTheNewKey() throws Exception {
        Path store = dir.resolve("rotation.p12");
        TestKeys.writeKeyStore(store, "PKCS12", "pw-rotation",
                Map.of("new-alias", TestKeys.cached("rotation-new"), "old-alias", TestKeys.cached("rotation-old")));
        receiving = ReceivingContext.start("graph-teams:chats/getAllMessages?manageSubscription=false&clientId=" + APP_ID
                                           + "&clientState=RAW(" + CLIENT_STATE + ")&keyStore=file:" + store
                                           + "&keyStorePassword=RAW(pw-rotation)&certificateId=key-2026=new-alias,key-2025=old-alias"
                                           + "&openIdConfigurationUrl=" + identityPlatform.openIdConfigurationUrl());
        ObjectNode oldItem = GraphNotifications.withEncryptedContent(
                GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "old"),
                TestEncryption.encrypt(GraphNotifications.chatMessage(CHAT_ID, "old", "old key").getBytes(StandardCharsets.UTF_8),
                        TestKeys.cached("rotation-old").certificate(), "key-2025"));
        ObjectNode newItem = GraphNotifications.withEncryptedContent(
                GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "new"),
                TestEncryption.encrypt(GraphNotifications.chatMessage(CHAT_ID, "new", "new key").getBytes(StandardCharsets.UTF_8),
                        TestKeys.cached("rotation-new").certificate(), "key-2026"));
        assertThat(receiving.postBatch(batch(List.of(oldItem, newItem), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).extracting(e -> e.getMessage().getBody(String.class))
                .anyMatch(b -> b.contains("old key")).anyMatch(b -> b.contains("new key")).hasSize(2);
    }

    @Test
    void withoutResourceDataTheBodyIsTheResourceDataReference() throws Exception {
        receiving = ReceivingContext.start("graph-teams:chats/" + CHAT_ID + "/messages?manageSubscription=false"
                                           + "&includeResourceData=false&clientState=RAW(" + CLIENT_STATE + ")");
        ObjectNode item = GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "42");
        assertThat(receiving.postBatch(batch(List.of(item))).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
        Exchange exchange = receiving.received().get(0);
        JsonNode body = GraphNotifications.JSON.readTree(exchange.getMessage().getBody(String.class));
        assertThat(body.path("id").asText()).isEqualTo("42");
        assertThat(body.path("@odata.type").asText()).isEqualTo("#Microsoft.Graph.chatMessage");
        assertThat(exchange.getMessage().getHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED)).isEqualTo(false);
    }

    @Test
    void itemOutsideTheEndpointsResourceIsDropped() throws Exception {
        receiving = ReceivingContext.start("graph-teams:chats/" + CHAT_ID + "/messages?manageSubscription=false"
                                           + "&includeResourceData=false&clientState=RAW(" + CLIENT_STATE + ")");
        ObjectNode mine = GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "1");
        ObjectNode otherChat = GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, "19:other@thread.v2", "2");
        assertThat(receiving.postBatch(batch(List.of(mine, otherChat))).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID))
                .containsExactly("1");
    }
}
