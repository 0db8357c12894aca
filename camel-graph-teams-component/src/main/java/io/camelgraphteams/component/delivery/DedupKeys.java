package io.camelgraphteams.component.delivery;

import java.util.Locale;

import io.camelgraphteams.component.resource.NotifiedResource;

/**
 * The key one delivered message state is remembered by in the idempotent repository:
 * {@code <namespace>|<conversation>|<message id>|<changeType>|<etag>}. The message id, changeType and etag (or
 * lastModifiedDateTime without etag) identify the change, as Graph sends it live and as the backfill infers it; the
 * conversation (team/channel or chat, lower case) keeps ids unique, as Teams message ids are only unique within one;
 * the endpoint's namespace lets several endpoints share one repository without hiding messages from each other.
 */
public final class DedupKeys {

    private DedupKeys() {
    }

    /**
     * The key, or null when the change cannot be identified (no message id, changeType or version): such an item is
     * forwarded without dedup.
     *
     * @param message the message: for a reply, messageId is the parent and replyId the reply
     */
    public static String of(String namespace, NotifiedResource message, String changeType, String version) {
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
