package io.camelgraphteams.component.delivery;

import io.camelgraphteams.component.notification.ChangeNotification;
import io.camelgraphteams.component.notification.ReceivedNotification;
import io.camelgraphteams.component.resource.NotifiedResource;
import org.apache.camel.Message;

/**
 * The headers of every exchange, set from the notification alone: the HTTP request (or Kafka record) that carried it
 * never reaches the route. {@code GraphTeamsConstants} documents these names for users and the catalog.
 */
public final class ExchangeHeaders {

    public static final String SUBSCRIPTION_ID = "CamelGraphTeamsSubscriptionId";
    public static final String CHANGE_TYPE = "CamelGraphTeamsChangeType";
    public static final String TENANT_ID = "CamelGraphTeamsTenantId";
    public static final String RESOURCE = "CamelGraphTeamsResource";
    public static final String MESSAGE_ID = "CamelGraphTeamsMessageId";
    public static final String REPLY_TO_ID = "CamelGraphTeamsReplyToId";
    public static final String TEAM_ID = "CamelGraphTeamsTeamId";
    public static final String CHANNEL_ID = "CamelGraphTeamsChannelId";
    public static final String CHAT_ID = "CamelGraphTeamsChatId";
    public static final String SUBSCRIPTION_EXPIRATION = "CamelGraphTeamsSubscriptionExpirationDateTime";
    public static final String LIFECYCLE_EVENT = "CamelGraphTeamsLifecycleEvent";
    public static final String RESOURCE_DATA_INCLUDED = "CamelGraphTeamsResourceDataIncluded";
    public static final String SOURCE = "CamelGraphTeamsSource";

    public static final String SOURCE_NOTIFICATION = "notification";
    public static final String SOURCE_BACKFILL = "backfill";

    private ExchangeHeaders() {
    }

    /**
     * Sets the body and headers of one notification; {@code source} is {@link #SOURCE_NOTIFICATION} or backfill. The
     * message's ids come from its content when there is some ({@code facts}), which the envelope was checked against;
     * the resource is the canonical path of those ids.
     */
    public static void populate(Message message, ReceivedNotification notification, ChatMessageFacts facts,
                                String body, String source) {
        ChangeNotification item = notification.item();
        message.setBody(body);
        message.setHeader(SOURCE, source);
        setIfPresent(message, SUBSCRIPTION_ID, item.subscriptionId());
        setIfPresent(message, TENANT_ID, item.tenantId());
        setIfPresent(message, SUBSCRIPTION_EXPIRATION, item.subscriptionExpirationDateTime());
        if (item.isLifecycleEvent()) {
            message.setHeader(LIFECYCLE_EVENT, item.lifecycleEvent());
            return;
        }
        message.setHeader(CHANGE_TYPE, item.changeType());
        NotifiedResource notified = notification.notified();
        message.setHeader(RESOURCE, notified.toResourcePath());
        message.setHeader(RESOURCE_DATA_INCLUDED, notification.resourceDataIncluded());
        if (facts != null && facts.id() != null) {
            message.setHeader(MESSAGE_ID, facts.id());
            setIfPresent(message, REPLY_TO_ID, notified.isChannelMessage() ? facts.replyToId() : null);
            setIfPresent(message, TEAM_ID, notified.isChannelMessage() ? facts.teamId() : null);
            setIfPresent(message, CHANNEL_ID, notified.isChannelMessage() ? facts.channelId() : null);
            setIfPresent(message, CHAT_ID, notified.isChannelMessage() ? null : facts.chatId());
            if (notified.isChannelMessage() && facts.teamId() == null) {
                // a channel message without channelIdentity (a listing may leave it out): where it was notified
                setIfPresent(message, TEAM_ID, notified.teamId());
                setIfPresent(message, CHANNEL_ID, notified.channelId());
            } else if (!notified.isChannelMessage() && facts.chatId() == null) {
                setIfPresent(message, CHAT_ID, notified.chatId());
            }
            return;
        }
        message.setHeader(MESSAGE_ID, notified.effectiveMessageId());
        if (notified.replyId() != null) {
            message.setHeader(REPLY_TO_ID, notified.messageId());
        }
        setIfPresent(message, TEAM_ID, notified.teamId());
        setIfPresent(message, CHANNEL_ID, notified.channelId());
        setIfPresent(message, CHAT_ID, notified.chatId());
    }

    private static void setIfPresent(Message message, String header, String value) {
        if (value != null) {
            message.setHeader(header, value);
        }
    }
}
