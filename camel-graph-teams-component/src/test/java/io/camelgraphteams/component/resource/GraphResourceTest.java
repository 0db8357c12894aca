package io.camelgraphteams.component.resource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphResourceTest {

    @Test
    void allSixResourceShapesParse() {
        assertThat(GraphResource.parse("teams/getAllMessages").kind()).isEqualTo(ResourceKind.ALL_CHANNEL_MESSAGES);
        assertThat(GraphResource.parse("chats/getAllMessages").kind()).isEqualTo(ResourceKind.ALL_CHAT_MESSAGES);
        GraphResource channel = GraphResource.parse(
                "teams/fbe2bf47-16c8-47cf-b4a5-4b9b187c508b/channels/19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2/messages");
        assertThat(channel.kind()).isEqualTo(ResourceKind.CHANNEL_MESSAGES);
        assertThat(channel.teamId()).contains("fbe2bf47-16c8-47cf-b4a5-4b9b187c508b");
        assertThat(channel.channelId()).contains("19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2");
        GraphResource chat = GraphResource.parse("/chats/19:8ea0e38b-efb3-4757-924a-5f94061cf8c2_97f62344@unq.gbl.spaces/messages");
        assertThat(chat.kind()).isEqualTo(ResourceKind.CHAT_MESSAGES);
        assertThat(chat.chatId()).contains("19:8ea0e38b-efb3-4757-924a-5f94061cf8c2_97f62344@unq.gbl.spaces");
        assertThat(chat.subscriptionResource()).isEqualTo("/chats/19:8ea0e38b-efb3-4757-924a-5f94061cf8c2_97f62344@unq.gbl.spaces/messages");
        GraphResource user = GraphResource.parse("users/8b081ef6-4792-4def-b2c9-c363a1bf41d5/chats/getAllMessages");
        assertThat(user.kind()).isEqualTo(ResourceKind.USER_CHAT_MESSAGES);
        assertThat(user.userId()).contains("8b081ef6-4792-4def-b2c9-c363a1bf41d5");
        GraphResource app = GraphResource.parse("appCatalogs/teamsApps/1a2b3c/installedToChats/getAllMessages");
        assertThat(app.kind()).isEqualTo(ResourceKind.APP_INSTALLED_CHAT_MESSAGES);
        assertThat(app.appId()).contains("1a2b3c");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "teams", "teams/getAllMessagez", "chats/abc", "teams/t1/channels/messages",
                             "users/u1/chats", "me/chats/getAllMessages", "chats/a/b/messages", "drives/x/root" })
    void unknownShapeFailsListingTheAcceptedShapes(String path) {
        assertThatThrownBy(() -> GraphResource.parse(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("teams/{team-id}/channels/{channel-id}/messages")
                .hasMessageContaining("appCatalogs/teamsApps/{app-id}/installedToChats/getAllMessages")
                .hasMessageContaining("chats/getAllMessages");
    }

    @Test
    void channelSubscriptionCoversOnlyItsChannel() {
        GraphResource channel = GraphResource.parse("teams/t1/channels/c1/messages");
        assertThat(channel.covers(NotifiedResource.parse("teams('t1')/channels('c1')/messages('m1')").orElseThrow())).isTrue();
        assertThat(channel.covers(NotifiedResource.parse("teams('t1')/channels('c1')/messages('m1')/replies('r1')").orElseThrow())).isTrue();
        assertThat(channel.covers(NotifiedResource.parse("teams('t1')/channels('c2')/messages('m1')").orElseThrow())).isFalse();
        assertThat(channel.covers(NotifiedResource.parse("teams('t2')/channels('c1')/messages('m1')").orElseThrow())).isFalse();
        assertThat(channel.covers(NotifiedResource.parse("chats('c1')/messages('m1')").orElseThrow())).isFalse();
    }

    @Test
    void chatSubscriptionCoversOnlyItsChat() {
        GraphResource chat = GraphResource.parse("chats/19:abc@thread.v2/messages");
        assertThat(chat.covers(NotifiedResource.parse("chats('19:abc@thread.v2')/messages('1')").orElseThrow())).isTrue();
        assertThat(chat.covers(NotifiedResource.parse("chats('19:other@thread.v2')/messages('1')").orElseThrow())).isFalse();
    }

    @Test
    void tenantWideSubscriptionsCoverTheirKindOfMessage() {
        NotifiedResource channelMessage = NotifiedResource.parse("teams('t')/channels('c')/messages('m')").orElseThrow();
        NotifiedResource chatMessage = NotifiedResource.parse("chats('c')/messages('m')").orElseThrow();
        assertThat(GraphResource.parse("teams/getAllMessages").covers(channelMessage)).isTrue();
        assertThat(GraphResource.parse("teams/getAllMessages").covers(chatMessage)).isFalse();
        assertThat(GraphResource.parse("chats/getAllMessages").covers(chatMessage)).isTrue();
        assertThat(GraphResource.parse("chats/getAllMessages").covers(channelMessage)).isFalse();
        assertThat(GraphResource.parse("users/u/chats/getAllMessages").covers(chatMessage)).isTrue();
        assertThat(GraphResource.parse("appCatalogs/teamsApps/a/installedToChats/getAllMessages").covers(chatMessage)).isTrue();
    }
}
