package io.camelgraphteams.emulator.teams;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.camelgraphteams.emulator.http.GraphApiException;

/**
 * Users, teams, channels, chats and their messages, in memory. Every change to a message gets a fresh, strictly
 * increasing timestamp (so ids, etags and lastModifiedDateTime order like in Teams) and a change sequence number, and
 * is announced to the listeners (the delivery engine) in that order.
 */
public final class TeamsStore {

    private final Clock clock;
    private final String defaultTenantId;
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Team> teams = new LinkedHashMap<>();
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, Chat> chats = new LinkedHashMap<>();
    private final Map<String, ChatMessage> messages = new LinkedHashMap<>();
    private final List<Consumer<MessageEvent>> listeners = new CopyOnWriteArrayList<>();
    private long lastTimestampMillis;
    private long changeSequence;

    public TeamsStore(Clock clock, String defaultTenantId) {
        this.clock = clock;
        this.defaultTenantId = defaultTenantId;
    }

    public void addListener(Consumer<MessageEvent> listener) {
        listeners.add(listener);
    }

    // ---- directory ----

    public synchronized User createUser(String id, String displayName, String tenantId) {
        String userId = id != null ? id : UUID.randomUUID().toString();
        String tenant = tenantId != null ? tenantId : defaultTenantId;
        String upn = displayName.replaceAll("[^A-Za-z0-9]", "").toLowerCase() + "@emulator.onmicrosoft.com";
        User user = new User(userId, displayName, upn, tenant);
        users.put(userId, user);
        return user;
    }

    public synchronized Team createTeam(String id, String displayName, String tenantId) {
        String teamId = id != null ? id : UUID.randomUUID().toString();
        Team team = new Team(teamId, displayName, tenantId != null ? tenantId : defaultTenantId);
        teams.put(teamId, team);
        return team;
    }

    public synchronized Channel createChannel(String teamId, String id, String displayName) {
        Team team = team(teamId);
        String channelId = id != null ? id : "19:" + hex() + "@thread.tacv2";
        Channel channel = new Channel(channelId, team.id(), displayName, team.tenantId());
        channels.put(channelId, channel);
        return channel;
    }

    /**
     * @param chatType oneOnOne, group or meeting; null means group
     */
    public synchronized Chat createChat(String id, String topic, String chatType, Collection<String> memberIds,
            Collection<String> installedAppIds) {
        List<User> members = memberIds.stream().map(this::user).toList();
        String tenant = members.isEmpty() ? defaultTenantId : members.get(0).tenantId();
        String chatId = id != null ? id : "19:" + hex() + "@thread.v2";
        Chat chat = new Chat(chatId, topic, chatType != null ? chatType : "group", tenant,
                new java.util.LinkedHashSet<>(memberIds), new java.util.LinkedHashSet<>(installedAppIds));
        chats.put(chatId, chat);
        return chat;
    }

    /** Installs a Teams app into a chat (what the appCatalogs/.../installedToChats resource follows). */
    public synchronized Chat installApp(String chatId, String teamsAppId) {
        Chat chat = chat(chatId);
        java.util.Set<String> apps = new java.util.LinkedHashSet<>(chat.installedAppIds());
        apps.add(teamsAppId);
        Chat updated = new Chat(chat.id(), chat.topic(), chat.chatType(), chat.tenantId(), chat.memberIds(), apps);
        chats.put(chatId, updated);
        return updated;
    }

    public synchronized User user(String id) {
        User user = users.get(id);
        if (user == null) {
            throw GraphApiException.notFound("User '" + id + "' not found.");
        }
        return user;
    }

    public synchronized Team team(String id) {
        Team team = teams.get(id);
        if (team == null) {
            throw GraphApiException.notFound("No team found with Group Id " + id);
        }
        return team;
    }

    public synchronized Channel channel(String teamId, String channelId) {
        Channel channel = channels.get(channelId);
        if (channel == null || !channel.teamId().equals(teamId)) {
            throw GraphApiException.notFound("Channel '" + channelId + "' not found in team '" + teamId + "'.");
        }
        return channel;
    }

    public synchronized Chat chat(String id) {
        Chat chat = chats.get(id);
        if (chat == null) {
            throw GraphApiException.notFound("Chat '" + id + "' not found.");
        }
        return chat;
    }

    public synchronized Optional<User> findUser(String id) {
        return Optional.ofNullable(users.get(id));
    }

    public synchronized Optional<Team> findTeam(String id) {
        return Optional.ofNullable(teams.get(id));
    }

    public synchronized Optional<Channel> findChannel(String teamId, String channelId) {
        Channel channel = channels.get(channelId);
        return channel != null && channel.teamId().equals(teamId) ? Optional.of(channel) : Optional.empty();
    }

    public synchronized Optional<Chat> findChat(String id) {
        return Optional.ofNullable(chats.get(id));
    }

    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    public synchronized List<Team> teams() {
        return List.copyOf(teams.values());
    }

    public synchronized List<Channel> channels(String teamId) {
        return channels.values().stream().filter(c -> c.teamId().equals(teamId)).toList();
    }

