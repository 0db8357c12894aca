package io.camelgraphteams.component.resource;

/**
 * The six chatMessage resources Microsoft Graph accepts change-notification subscriptions for.
 */
public enum ResourceKind {

    /** {@code /teams/getAllMessages}: every channel message in the tenant. */
    ALL_CHANNEL_MESSAGES("teams/getAllMessages", "ChannelMessage.Read.All", true),
    /** {@code /chats/getAllMessages}: every chat message in the tenant. */
    ALL_CHAT_MESSAGES("chats/getAllMessages", "Chat.Read.All", false),
    /** {@code /teams/{team-id}/channels/{channel-id}/messages}: one channel. */
    CHANNEL_MESSAGES("teams/{team-id}/channels/{channel-id}/messages", "ChannelMessage.Read.All or ChannelMessage.Read.Group (RSC)", true),
    /** {@code /chats/{chat-id}/messages}: one chat. */
    CHAT_MESSAGES("chats/{chat-id}/messages", "Chat.Read.All or ChatMessage.Read.Chat (RSC)", false),
    /** {@code /users/{user-id}/chats/getAllMessages}: every chat one user takes part in. */
    USER_CHAT_MESSAGES("users/{user-id}/chats/getAllMessages", "Chat.Read.All", false),
    /** {@code /appCatalogs/teamsApps/{app-id}/installedToChats/getAllMessages}: chats where an app is installed. */
    APP_INSTALLED_CHAT_MESSAGES("appCatalogs/teamsApps/{app-id}/installedToChats/getAllMessages", "Chat.Read.WhereInstalled", false);

    private final String shape;
    private final String applicationPermission;
    private final boolean channelMessages;

    ResourceKind(String shape, String applicationPermission, boolean channelMessages) {
        this.shape = shape;
        this.applicationPermission = applicationPermission;
        this.channelMessages = channelMessages;
    }

    /** The path shape as Graph documents it, with placeholders for ids. */
    public String shape() {
        return shape;
    }

    /** The application permission the subscription needs (graph-protocol.md). */
    public String applicationPermission() {
        return applicationPermission;
    }

    /**
     * Whether Microsoft meters this resource (the getAllMessages ones): subscriptions need {@code model} (A or B),
     * without it they run in evaluation mode, capped at 500 messages a month; reading them is charged per message.
     */
    public boolean isMetered() {
        return shape.endsWith("getAllMessages");
    }

    /** Whether notifications of this resource are about channel messages (otherwise chat messages). */
    public boolean isChannelMessages() {
        return channelMessages;
    }
}
