package io.camelgraphteams.emulator.subscriptions;

import java.util.Set;

/** The six chatMessage resources Graph lets an app subscribe to, with the application permissions each accepts. */
public enum ResourceKind {
    /** /teams/getAllMessages: every channel message in the tenant; one per app. */
    TENANT_CHANNEL_MESSAGES(Set.of("ChannelMessage.Read.All")),
    /** /chats/getAllMessages: every chat message in the tenant; one per app. */
    TENANT_CHAT_MESSAGES(Set.of("Chat.Read.All", "Chat.ReadWrite.All")),
    /** /teams/{team-id}/channels/{channel-id}/messages. */
    CHANNEL_MESSAGES(Set.of("ChannelMessage.Read.All", "ChannelMessage.Read.Group")),
    /** /chats/{chat-id}/messages. */
    CHAT_MESSAGES(Set.of("Chat.Read.All", "Chat.ReadWrite.All", "ChatMessage.Read.Chat")),
    /** /users/{user-id}/chats/getAllMessages: all chats of one user; at most 10 per user. */
    USER_CHAT_MESSAGES(Set.of("Chat.Read.All", "Chat.ReadWrite.All")),
    /** /appCatalogs/teamsApps/{app-id}/installedToChats/getAllMessages: chats where the app is installed. */
    APP_INSTALLED_CHAT_MESSAGES(Set.of("Chat.Read.WhereInstalled", "Chat.ReadWrite.WhereInstalled"));

    private final Set<String> permissions;

    ResourceKind(Set<String> permissions) {
        this.permissions = permissions;
    }

    public Set<String> permissions() {
        return permissions;
    }

    public boolean allowsSearchAndMentionFilter() {
        return this == CHANNEL_MESSAGES || this == CHAT_MESSAGES || this == USER_CHAT_MESSAGES;
    }

    public boolean allowsModel() {
        return this == TENANT_CHANNEL_MESSAGES || this == TENANT_CHAT_MESSAGES || this == USER_CHAT_MESSAGES
                || this == APP_INSTALLED_CHAT_MESSAGES;
    }
}
