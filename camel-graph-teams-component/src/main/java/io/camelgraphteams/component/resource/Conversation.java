package io.camelgraphteams.component.resource;

import java.util.Optional;

import io.camelgraphteams.component.resource.GraphResource;
import io.camelgraphteams.component.resource.NotifiedResource;

/**
 * What one backfill listing covers and one watermark is kept for: a channel (listed by its message delta), a chat
 * (its messages), or every chat of one user ({@code users/{id}/chats/getAllMessages}).
 *
 * @param kind   which of the three
 * @param first  the team id, the chat id or the user id
 * @param second the channel id for a channel, else null
 */
public record Conversation(Kind kind, String first, String second) {

    public enum Kind {
        CHANNEL("channel"),
        CHAT("chat"),
        USER_CHATS("user");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public static Conversation channel(String teamId, String channelId) {
        return new Conversation(Kind.CHANNEL, teamId, channelId);
    }

    public static Conversation chat(String chatId) {
        return new Conversation(Kind.CHAT, chatId, null);
    }

    public static Conversation userChats(String userId) {
        return new Conversation(Kind.USER_CHATS, userId, null);
    }

    /**
     * The conversation an endpoint keeps the watermark of a delivered message under: the endpoint's own channel, chat
     * or user for the single-resource kinds (Graph's spelling of the ids does not matter then), the message's channel or
     * chat for the tenant-wide ones. Empty when the message does not name one.
     */
    public static Optional<Conversation> of(GraphResource endpoint, NotifiedResource message) {
        Optional<Conversation> own = single(endpoint);
        if (own.isPresent()) {
            return own;
        }
        if (message.isChannelMessage()) {
            return message.channelId() == null ? Optional.empty()
                    : Optional.of(channel(message.teamId(), message.channelId()));
        }
        return message.chatId() == null ? Optional.empty() : Optional.of(chat(message.chatId()));
    }

    /** The one conversation of a single-resource endpoint (a channel, a chat, a user's chats); empty for tenant-wide ones. */
    public static Optional<Conversation> single(GraphResource endpoint) {
        return switch (endpoint.kind()) {
            case CHANNEL_MESSAGES -> Optional.of(channel(endpoint.teamId().orElseThrow(), endpoint.channelId().orElseThrow()));
            case CHAT_MESSAGES -> Optional.of(chat(endpoint.chatId().orElseThrow()));
            case USER_CHAT_MESSAGES -> Optional.of(userChats(endpoint.userId().orElseThrow()));
            case ALL_CHANNEL_MESSAGES, ALL_CHAT_MESSAGES, APP_INSTALLED_CHAT_MESSAGES -> Optional.empty();
        };
    }

    /** The text form kept in the state repository: channel:{team}/{channel}, chat:{id} or user:{id}. */
    public String key() {
        return kind.prefix + ":" + first + (second != null ? "/" + second : "");
    }

    /** Reads {@link #key()}; empty for anything else. */
    public static Optional<Conversation> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        int colon = key.indexOf(':');
        if (colon < 1 || colon == key.length() - 1) {
            return Optional.empty();
        }
        String prefix = key.substring(0, colon);
        String rest = key.substring(colon + 1);
        for (Kind kind : Kind.values()) {
            if (kind.prefix.equals(prefix)) {
                if (kind != Kind.CHANNEL) {
                    return Optional.of(new Conversation(kind, rest, null));
                }
                int slash = rest.indexOf('/');
                return slash < 1 || slash == rest.length() - 1 ? Optional.empty()
                        : Optional.of(channel(rest.substring(0, slash), rest.substring(slash + 1)));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key();
    }
}
