package io.camelgraphteams.component.receiving;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.camelgraphteams.component.testsupport.TestTokenIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.camelgraphteams.component.testsupport.ReceivingContext.APP_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** graph-protocol.md, "validationTokens": any invalid token → 401, nothing forwarded. */
class ValidationTokensHttpTest extends ReceivingTestSupport {

    @Test
    void validV1TokenLetsTheBatchThrough() throws Exception {
        startChats("");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
    }

    @Test
    void validV2TokenLetsTheBatchThrough() throws Exception {
        startChats("");
        String v2 = issuer.v2Token(APP_ID, TENANT_ID).sign();
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), v2)).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
    }

    @Test
    void encryptedContentWithoutValidationTokensIs401() throws Exception {
        startChats("");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")))).statusCode()).isEqualTo(401);
        assertThat(receiving.received()).isEmpty();
    }

    static Stream<Arguments> invalidTokens() {
        Supplier<TestTokenIssuer.Token> v1 = () -> issuer.v1Token(APP_ID, TENANT_ID);
        Supplier<TestTokenIssuer.Token> v2 = () -> issuer.v2Token(APP_ID, TENANT_ID);
        return Stream.of(
                Arguments.of("signed by another key", (Supplier<String>) () -> v1.get().signedWith(TestTokenIssuer.newSigningKey()).sign()),
                Arguments.of("expired", (Supplier<String>) () -> v1.get().validFrom(Instant.now().minusSeconds(7200))
                        .expiresAt(Instant.now().minusSeconds(3600)).sign()),
                Arguments.of("not yet valid", (Supplier<String>) () -> v1.get().notBefore(Instant.now().plusSeconds(3600)).sign()),
                Arguments.of("wrong audience", (Supplier<String>) () -> issuer.v1Token("00000000-0000-0000-0000-000000000001", TENANT_ID).sign()),
                Arguments.of("wrong caller app", (Supplier<String>) () -> v1.get().claim("appid", "11111111-2222-3333-4444-555555555555").sign()),
                Arguments.of("v1 without appid", (Supplier<String>) () -> v1.get().without("appid").sign()),
                Arguments.of("v2 without azp", (Supplier<String>) () -> v2.get().without("azp").sign()),
                Arguments.of("alg none", (Supplier<String>) () -> v1.get().unsigned()),
                Arguments.of("HS256", (Supplier<String>) () -> v1.get().hs256("0123456789abcdef0123456789abcdef".getBytes())),
                Arguments.of("garbage", (Supplier<String>) () -> "not.a.jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTokens")
    void invalidTokenIs401AndNothingIsForwarded(String name, Supplier<String> token) throws Exception {
        startChats("");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), token.get())).statusCode()).isEqualTo(401);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void oneInvalidTokenAmongValidOnesRefusesTheWholeBatch() throws Exception {
        startChats("");
        String forged = issuer.v1Token(APP_ID, TENANT_ID).signedWith(TestTokenIssuer.newSigningKey()).sign();
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), validToken(), forged)).statusCode())
                .isEqualTo(401);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void tokenOfAnotherTenantDoesNotVouchForTheItem() throws Exception {
        startChats("");
        String otherTenant = issuer.v1Token(APP_ID, "99999999-8888-7777-6666-555555555555").sign();
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), otherTenant)).statusCode()).isEqualTo(401);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void tenantOutsideAllowedTenantIdsIs401() throws Exception {
        startChats("allowedTenantIds=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), validToken())).statusCode()).isEqualTo(401);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void unencryptedChangeItemOnAResourceDataEndpointNeedsAToken() throws Exception {
        startChats("");
        // a forger can always leave encryptedContent out: on a resource-data endpoint that is no way around the token
        byte[] forged = batch(List.of(io.camelgraphteams.component.testsupport.GraphNotifications.chatItem(
                SUBSCRIPTION_ID, "evil-tenant", io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE,
                CHAT_ID, "42")));
        assertThat(receiving.postBatch(forged).statusCode()).isEqualTo(401);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void allowedTenantIdsIgnoreCase() throws Exception {
        startChats("allowedTenantIds=" + TENANT_ID.toUpperCase(java.util.Locale.ROOT));
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(1);
    }

    @Test
    void itemWithoutTenantIsDroppedAndTheRequestAnswered() throws Exception {
        receiving = io.camelgraphteams.component.testsupport.ReceivingContext.start(
                "graph-teams:chats/getAllMessages?manageSubscription=false&includeResourceData=false"
                + "&allowedTenantIds=" + TENANT_ID);
        com.fasterxml.jackson.databind.node.ObjectNode item = io.camelgraphteams.component.testsupport.GraphNotifications
                .chatItem(SUBSCRIPTION_ID, TENANT_ID, null, CHAT_ID, "7");
        item.remove("tenantId");
        assertThat(receiving.postBatch(batch(List.of(item))).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).isEmpty();
    }

    @Test
    void unreachableIdentityPlatformIs503SoGraphRetries() throws Exception {
        receiving = io.camelgraphteams.component.testsupport.ReceivingContext.start(
                io.camelgraphteams.component.testsupport.ReceivingContext.chatsUri(
                        io.camelgraphteams.component.testsupport.ReceivingContext.keyStore(dir),
                        "http://127.0.0.1:1/common/.well-known/openid-configuration", ""));
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1")), validToken())).statusCode()).isEqualTo(503);
        assertThat(receiving.received()).isEmpty();
    }
}
