package io.camelgraphteams.emulator.subscriptions;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelgraphteams.emulator.http.GraphApiException;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;

/**
 * A parsed subscription resource: which of the six kinds, its ids, and the query options Graph allows on it
 * ($search, the mentions $filter, model). Both path forms are accepted: /teams/{id}/channels/{id}/messages and
 * teams('{id}')/channels('{id}')/messages.
 */
public record SubscriptionResource(ResourceKind kind, String teamId, String channelId, String chatId, String userId,
        String teamsAppId, String search, String mentionedUserId, String model) {

    private static final Pattern KEY_SEGMENT = Pattern.compile("([A-Za-z]+)\\('([^']*)'\\)");
    private static final Pattern MENTIONS_FILTER = Pattern.compile(
            "mentions/any\\(\\s*(\\w+)\\s*:\\s*\\1/mentioned/user/id\\s+eq\\s+'([^']+)'\\s*\\)");

    /** @throws GraphApiException 400 InvalidRequest when the text is none of the six resources or has a bad option */
    public static SubscriptionResource parse(String resource) {
        if (resource == null || resource.isBlank()) {
            throw invalid(resource, "resource is empty");
        }
        String text = resource.trim();
        String query = null;
        int q = text.indexOf('?');
        if (q >= 0) {
            query = text.substring(q + 1);
            text = text.substring(0, q);
        }
        Matcher keys = KEY_SEGMENT.matcher(text);
        text = keys.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "/" + m.group(2)));
        while (text.startsWith("/")) {
            text = text.substring(1);
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        String[] s = text.split("/");
        String[] lower = new String[s.length];
        for (int i = 0; i < s.length; i++) {
            lower[i] = s[i].toLowerCase(Locale.ROOT);
        }
        ResourceKind kind;
        String teamId = null;
        String channelId = null;
        String chatId = null;
        String userId = null;
        String appId = null;
        if (is(lower, "teams", "getallmessages")) {
            kind = ResourceKind.TENANT_CHANNEL_MESSAGES;
        } else if (is(lower, "chats", "getallmessages")) {
            kind = ResourceKind.TENANT_CHAT_MESSAGES;
        } else if (is(lower, "teams", null, "channels", null, "messages")) {
            kind = ResourceKind.CHANNEL_MESSAGES;
            teamId = s[1];
            channelId = s[3];
        } else if (is(lower, "chats", null, "messages")) {
            kind = ResourceKind.CHAT_MESSAGES;
            chatId = s[1];
        } else if (is(lower, "users", null, "chats", "getallmessages")) {
            kind = ResourceKind.USER_CHAT_MESSAGES;
            userId = s[1];
        } else if (is(lower, "appcatalogs", "teamsapps", null, "installedtochats", "getallmessages")) {
            kind = ResourceKind.APP_INSTALLED_CHAT_MESSAGES;
            appId = s[2];
        } else {
            throw invalid(resource, "it is not one of the chatMessage resources");
        }
        String search = null;
        String mentioned = null;
        String model = null;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                case "$search" -> {
                    if (!kind.allowsSearchAndMentionFilter()) {
                        throw invalid(resource, "$search is not supported on this resource");
                    }
                    search = unquote(value);
                    if (search.isEmpty()) {
                        throw invalid(resource, "$search needs a value");
                    }
                }
                case "$filter" -> {
                    if (!kind.allowsSearchAndMentionFilter()) {
                        throw invalid(resource, "$filter is not supported on this resource");
                    }
                    Matcher m = MENTIONS_FILTER.matcher(value.trim());
                    if (!m.matches()) {
                        throw invalid(resource, "the only $filter supported is mentions/any(u: u/mentioned/user/id eq '{user-id}')");
                    }
                    mentioned = m.group(2);
                }
                case "model" -> {
                    if (!kind.allowsModel() || !(value.equals("A") || value.equals("B"))) {
                        throw invalid(resource, "model must be A or B, on a getAllMessages resource");
                    }
                    model = value;
                }
                default -> throw invalid(resource, "query option '" + name + "' is not supported");
                }
            }
        }
        return new SubscriptionResource(kind, teamId, channelId, chatId, userId, appId, search, mentioned, model);
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static boolean is(String[] segments, String... pattern) {
        if (segments.length != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] == null ? segments[i].isEmpty() : !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static GraphApiException invalid(String resource, String why) {
        return GraphApiException.badRequest("InvalidRequest", "Invalid resource '" + resource + "': " + why + ".");
    }

    /** What a quota counts per: the channel, chat, user, app catalog entry, or the tenant-wide resource. */
    public String scopeKey() {
        return switch (kind) {
        case TENANT_CHANNEL_MESSAGES -> "teams/getAllMessages";
        case TENANT_CHAT_MESSAGES -> "chats/getAllMessages";
        case CHANNEL_MESSAGES -> "teams/" + teamId + "/channels/" + channelId;
        case CHAT_MESSAGES -> "chats/" + chatId;
        case USER_CHAT_MESSAGES -> "users/" + userId;
        case APP_INSTALLED_CHAT_MESSAGES -> "appCatalogs/teamsApps/" + teamsAppId;
        };
    }

    /** Whether a message change falls in this resource (scope, $search text, mentions filter). */
    public boolean matches(ChatMessage message, TeamsStore store) {
        boolean inScope = switch (kind) {
        case TENANT_CHANNEL_MESSAGES -> message.isChannelMessage();
        case TENANT_CHAT_MESSAGES -> message.chatId() != null;
        case CHANNEL_MESSAGES -> teamId.equals(message.teamId()) && channelId.equals(message.channelId());
        case CHAT_MESSAGES -> chatId.equals(message.chatId());
        case USER_CHAT_MESSAGES -> message.chatId() != null
                && store.findChat(message.chatId()).map(c -> c.memberIds().contains(userId)).orElse(false);
        case APP_INSTALLED_CHAT_MESSAGES -> message.chatId() != null
                && store.findChat(message.chatId()).map(c -> c.installedAppIds().contains(teamsAppId)).orElse(false);
        };
        if (!inScope) {
            return false;
        }
        if (search != null && !message.plainText().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return mentionedUserId == null || message.mentions().stream().anyMatch(u -> u.id().equals(mentionedUserId));
    }

    /** Checks that the ids name existing things in the caller's tenant; Graph answers 404 otherwise. */
    public void checkExists(TeamsStore store, String tenantId) {
        List<String> missing = new ArrayList<>();
        switch (kind) {
        case CHANNEL_MESSAGES -> {
            if (store.findChannel(teamId, channelId).filter(c -> c.tenantId().equals(tenantId)).isEmpty()) {
                missing.add("channel '" + channelId + "' of team '" + teamId + "'");
            }
        }
        case CHAT_MESSAGES -> {
            if (store.findChat(chatId).filter(c -> c.tenantId().equals(tenantId)).isEmpty()) {
                missing.add("chat '" + chatId + "'");
            }
        }
        case USER_CHAT_MESSAGES -> {
            if (store.findUser(userId).filter(u -> u.tenantId().equals(tenantId)).isEmpty()) {
                missing.add("user '" + userId + "'");
            }
        }
        default -> {
        }
        }
        if (!missing.isEmpty()) {
            throw new GraphApiException(404, "NotFound", "Resource not found: " + String.join(", ", missing) + ".");
        }
    }
}
