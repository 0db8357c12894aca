package io.camelgraphteams.component.backfill;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.delivery.ChatMessageFacts;
import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.NotifiedResource;

/**
 * One message of a Graph listing (a channel delta, a chat's messages, a user's chats): the tree Graph's answer was
 * parsed into, and the facts read from it once.
 *
 * @param json the message as listed (a channel message possibly with its {@code replies})
 */
public record ListedMessage(JsonNode json, ChatMessageFacts facts) {

    /** Empty when the node is not a chatMessage (no id). */
    public static Optional<ListedMessage> of(JsonNode json) {
        return ChatMessageFacts.of(json).map(facts -> new ListedMessage(json, facts));
    }

    public Instant changedAt() {
        return facts.changedAt();
    }

    /** The message as a notification would carry it: without the {@code replies} a channel listing expands. */
    public String body() {
        if (json.has("replies") || json.has("replies@odata.context")) {
            ObjectNode copy = ((ObjectNode) json).deepCopy();
            copy.remove("replies");
            copy.remove("replies@odata.context");
            return copy.toString();
        }
        return json.toString();
    }

    /**
     * The changeType to emit: the inferred one when the endpoint wants it; "created" for a message created after the
     * watermark and edited since, when the endpoint wants creations but not updates (its creation was never
     * delivered); null when the endpoint wants neither.
     */
    String changeType(Set<String> wanted, Instant watermark) {
        String inferred = facts.inferredChangeType();
        if (wanted.contains(inferred)) {
            return inferred;
        }
        if (ChatMessageFacts.UPDATED.equals(inferred) && wanted.contains(ChatMessageFacts.CREATED)
                && facts.createdDateTime() != null
                && (watermark == null || facts.createdDateTime().isAfter(watermark))) {
            return ChatMessageFacts.CREATED;
        }
        return null;
    }

    /** Where the message is, as a notification names it; null for a user's chat message that names no chat. */
    NotifiedResource where(Conversation conversation) {
        return switch (conversation.kind()) {
            case CHANNEL -> facts.replyToId() != null
                    ? new NotifiedResource(conversation.first(), conversation.second(), null, facts.replyToId(),
                            facts.id())
                    : new NotifiedResource(conversation.first(), conversation.second(), null, facts.id(), null);
            case CHAT -> new NotifiedResource(null, null, conversation.first(), facts.id(), null);
            case USER_CHATS -> facts.chatId() == null ? null
                    : new NotifiedResource(null, null, facts.chatId(), facts.id(), null);
        };
    }
}
