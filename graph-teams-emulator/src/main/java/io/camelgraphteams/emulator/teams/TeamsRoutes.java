package io.camelgraphteams.emulator.teams;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.emulator.http.GraphApiException;
import io.camelgraphteams.emulator.http.GraphResponses;
import io.camelgraphteams.emulator.http.Json;
import io.camelgraphteams.emulator.identity.CallerIdentity;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Graph's read API for Teams messages: GET a message or reply, list channel and chat messages, channel message delta
 * (@odata.nextLink / @odata.deltaLink, $filter=lastModifiedDateTime gt) and /users/{id}/chats/getAllMessages.
 */
public final class TeamsRoutes {

    private static final Set<String> CHANNEL_READ = Set.of("ChannelMessage.Read.All", "ChannelMessage.Read.Group");
    // Graph also lists a chat's messages for Chat.Read.WhereInstalled; the emulator does not check the installation
    private static final Set<String> CHAT_READ = Set.of("Chat.Read.All", "Chat.ReadWrite.All", "ChatMessage.Read.Chat",
            "Chat.Read.WhereInstalled", "Chat.ReadWrite.WhereInstalled");
    private static final Set<String> USER_CHATS_READ = Set.of("Chat.Read.All", "Chat.ReadWrite.All");
    private static final Pattern DELTA_FILTER = Pattern.compile(
            "\\s*lastModifiedDateTime\\s+gt\\s+'?([0-9T:.+\\-Z]+)'?\\s*", Pattern.CASE_INSENSITIVE);

    private final TeamsStore store;

    public TeamsRoutes(TeamsStore store) {
        this.store = store;
    }

    public void mount(Router router) {
        router.get("/teams/:teamId/channels/:channelId/messages/delta").handler(this::channelDelta);
        router.get("/teams/:teamId/channels/:channelId/messages").handler(this::listChannelMessages);
        router.get("/teams/:teamId/channels/:channelId/messages/:messageId").handler(this::getChannelMessage);
        router.get("/teams/:teamId/channels/:channelId/messages/:messageId/replies").handler(this::listReplies);
        router.get("/teams/:teamId/channels/:channelId/messages/:messageId/replies/:replyId").handler(this::getReply);
        router.get("/chats/:chatId/messages").handler(this::listChatMessages);
        router.get("/chats/:chatId/messages/:messageId").handler(this::getChatMessage);
        router.get("/users/:userId/chats/getAllMessages").handler(this::userChatMessages);
    }

    // ---- single messages ----

    private void getChannelMessage(RoutingContext ctx) {
        Channel channel = channel(ctx);
        ChatMessage m = store.findMessage(ctx.pathParam("messageId"))
                .filter(x -> channel.id().equals(x.channelId()) && !x.isReply())
                .orElseThrow(() -> GraphApiException.notFound("Message '" + ctx.pathParam("messageId") + "' not found."));
        ObjectNode json = withContext(ctx, "teams('" + channel.teamId() + "')/channels('" + channel.id()
                + "')/messages/$entity", m.toJson());
        GraphResponses.json(ctx, 200, json);
    }

    private void getReply(RoutingContext ctx) {
        Channel channel = channel(ctx);
        String parent = ctx.pathParam("messageId");
        ChatMessage m = store.findMessage(ctx.pathParam("replyId"))
                .filter(x -> channel.id().equals(x.channelId()) && parent.equals(x.replyToId()))
                .orElseThrow(() -> GraphApiException.notFound("Reply '" + ctx.pathParam("replyId") + "' not found."));
        GraphResponses.json(ctx, 200, withContext(ctx, "teams('" + channel.teamId() + "')/channels('" + channel.id()
                + "')/messages('" + parent + "')/replies/$entity", m.toJson()));
    }

    private void getChatMessage(RoutingContext ctx) {
        Chat chat = chat(ctx);
        ChatMessage m = store.findMessage(ctx.pathParam("messageId")).filter(x -> chat.id().equals(x.chatId()))
                .orElseThrow(() -> GraphApiException.notFound("Message '" + ctx.pathParam("messageId") + "' not found."));
        GraphResponses.json(ctx, 200, withContext(ctx, "chats('" + chat.id() + "')/messages/$entity", m.toJson()));
    }

