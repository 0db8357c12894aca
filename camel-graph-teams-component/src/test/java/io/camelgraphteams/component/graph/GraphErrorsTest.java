package io.camelgraphteams.component.graph;

import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Graph's error answers become GraphApiExceptions a caller can act on, with messages a user can act on. */
class GraphErrorsTest extends EmulatorGraphTestSupport {

    @Test
    void forbiddenSubscriptionNamesThePermissionTheResourceNeeds() {
        GraphClient client = client(tokens(NO_PERMISSION_APP), quickRetries());

        GraphApiException e = catchThrowableOfType(GraphApiException.class,
                () -> client.createSubscription(allChatMessages().resource("/chats/getAllMessages?model=B").build()));

        assertThat(e.isForbidden()).isTrue();
        assertThat(e.errorCode()).contains("Forbidden");
        assertThat(e.getMessage()).contains("Graph answered 403 Forbidden to POST /v1.0/subscriptions")
                .contains("The app needs the application permission Chat.Read.All for chats/getAllMessages, granted "
                          + "with admin consent");
        assertThat(graph.requests()).as("not retried").hasSize(1);
    }

    @Test
    void protectedApiRefusalIsToldApartFromAMissingPermission() {
        GraphClient client = client(tokens(UNAPPROVED_APP), quickRetries());

        GraphApiException e = catchThrowableOfType(GraphApiException.class,
                () -> client.createSubscription(allChatMessages().resource("/chats/getAllMessages?model=B").build()));

        assertThat(e.isProtectedApiRefusal()).isTrue();
        assertThat(e.getMessage()).contains("Invoked API requires Protected API access")
                .contains("Microsoft has not approved this app for the protected Teams APIs")
                .contains("https://learn.microsoft.com/graph/teams-protected-apis")
                .doesNotContain("needs the application permission");
    }

    @Test
    void forbiddenChannelSubscriptionNamesTheChannelPermissions() {
        GraphClient client = client(tokens(NO_PERMISSION_APP), quickRetries());
        String channel = "/teams/" + DemoTenant.TEAM + "/channels/" + DemoTenant.GENERAL_CHANNEL + "/messages";

        GraphApiException e = catchThrowableOfType(GraphApiException.class,
                () -> client.createSubscription(allChatMessages().resource(channel).build()));

        assertThat(e.getMessage()).contains("ChannelMessage.Read.All or ChannelMessage.Read.Group (RSC)");
    }

    @Test
    void forbiddenMessageReadNamesThePermissionOfItsChat() {
        ChatMessage message = emulator.teams().postChatMessage(DemoTenant.GROUP_CHAT,
                NewMessage.text(DemoTenant.ADELE, "hello"));
        GraphClient client = client(tokens(NO_PERMISSION_APP), quickRetries());

        GraphApiException e = catchThrowableOfType(GraphApiException.class,
                () -> client.getMessage("chats('" + DemoTenant.GROUP_CHAT + "')/messages('" + message.id() + "')"));

        assertThat(e.isForbidden()).isTrue();
        assertThat(e.getMessage()).contains("Chat.Read.All or ChatMessage.Read.Chat (RSC)");
    }

    @Test
    void unknownSubscriptionIsNotFound() {
        GraphClient client = client(quickRetries());

        GraphApiException e = catchThrowableOfType(GraphApiException.class,
                () -> client.renewSubscription("00000000-0000-4000-8000-00000000dead", java.time.Instant.now()
                        .plusSeconds(3600)));

        assertThat(e.isNotFound()).isTrue();
        assertThat(e.isConflict()).isFalse();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.method()).isEqualTo("PATCH");
        assertThat(e.path()).isEqualTo("/v1.0/subscriptions/00000000-0000-4000-8000-00000000dead");
        assertThat(e.getMessage()).contains("404 ResourceNotFound").contains("does not exist");
        assertThat(graph.requests()).hasSize(1);
    }

    @Test
    void sameResourceAndChangeTypeAgainIsConflict() throws Exception {
        GraphClient client = client(quickRetries());
        client.createSubscription(allChatMessages().build());

        GraphApiException e = catchThrowableOfType(GraphApiException.class,
                () -> client.createSubscription(allChatMessages().build()));

        assertThat(e.isConflict()).isTrue();
        assertThat(e.isNotFound()).isFalse();
        assertThat(e.getMessage()).contains("Graph answered 409").doesNotContain("earlier attempt");
        assertThat(graph.requests("POST", "/v1.0/subscriptions")).hasSize(2);
    }

    @Test
    void failedHandshakeIsGraphsValidationError() throws Exception {
        GraphClient client = client(quickRetries());

        GraphApiException e = catchThrowableOfType(GraphApiException.class, () -> client.createSubscription(
                allChatMessages().notificationUrl(graph.baseUrl() + "/no-endpoint-here").build()));

        assertThat(e.isBadRequest()).isTrue();
        assertThat(e.errorCode()).contains("ValidationError");
        assertThat(e.graphMessage()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("Subscription validation request failed."));
    }

    @Test
    void permissionOfEachResourceShape() {
        assertThat(GraphErrors.requiredPermission("/teams/getAllMessages?model=A")).isEqualTo("ChannelMessage.Read.All");
        assertThat(GraphErrors.requiredPermission("chats('19:a@thread.v2')/messages('1700000000000')"))
                .isEqualTo("Chat.Read.All or ChatMessage.Read.Chat (RSC)");
        assertThat(GraphErrors.requiredPermission("teams('t')/channels('19:c@thread.tacv2')/messages('1')/replies('2')"))
                .isEqualTo("ChannelMessage.Read.All or ChannelMessage.Read.Group (RSC)");
        assertThat(GraphErrors.requiredPermission("/users/u1/chats/getAllMessages")).isEqualTo("Chat.Read.All");
        assertThat(GraphErrors.requiredPermission("appCatalogs/teamsApps/app-1/installedToChats/getAllMessages"))
                .isEqualTo("Chat.Read.WhereInstalled");
        assertThat(GraphErrors.requiredPermission("/v1.0/subscriptions/abc")).isNull();
        assertThat(GraphErrors.requiredPermission(null)).isNull();
    }
}
