package io.camelgraphteams.component.resource;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message a change notification is about, parsed from the item's {@code resource} property, e.g.
 * {@code teams('{team}')/channels('{channel}')/messages('{id}')/replies('{reply}')} or
 * {@code chats('{chat}')/messages('{id}')}. Graph also writes the same paths with slashes
 * ({@code teams/{team}/channels/...}); both forms are accepted.
 */
public record NotifiedResource(String teamId, String channelId, String chatId, String messageId, String replyId) {

    // a key is either ('value') or /value; values never contain a quote or a slash
    private static final String KEY = "(?:\\('([^'/]+)'\\)|/([^/()']+))";
    private static final Pattern CHANNEL_MESSAGE = Pattern.compile(
            "/?teams" + KEY + "/channels" + KEY + "/messages" + KEY + "(?:/replies" + KEY + ")?/?");
    private static final Pattern CHAT_MESSAGE = Pattern.compile(
            "/?(?:users" + KEY + "/)?chats" + KEY + "/messages" + KEY + "/?");

    /** Parses the item's resource; empty when it is not a chatMessage resource this component knows. */
    public static Optional<NotifiedResource> parse(String resource) {
        if (resource == null || resource.length() > 2048) {
            return Optional.empty();
        }
        // one pattern is tried, the one the resource's first segment names
        boolean channel = resource.startsWith("teams", resource.startsWith("/") ? 1 : 0);
        Matcher m = (channel ? CHANNEL_MESSAGE : CHAT_MESSAGE).matcher(resource);
        if (!m.matches()) {
            return Optional.empty();
        }
        return valid(channel ? new NotifiedResource(key(m, 1), key(m, 3), null, key(m, 5), key(m, 7))
                : new NotifiedResource(null, null, key(m, 3), key(m, 5), null));
    }

    private static String key(Matcher m, int quotedGroup) {
        String quoted = m.group(quotedGroup);
        return quoted != null ? quoted : m.group(quotedGroup + 1);
    }

    /**
     * Ids become path segments of Graph calls (the GET of a resource-less notification): a dot segment would climb out
     * of the message's path, so such a resource is no message of ours.
     */
    private static Optional<NotifiedResource> valid(NotifiedResource parsed) {
        for (String id : new String[] { parsed.teamId, parsed.channelId, parsed.chatId, parsed.messageId, parsed.replyId }) {
            if (".".equals(id) || "..".equals(id)) {
                return Optional.empty();
            }
        }
        return Optional.of(parsed);
    }

    public boolean isChannelMessage() {
        return teamId != null;
    }

    /**
     * The resource as Graph writes it in notifications: {@code teams('t')/channels('c')/messages('m')}, with
     * {@code /replies('r')} for a reply, or {@code chats('c')/messages('m')}.
     */
    public String toResourcePath() {
        if (isChannelMessage()) {
            String root = "teams('" + quote(teamId) + "')/channels('" + quote(channelId) + "')/messages('"
                          + quote(messageId) + "')";
            return replyId != null ? root + "/replies('" + quote(replyId) + "')" : root;
        }
        return "chats('" + quote(chatId) + "')/messages('" + quote(messageId) + "')";
    }

    private static String quote(String id) {
        return id.replace("'", "''");
    }

    /** The id of the message the notification is about: the reply's id for a reply. */
    public String effectiveMessageId() {
        return replyId != null ? replyId : messageId;
    }
}
