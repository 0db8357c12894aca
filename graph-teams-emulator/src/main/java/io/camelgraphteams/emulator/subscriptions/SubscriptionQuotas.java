package io.camelgraphteams.emulator.subscriptions;

/**
 * Graph's Teams subscription quotas: one per app per channel or chat (and per tenant-wide getAllMessages resource),
 * 10 per user for /users/{id}/chats/getAllMessages, 10,000 per organisation across Teams resources.
 */
public record SubscriptionQuotas(int perAppPerResource, int perUser, int perOrganisation) {

    public static SubscriptionQuotas graphDefaults() {
        return new SubscriptionQuotas(1, 10, 10_000);
    }
}
