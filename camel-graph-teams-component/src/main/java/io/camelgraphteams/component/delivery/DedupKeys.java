package io.camelgraphteams.component.delivery;

import java.util.Locale;

import io.camelgraphteams.component.resource.Conversation;
import io.camelgraphteams.component.resource.NotifiedResource;

/**
 * The key one delivered message version is remembered by in the idempotent repository, made from the message itself
 * (the decrypted content, the message fetched from Graph, or a listing), never from the notification's unsigned
 * envelope: {@code <namespace>|<conversation>|<message id>|<etag>}. The message id and its etag (or
 * lastModifiedDateTime without etag) are one version of one message, whatever changeType an envelope claims; the
 * conversation (team/channel or chat, lower case) keeps ids unique, as Teams message ids are only unique within one;
 * the endpoint's namespace lets several endpoints share one repository without hiding messages from each other.
 */
public final class DedupKeys {

    private DedupKeys() {
    }

    /**
     * The key, or null when the version cannot be identified (no id or version): such a message is routed without
     * dedup.
     *
     * @param conversation where the message is, as the message itself says
     */
    public static String of(String namespace, Conversation conversation, ChatMessageFacts message) {
        String version = message.version();
        if (conversation == null || message.id() == null || version == null) {
            return null;
        }
        String conversationKey = conversation.kind() == Conversation.Kind.CHANNEL
                ? conversation.first() + "/" + conversation.second() : conversation.first();
        String id = message.replyToId() != null && conversation.kind() == Conversation.Kind.CHANNEL
                ? message.replyToId() + "/" + message.id() : message.id();
        return namespace + "|" + conversationKey.toLowerCase(Locale.ROOT) + "|" + id + "|" + version;
    }

    /**
     * The key version 0.1 of the component stored for the same change,
     * {@code <namespace>|<conversation>|<message id>|<changeType>|<etag>}, looked up beside the current one so an
     * upgrade routes nothing again. Null when it cannot be made.
     *
     * @param message the message as the notification names it: for a reply, messageId is the parent and replyId the
     *                reply
     */
    public static String legacy(String namespace, NotifiedResource message, String changeType, String version) {
        if (message == null || message.effectiveMessageId() == null || changeType == null || version == null) {
            return null;
        }
        String conversation = message.isChannelMessage()
                ? message.teamId() + "/" + message.channelId() : message.chatId();
        String id = message.replyId() != null ? message.messageId() + "/" + message.replyId() : message.messageId();
        return namespace + "|" + String.valueOf(conversation).toLowerCase(Locale.ROOT) + "|" + id + "|" + changeType
               + "|" + version;
    }
}