    // ---- lists (newest first, offset paging: creation order never changes) ----

    private void listChannelMessages(RoutingContext ctx) {
        Channel channel = channel(ctx);
        boolean expand = expandReplies(ctx);
        List<ChatMessage> all = new ArrayList<>(store.channelRootMessages(channel.teamId(), channel.id()));
        all.sort(Comparator.comparing(ChatMessage::createdDateTime).reversed());
        pageByOffset(ctx, all, MessageQuery.top(ctx.request().getParam("$top"), 20, 50), "teams('" + channel.teamId()
                + "')/channels('" + channel.id() + "')/messages", m -> messageJson(ctx, m, expand));
    }

    private void listReplies(RoutingContext ctx) {
        Channel channel = channel(ctx);
        String parent = ctx.pathParam("messageId");
        store.findMessage(parent).filter(x -> channel.id().equals(x.channelId()))
                .orElseThrow(() -> GraphApiException.notFound("Message '" + parent + "' not found."));
        List<ChatMessage> replies = new ArrayList<>(store.replies(parent));
        replies.sort(Comparator.comparing(ChatMessage::createdDateTime).reversed());
        pageByOffset(ctx, replies, MessageQuery.top(ctx.request().getParam("$top"), 20, 50), "teams('" + channel.teamId()
                + "')/channels('" + channel.id() + "')/messages('" + parent + "')/replies", ChatMessage::toJson);
    }

    private void listChatMessages(RoutingContext ctx) {
        Chat chat = chat(ctx);
        String orderBy = ctx.request().getParam("$orderby");
        Comparator<ChatMessage> order;
        if (orderBy == null || orderBy.trim().equalsIgnoreCase("createdDateTime desc")) {
            order = Comparator.comparing(ChatMessage::createdDateTime).reversed();
        } else if (orderBy.trim().equalsIgnoreCase("lastModifiedDateTime desc")) {
            order = Comparator.comparing(ChatMessage::lastModifiedDateTime).reversed();
        } else {
            throw GraphApiException.badRequest("BadRequest", "Unsupported $orderby '" + orderBy
                    + "': use lastModifiedDateTime desc or createdDateTime desc.");
        }
        Predicate<ChatMessage> filter = MessageQuery.lastModifiedFilter(ctx.request().getParam("$filter"));
        List<ChatMessage> all = store.chatMessages(chat.id()).stream().filter(filter).sorted(order).toList();
        pageByOffset(ctx, all, MessageQuery.top(ctx.request().getParam("$top"), 20, 50),
                "chats('" + chat.id() + "')/messages", ChatMessage::toJson);
    }

