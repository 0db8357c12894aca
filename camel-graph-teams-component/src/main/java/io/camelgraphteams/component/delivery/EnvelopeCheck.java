package io.camelgraphteams.component.delivery;

import java.util.Objects;
import java.util.Set;

import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.support.LoggedValue;

/**
 * Whether a notification's envelope (its {@code resource} and {@code changeType}, which nothing signs) agrees with its
 * content (the decrypted or fetched message). An edited envelope on a captured batch must not make a new change of an
 * old message: the message id, its conversation and its reply parent must be the content's, the changeType one the
 * subscription asked for, a deletion only a message the content says is deleted, and a creation never one.
 */
public final class EnvelopeCheck {

    private EnvelopeCheck() {
    }

    /**
     * Why the envelope disagrees with the content (values made safe for a log line), or null when they agree.
     *
     * @param current whether the content is Graph's copy as it is now (fetched after the notification): the message
     *                may have been edited or deleted since, so its state is not held against the changeType
     */
    public static String mismatch(NotifiedResource envelope, ChatMessageFacts content, String changeType,
                                  Set<String> subscribedChangeTypes, boolean current) {
        if (content.version() == null) {
            // no version, no dedup key: such content could be replayed without end
            return "the content carries no etag or lastModifiedDateTime";
        }
        String withControl = firstUnsafe(content.id(), content.etag(), content.chatId(), content.teamId(),
                content.channelId(), content.replyToId());
        if (withControl != null) {
            // Teams ids never hold them; a dedup key with a line break would corrupt a line-based repository
            return "the content's ids hold control characters: " + LoggedValue.of(withControl);
        }
        if (!subscribedChangeTypes.contains(changeType)) {
            return "changeType " + LoggedValue.of(changeType) + " is not one the subscription asks for "
                   + subscribedChangeTypes;
        }
        if (!Objects.equals(envelope.effectiveMessageId(), content.id())) {
            return "the resource names message " + LoggedValue.of(envelope.effectiveMessageId()) + ", the content is "
                   + "message " + LoggedValue.of(content.id());
        }
        if (envelope.isChannelMessage()) {
            if (!equalsIgnoringCase(envelope.teamId(), content.teamId())
                    || !equalsIgnoringCase(envelope.channelId(), content.channelId())) {
                return "the resource names channel " + LoggedValue.of(envelope.teamId() + "/" + envelope.channelId())
                       + ", the content channel " + LoggedValue.of(content.teamId() + "/" + content.channelId());
            }
            String parent = envelope.replyId() != null ? envelope.messageId() : null;
            if (!Objects.equals(parent, content.replyToId())) {
                return "the resource names reply parent " + LoggedValue.of(parent) + ", the content "
                       + LoggedValue.of(content.replyToId());
            }
        } else if (!equalsIgnoringCase(envelope.chatId(), content.chatId())) {
            return "the resource names chat " + LoggedValue.of(envelope.chatId()) + ", the content chat "
                   + LoggedValue.of(content.chatId());
        }
        boolean deleted = content.deletedDateTime() != null;
        // an envelope racing Graph's own copy must not call a live message deleted, nor a deleted one new; an update
        // of a deleted message is let through, as a soft delete may reach us as an update
        if (!current && (deleted ? ChatMessageFacts.CREATED.equals(changeType)
                : ChatMessageFacts.DELETED.equals(changeType))) {
            return "changeType " + LoggedValue.of(changeType) + " for a message the content says is "
                   + (deleted ? "deleted" : "not deleted");
        }
        return null;
    }

    /** The first value holding a character no log line may show as it is; null when none does. */
    private static String firstUnsafe(String... values) {
        // plain loops: this runs for every notification
        for (String value : values) {
            if (value != null) {
                for (int i = 0; i < value.length(); i++) {
                    if (LoggedValue.isUnsafe(value.charAt(i))) {
                        return value;
                    }
                }
            }
        }
        return null;
    }

    private static boolean equalsIgnoringCase(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b);
    }
}
