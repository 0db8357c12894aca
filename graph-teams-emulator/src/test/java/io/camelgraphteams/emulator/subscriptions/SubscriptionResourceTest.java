package io.camelgraphteams.emulator.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.camelgraphteams.emulator.http.GraphApiException;

/** The six resource kinds and their query options, in both path syntaxes. */
class SubscriptionResourceTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/teams/getAllMessages|TENANT_CHANNEL_MESSAGES",
            "/teams/getAllMessages?model=A|TENANT_CHANNEL_MESSAGES",
            "chats/getAllMessages?model=B|TENANT_CHAT_MESSAGES",
            "/teams/t1/channels/19:c1@thread.tacv2/messages|CHANNEL_MESSAGES",
            "teams('t1')/channels('19:c1@thread.tacv2')/messages|CHANNEL_MESSAGES",
            "/chats/19:x@thread.v2/messages?$search=hello|CHAT_MESSAGES",
            "/chats/19:x@thread.v2/messages?$filter=mentions/any(u: u/mentioned/user/id eq 'abc')|CHAT_MESSAGES",
            "/users/u1/chats/getAllMessages|USER_CHAT_MESSAGES",
            "/appCatalogs/teamsApps/app-1/installedToChats/getAllMessages?model=B|APP_INSTALLED_CHAT_MESSAGES" })
    void acceptsEachKind(String resource, ResourceKind kind) {
        assertThat(SubscriptionResource.parse(resource).kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/me/messages", "/teams", "/teams/t1/channels/c1", "/chats/getAllMessages?model=C",
            "/teams/getAllMessages?$search=x", "/chats/c/messages?$filter=from/user/id eq 'x'",
            "/chats/c/messages?$top=1", "" })
    void refusesWithInvalidRequest(String resource) {
        assertThatThrownBy(() -> SubscriptionResource.parse(resource)).isInstanceOf(GraphApiException.class)
                .satisfies(e -> {
                    assertThat(((GraphApiException) e).status()).isEqualTo(400);
                    assertThat(((GraphApiException) e).code()).isEqualTo("InvalidRequest");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "/teams/t1/channels/c1/messages", "teams('t1')/channels('c1')/messages" })
    void bothSyntaxesMeanTheSameResource(String resource) {
        assertThat(SubscriptionResource.parse(resource))
                .isEqualTo(SubscriptionResource.parse("/teams/t1/channels/c1/messages"));
    }

    @org.junit.jupiter.api.Test
    void searchAndMentionFilterAreKept() {
        SubscriptionResource r = SubscriptionResource.parse(
                "/chats/c/messages?$search=launch&$filter=mentions/any(u: u/mentioned/user/id eq 'user-1')");
        assertThat(r.search()).isEqualTo("launch");
        assertThat(r.mentionedUserId()).isEqualTo("user-1");
    }
}
