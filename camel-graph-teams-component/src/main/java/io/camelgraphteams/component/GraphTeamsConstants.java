package io.camelgraphteams.component;

import io.camelgraphteams.component.delivery.ExchangeHeaders;
import org.apache.camel.spi.Metadata;

/**
 * Headers the graph-teams consumer sets on every exchange. Each exchange carries one change notification.
 */
public final class GraphTeamsConstants {

    @Metadata(description = "The id of the Graph subscription that produced the notification.", javaType = "String")
    public static final String SUBSCRIPTION_ID = ExchangeHeaders.SUBSCRIPTION_ID;
    @Metadata(description = "What happened to the message: created, updated or deleted. Absent on lifecycle events.",
              javaType = "String")
    public static final String CHANGE_TYPE = ExchangeHeaders.CHANGE_TYPE;
    @Metadata(description = "The tenant (directory) id the notification came from.", javaType = "String")
    public static final String TENANT_ID = ExchangeHeaders.TENANT_ID;
    @Metadata(description = "The resource of the notification as Graph sent it, e.g. chats('19:...')/messages('123').",
              javaType = "String")
    public static final String RESOURCE = ExchangeHeaders.RESOURCE;
    @Metadata(description = "The id of the chatMessage the notification is about (the reply's id for a reply).",
              javaType = "String")
    public static final String MESSAGE_ID = ExchangeHeaders.MESSAGE_ID;
    @Metadata(description = "For a reply: the id of the channel message it replies to.", javaType = "String")
    public static final String REPLY_TO_ID = ExchangeHeaders.REPLY_TO_ID;
    @Metadata(description = "The team id, for channel messages.", javaType = "String")
    public static final String TEAM_ID = ExchangeHeaders.TEAM_ID;
    @Metadata(description = "The channel id, for channel messages.", javaType = "String")
    public static final String CHANNEL_ID = ExchangeHeaders.CHANNEL_ID;
    @Metadata(description = "The chat id, for chat messages.", javaType = "String")
    public static final String CHAT_ID = ExchangeHeaders.CHAT_ID;
    @Metadata(description = "The subscription's expiry as Graph reported it (ISO-8601).", javaType = "String")
    public static final String SUBSCRIPTION_EXPIRATION = ExchangeHeaders.SUBSCRIPTION_EXPIRATION;
    @Metadata(description = "The lifecycle event (reauthorizationRequired, subscriptionRemoved, missed) when the exchange "
                            + "carries a lifecycle notification (only with forwardLifecycleEvents=true).",
              javaType = "String")
    public static final String LIFECYCLE_EVENT = ExchangeHeaders.LIFECYCLE_EVENT;
    @Metadata(description = "Whether the body is the chatMessage (true: decrypted, fetched from Graph for subscriptions "
                            + "without resource data, or backfilled) or only Graph's resourceData reference (false: "
                            + "without resource data and without Graph credentials to fetch the message).",
              javaType = "Boolean")
    public static final String RESOURCE_DATA_INCLUDED = ExchangeHeaders.RESOURCE_DATA_INCLUDED;
    @Metadata(description = "How the message reached the route: notification (a live change notification) or "
                            + "backfill (listed from Graph because its notification may have been lost).",
              javaType = "String")
    public static final String SOURCE = ExchangeHeaders.SOURCE;

    /** Value of {@link #SOURCE} for live change notifications. */
    public static final String SOURCE_NOTIFICATION = ExchangeHeaders.SOURCE_NOTIFICATION;
    /** Value of {@link #SOURCE} for messages the backfill listed from Graph. */
    public static final String SOURCE_BACKFILL = ExchangeHeaders.SOURCE_BACKFILL;

    private GraphTeamsConstants() {
    }
}