    public synchronized List<Chat> chats() {
        return List.copyOf(chats.values());
    }

    // ---- messages ----

    public synchronized ChatMessage postChannelMessage(String teamId, String channelId, NewMessage message) {
        Channel channel = channel(teamId, channelId);
        return create(message, null, channel.tenantId(), teamId, channelId, null);
    }

    public synchronized ChatMessage postReply(String teamId, String channelId, String parentMessageId, NewMessage message) {
        Channel channel = channel(teamId, channelId);
        ChatMessage parent = messages.get(parentMessageId);
        if (parent == null || !channelId.equals(parent.channelId()) || parent.isReply()) {
            throw GraphApiException.notFound("Message '" + parentMessageId + "' not found in channel '" + channelId + "'.");
        }
        return create(message, parentMessageId, channel.tenantId(), teamId, channelId, null);
    }

    public synchronized ChatMessage postChatMessage(String chatId, NewMessage message) {
        Chat chat = chat(chatId);
        return create(message, null, chat.tenantId(), null, null, chatId);
    }

    public synchronized ChatMessage editMessage(String messageId, String newContent) {
        ChatMessage current = message(messageId);
        if (current.isDeleted()) {
            throw GraphApiException.badRequest("BadRequest", "Message '" + messageId + "' is deleted and cannot be edited.");
        }
        ChatMessage edited = current.edited(newContent, nextTimestamp(), ++changeSequence);
        messages.put(messageId, edited);
        publish(new MessageEvent(ChangeType.UPDATED, edited));
        return edited;
    }

    /** Soft delete, as Teams does: the message stays readable with deletedDateTime set. */
    public synchronized ChatMessage deleteMessage(String messageId) {
        ChatMessage current = message(messageId);
        if (current.isDeleted()) {
            return current;
        }
        ChatMessage deleted = current.deleted(nextTimestamp(), ++changeSequence);
        messages.put(messageId, deleted);
        publish(new MessageEvent(ChangeType.DELETED, deleted));
        return deleted;
    }

    public synchronized ChatMessage message(String messageId) {
        ChatMessage message = messages.get(messageId);
        if (message == null) {
            throw GraphApiException.notFound("Message '" + messageId + "' not found.");
        }
        return message;
    }

    public synchronized Optional<ChatMessage> findMessage(String messageId) {
        return Optional.ofNullable(messages.get(messageId));
    }

    /** Top-level messages of a channel, oldest first. */
    public synchronized List<ChatMessage> channelRootMessages(String teamId, String channelId) {
        return messages.values().stream()
                .filter(m -> channelId.equals(m.channelId()) && teamId.equals(m.teamId()) && !m.isReply())
                .toList();
    }

    public synchronized List<ChatMessage> replies(String parentMessageId) {
        return messages.values().stream().filter(m -> parentMessageId.equals(m.replyToId())).toList();
    }

    public synchronized List<ChatMessage> chatMessages(String chatId) {
        return messages.values().stream().filter(m -> chatId.equals(m.chatId())).toList();
    }

    /** Every message of every chat the user is a member of, in change order. */
    public synchronized List<ChatMessage> messagesOfUserChats(String userId) {
        return messages.values().stream()
                .filter(m -> m.chatId() != null && chats.get(m.chatId()).memberIds().contains(userId))
                .sorted(Comparator.comparingLong(ChatMessage::changeSequence))
                .collect(Collectors.toList());
    }

    public synchronized long currentChangeSequence() {
        return changeSequence;
    }

    private ChatMessage create(NewMessage input, String replyToId, String tenantId, String teamId, String channelId,
            String chatId) {
        User from = user(input.fromUserId());
        List<User> mentioned = new ArrayList<>();
        for (String id : input.mentionedUserIds()) {
            mentioned.add(user(id));
        }
        String contentType = input.contentType() == null ? "text" : input.contentType();
        String content = input.content();
        if (!mentioned.isEmpty() && !content.contains("<at id=")) {
            StringBuilder tags = new StringBuilder("<div>");
            for (int i = 0; i < mentioned.size(); i++) {
                tags.append("<at id=\"").append(i).append("\">").append(mentioned.get(i).displayName()).append("</at> ");
            }
            content = tags.append(content).append("</div>").toString();
            contentType = "html";
        }
        Instant now = nextTimestamp();
        String id = Long.toString(now.toEpochMilli());
        ChatMessage message = new ChatMessage(id, replyToId, tenantId, teamId, channelId, chatId, from, contentType,
                content, input.subject(), input.importance() == null ? "normal" : input.importance(), mentioned, now, now,
                null, null, ++changeSequence);
        messages.put(id, message);
        publish(new MessageEvent(ChangeType.CREATED, message));
        return message;
    }

    /** Now, or 1 ms after the last one handed out: ids and etags stay unique and ordered. */
    private Instant nextTimestamp() {
        long now = clock.millis();
        lastTimestampMillis = Math.max(now, lastTimestampMillis + 1);
        return Instant.ofEpochMilli(lastTimestampMillis);
    }

    private void publish(MessageEvent event) {
        for (Consumer<MessageEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