    private void pageByOffset(RoutingContext ctx, List<ChatMessage> all, int top, String contextPath,
            java.util.function.Function<ChatMessage, ObjectNode> toJson) {
        int offset = 0;
        String skip = ctx.request().getParam("$skiptoken");
        if (skip != null) {
            try {
                offset = Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(skip), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw GraphApiException.badRequest("BadRequest", "The $skiptoken '" + skip + "' is not valid.");
            }
        }
        List<ChatMessage> page = all.subList(Math.min(offset, all.size()), Math.min(offset + top, all.size()));
        ObjectNode body = Json.object();
        body.put("@odata.context", metadata(ctx, contextPath));
        body.put("@odata.count", page.size());
        if (offset + top < all.size()) {
            String token = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(offset + top).getBytes(StandardCharsets.UTF_8));
            body.put("@odata.nextLink", selfLink(ctx, Map.of("$skiptoken", token)));
        }
        ArrayNode value = body.putArray("value");
        page.forEach(m -> value.add(toJson.apply(m)));
        GraphResponses.json(ctx, 200, body);
    }

    // ---- change tracking (keyset paging on the change sequence) ----

    private void channelDelta(RoutingContext ctx) {
        Channel channel = channel(ctx);
        String deltaToken = ctx.request().getParam("$deltatoken");
        String skipToken = ctx.request().getParam("$skiptoken");
        PageToken state;
        if (skipToken != null) {
            state = PageToken.decode(skipToken);
        } else if (deltaToken != null) {
            PageToken d = PageToken.decode(deltaToken);
            state = new PageToken(d.after(), store.currentChangeSequence(), -1, d.top(), d.expandReplies());
        } else {
            long from = -1;
            String filter = ctx.request().getParam("$filter");
            if (filter != null) {
                Matcher m = DELTA_FILTER.matcher(filter);
                if (!m.matches()) {
                    throw GraphApiException.badRequest("BadRequest", "Invalid filter clause: '" + filter
                            + "'. Delta supports only lastModifiedDateTime gt {dateTime}.");
                }
                from = MessageQuery.instant(m.group(1)).toEpochMilli();
            }
            state = new PageToken(0, store.currentChangeSequence(), from,
                    MessageQuery.top(ctx.request().getParam("$top"), 20, 50), expandReplies(ctx));
        }
        long filterFrom = state.filterFromMillis();
        record Root(ChatMessage message, List<ChatMessage> replies, long sequence, Instant lastChange) {
        }
        List<Root> roots = new ArrayList<>();
        for (ChatMessage root : store.channelRootMessages(channel.teamId(), channel.id())) {
            List<ChatMessage> replies = store.replies(root.id());
            long seq = root.changeSequence();
            Instant last = root.lastModifiedDateTime();
            if (state.expandReplies()) {
                for (ChatMessage r : replies) {
                    seq = Math.max(seq, r.changeSequence());
                    last = last.isAfter(r.lastModifiedDateTime()) ? last : r.lastModifiedDateTime();
                }
            }
            if (seq > state.after() && seq <= state.upTo() && (filterFrom < 0 || last.toEpochMilli() > filterFrom)) {
                roots.add(new Root(root, replies, seq, last));
            }
        }
        roots.sort(Comparator.comparingLong(Root::sequence));
        List<Root> page = roots.subList(0, Math.min(state.top(), roots.size()));
        ObjectNode body = Json.object();
        body.put("@odata.context", metadata(ctx, "Collection(chatMessage)"));
        String path = GraphResponses.baseUrl(ctx) + ctx.request().path();
        if (roots.size() > page.size()) {
            PageToken next = new PageToken(page.get(page.size() - 1).sequence(), state.upTo(), filterFrom, state.top(),
                    state.expandReplies());
            body.put("@odata.nextLink", path + "?$skiptoken=" + next.encode());
        } else {
            PageToken delta = new PageToken(state.upTo(), Long.MAX_VALUE, -1, state.top(), state.expandReplies());
            body.put("@odata.deltaLink", path + "?$deltatoken=" + delta.encode());
        }
        ArrayNode value = body.putArray("value");
        for (Root root : page) {
            ObjectNode json = root.message().toJson();
            if (state.expandReplies()) {
                json.put("replies@odata.context", metadata(ctx, "teams('" + channel.teamId() + "')/channels('"
                        + channel.id() + "')/messages('" + root.message().id() + "')/replies"));
                ArrayNode replies = json.putArray("replies");
                root.replies().forEach(r -> replies.add(r.toJson()));
            }
            value.add(json);
        }
        GraphResponses.json(ctx, 200, body);
    }

    private void userChatMessages(RoutingContext ctx) {
        requireRole(ctx, USER_CHATS_READ);
        CallerIdentity caller = ctx.get(CallerIdentity.CONTEXT_KEY);
        String userId = ctx.pathParam("userId");
        store.findUser(userId).filter(u -> u.tenantId().equals(caller.tenantId()))
                .orElseThrow(() -> GraphApiException.notFound("User '" + userId + "' not found."));
        Predicate<ChatMessage> filter = MessageQuery.lastModifiedFilter(ctx.request().getParam("$filter"));
        int top = MessageQuery.top(ctx.request().getParam("$top"), 20, 50);
        String skip = ctx.request().getParam("$skiptoken");
        PageToken state = skip != null ? PageToken.decode(skip)
                : new PageToken(0, store.currentChangeSequence(), -1, top, false);
        List<ChatMessage> all = store.messagesOfUserChats(userId).stream()
                .filter(m -> m.changeSequence() > state.after() && m.changeSequence() <= state.upTo())
                .filter(filter)
                .collect(Collectors.toList());
        List<ChatMessage> page = all.subList(0, Math.min(top, all.size()));
        ObjectNode body = Json.object();
        body.put("@odata.context", metadata(ctx, "Collection(chatMessage)"));
        if (all.size() > page.size()) {
            PageToken next = new PageToken(page.get(page.size() - 1).changeSequence(), state.upTo(), -1, top, false);
            body.put("@odata.nextLink", selfLink(ctx, Map.of("$skiptoken", next.encode())));
        }
        ArrayNode value = body.putArray("value");
        page.forEach(m -> value.add(m.toJson()));
        GraphResponses.json(ctx, 200, body);
    }

    // ---- helpers ----

    private ObjectNode messageJson(RoutingContext ctx, ChatMessage m, boolean expand) {
        ObjectNode json = m.toJson();
        if (expand) {
            ArrayNode replies = json.putArray("replies");
            store.replies(m.id()).forEach(r -> replies.add(r.toJson()));
        }
        return json;
    }

    private Channel channel(RoutingContext ctx) {
        requireRole(ctx, CHANNEL_READ);
        CallerIdentity caller = ctx.get(CallerIdentity.CONTEXT_KEY);
        String teamId = ctx.pathParam("teamId");
        String channelId = ctx.pathParam("channelId");
        return store.findChannel(teamId, channelId).filter(c -> c.tenantId().equals(caller.tenantId()))
                .orElseThrow(() -> GraphApiException.notFound("Channel '" + channelId + "' of team '" + teamId
                        + "' not found."));
    }

    private Chat chat(RoutingContext ctx) {
        requireRole(ctx, CHAT_READ);
        CallerIdentity caller = ctx.get(CallerIdentity.CONTEXT_KEY);
        String chatId = ctx.pathParam("chatId");
        return store.findChat(chatId).filter(c -> c.tenantId().equals(caller.tenantId()))
                .orElseThrow(() -> GraphApiException.notFound("Chat '" + chatId + "' not found."));
    }

    private static void requireRole(RoutingContext ctx, Set<String> anyOf) {
        CallerIdentity caller = ctx.get(CallerIdentity.CONTEXT_KEY);
        if (!caller.hasAnyRole(anyOf)) {
            throw new GraphApiException(403, "Forbidden", "Missing role permissions on the request. API requires one of '"
                    + anyOf.stream().sorted().collect(Collectors.joining(", ")) + "'. Roles on the request '"
                    + caller.roles().stream().sorted().collect(Collectors.joining(", ")) + "'.");
        }
        caller.requireProtectedApiAccess();
    }

    private static boolean expandReplies(RoutingContext ctx) {
        String expand = ctx.request().getParam("$expand");
        if (expand == null) {
            return false;
        }
        if (!expand.trim().equals("replies")) {
            throw GraphApiException.badRequest("BadRequest", "Unsupported $expand '" + expand + "': only replies.");
        }
        return true;
    }

    private static ObjectNode withContext(RoutingContext ctx, String path, ObjectNode message) {
        ObjectNode json = Json.object();
        json.put("@odata.context", metadata(ctx, path));
        json.setAll(message);
        return json;
    }

    private static String metadata(RoutingContext ctx, String what) {
        return GraphResponses.baseUrl(ctx) + (ctx.mountPoint() == null ? "" : ctx.mountPoint().replaceAll("/$", ""))
                + "/$metadata#" + what;
    }

    /** This request's URL with the given parameters replaced (other query options kept). */
    private static String selfLink(RoutingContext ctx, Map<String, String> replace) {
        StringBuilder link = new StringBuilder(GraphResponses.baseUrl(ctx)).append(ctx.request().path());
        char sep = '?';
        for (Map.Entry<String, String> p : ctx.queryParams()) {
            if (!replace.containsKey(p.getKey())) {
                link.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
                sep = '&';
            }
        }
        for (Map.Entry<String, String> p : replace.entrySet()) {
            link.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        return link.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%24", "$").replace("+", "%20");
    }
}
