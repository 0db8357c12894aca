package io.camelgraphteams.component.receiving;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.OpenIdTestServer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;

/**
 * Fixtures shared by the receiving-path tests: a token issuer whose keys a real HTTP OpenID server publishes, a key
 * store with the decryption key, and helpers that build batches the way Graph does.
 */
abstract class ReceivingTestSupport {

    static final String SUBSCRIPTION_ID = "5d1c0e0c-7bd8-4bd4-a2b2-2f3b5d6a1c11";
    static final String CHAT_ID = "19:8ea0e38b-efb3-4757-924a-5f94061cf8c2_97f62344@unq.gbl.spaces";

    static TestTokenIssuer issuer;
    static OpenIdTestServer identityPlatform;

    @TempDir
    static Path dir;

    ReceivingContext receiving;

    @BeforeAll
    static void startIdentityPlatform() {
        issuer = new TestTokenIssuer();
        identityPlatform = OpenIdTestServer.start(issuer.jwkSetJson());
    }

    @AfterAll
    static void stopIdentityPlatform() {
        identityPlatform.close();
    }

    @AfterEach
    void stopContext() {
        if (receiving != null) {
            receiving.close();
        }
    }

    ReceivingContext startChats(String extraOptions) throws Exception {
        receiving = ReceivingContext.start(ReceivingContext.chatsUri(
                ReceivingContext.keyStore(dir), identityPlatform.openIdConfigurationUrl(), extraOptions));
        return receiving;
    }

    static String validToken() {
        return issuer.v1Token(APP_ID, TENANT_ID).sign();
    }

    static String messageText(String messageId) {
        return "Hello from message " + messageId;
    }

    /** An item carrying the chatMessage encrypted for the test key, with the right clientState. */
    static ObjectNode encryptedItem(String messageId) {
        return encryptedItem(messageId, CLIENT_STATE);
    }

    static ObjectNode encryptedItem(String messageId, String clientState) {
        EncryptedContent content = TestEncryption.encrypt(
                GraphNotifications.chatMessage(CHAT_ID, messageId, messageText(messageId)).getBytes(StandardCharsets.UTF_8),
                TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID);
        return GraphNotifications.withEncryptedContent(
                GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, clientState, CHAT_ID, messageId), content);
    }

    static byte[] batch(List<ObjectNode> items, String... tokens) {
        return GraphNotifications.batch(items, List.of(tokens));
    }
}
