package io.camelgraphteams.component.resource;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Graph resource an endpoint subscribes to, parsed from the URI path ({@code graph-teams:<resource>}).
 */
public final class GraphResource {

    // an id is one path segment: Teams ids contain ':', '@', '.', '-', '_' and '=' but never '/', '?' or '#'
    private static final String ID = "([^/?#\\s]+)";

    private static final Pattern ALL_CHANNEL = Pattern.compile("teams/getAllMessages");
    private static final Pattern ALL_CHAT = Pattern.compile("chats/getAllMessages");
    private static final Pattern CHANNEL = Pattern.compile("teams/" + ID + "/channels/" + ID + "/messages");
    private static final Pattern CHAT = Pattern.compile("chats/" + ID + "/messages");
    private static final Pattern USER_CHATS = Pattern.compile("users/" + ID + "/chats/getAllMessages");
    private static final Pattern APP_CHATS
            = Pattern.compile("appCatalogs/teamsApps/" + ID + "/installedToChats/getAllMessages");

    private final ResourceKind kind;
    private final String path;
    private final String teamId;
    private final String channelId;
    private final String chatId;
    private final String userId;
    private final String appId;

    private GraphResource(ResourceKind kind, String path, String teamId, String channelId, String chatId, String userId,
                          String appId) {
        this.kind = kind;
        this.path = path;
        this.teamId = teamId;
        this.channelId = channelId;
        this.chatId = chatId;
        this.userId = userId;
        this.appId = appId;
    }

    /**
     * Parses the resource of an endpoint URI.
     *
     * @throws  IllegalArgumentException naming the accepted shapes when the path is none of them
     */
    public static GraphResource parse(String resource) {
        if (resource == null || resource.isBlank()) {
            throw new IllegalArgumentException("The graph-teams resource is missing. " + acceptedShapes());
        }
        String path = resource.trim();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Matcher m;
        if (ALL_CHANNEL.matcher(path).matches()) {
            return new GraphResource(ResourceKind.ALL_CHANNEL_MESSAGES, path, null, null, null, null, null);
        }
        if (ALL_CHAT.matcher(path).matches()) {
            return new GraphResource(ResourceKind.ALL_CHAT_MESSAGES, path, null, null, null, null, null);
        }
        if ((m = CHANNEL.matcher(path)).matches()) {
            return new GraphResource(ResourceKind.CHANNEL_MESSAGES, path, m.group(1), m.group(2), null, null, null);
        }
        if ((m = CHAT.matcher(path)).matches()) {
            return new GraphResource(ResourceKind.CHAT_MESSAGES, path, null, null, m.group(1), null, null);
        }
        if ((m = USER_CHATS.matcher(path)).matches()) {
            return new GraphResource(ResourceKind.USER_CHAT_MESSAGES, path, null, null, null, m.group(1), null);
        }
        if ((m = APP_CHATS.matcher(path)).matches()) {
            return new GraphResource(ResourceKind.APP_INSTALLED_CHAT_MESSAGES, path, null, null, null, null, m.group(1));
        }
        throw new IllegalArgumentException(
                "The graph-teams resource '" + resource + "' is not a chatMessage resource Graph can notify about. "
                                           + acceptedShapes());
    }

    private static String acceptedShapes() {
        return "Accepted shapes: " + Arrays.stream(ResourceKind.values())
                .map(ResourceKind::shape)
                .collect(Collectors.joining(", "));
    }

    /**
     * Whether a notification about {@code notified} belongs to this subscription's scope. A notification outside it
     * is misaddressed: it was not sent for this endpoint.
     */
    public boolean covers(NotifiedResource notified) {
        return switch (kind) {
            case ALL_CHANNEL_MESSAGES -> notified.isChannelMessage();
            case CHANNEL_MESSAGES -> notified.isChannelMessage()
                    && teamId.equalsIgnoreCase(notified.teamId()) && channelId.equalsIgnoreCase(notified.channelId());
            case CHAT_MESSAGES -> !notified.isChannelMessage() && chatId.equalsIgnoreCase(notified.chatId());
            case ALL_CHAT_MESSAGES, USER_CHAT_MESSAGES, APP_INSTALLED_CHAT_MESSAGES -> !notified.isChannelMessage();
        };
    }

    public ResourceKind kind() {
        return kind;
    }

    /** The Graph path without a leading slash, as given (ids unchanged). */
    public String path() {
        return path;
    }

    /** The path as a subscription's {@code resource} property: with a leading slash. */
    public String subscriptionResource() {
        return "/" + path;
    }

    public Optional<String> teamId() {
        return Optional.ofNullable(teamId);
    }

    public Optional<String> channelId() {
        return Optional.ofNullable(channelId);
    }

    public Optional<String> chatId() {
        return Optional.ofNullable(chatId);
    }

    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    public Optional<String> appId() {
        return Optional.ofNullable(appId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GraphResource other && kind == other.kind && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, path);
    }

    @Override
    public String toString() {
        return path;
    }
}
