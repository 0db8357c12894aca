package io.camelgraphteams.component.subscription;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.camelgraphteams.component.resource.ResourceKind;

/**
 * Graph's rules for a chatMessage subscription, checked before any call so a route Graph would refuse never starts:
 * the longest lifetime, lifecycleNotificationUrl past one hour, HTTPS notification URLs, the payment model.
 */
public final class SubscriptionRules {

    /** Graph's longest chatMessage subscription. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(4320);
    // asking for exactly Graph's limit fails by clock skew: the default stays this far below it
    private static final Duration LIFETIME_MARGIN = Duration.ofMinutes(60);
    private static final Duration SKEW_MARGIN = Duration.ofMinutes(2);

    private SubscriptionRules() {
    }

    /**
     * The lifetime to ask for: the option when set (millis &gt; 0), else the longest Graph allows minus a margin (55
     * minutes without lifecycleNotificationUrl, which Graph requires past one hour).
     */
    public static Duration lifetime(long optionMillis, boolean hasLifecycleNotificationUrl) {
        if (optionMillis > 0) {
            return Duration.ofMillis(optionMillis);
        }
        return hasLifecycleNotificationUrl ? MAX_LIFETIME.minus(LIFETIME_MARGIN) : Duration.ofMinutes(55);
    }

    /** The renewal lead time: the option when set, else a third of the lifetime, at most 60 minutes. */
    public static Duration renewBefore(long optionMillis, Duration lifetime) {
        if (optionMillis > 0) {
            return Duration.ofMillis(optionMillis);
        }
        Duration third = lifetime.dividedBy(3);
        return third.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : third;
    }

    /** @throws IllegalArgumentException naming the option at fault and what to do */
    public static void check(String notificationUrl, String lifecycleNotificationUrl, Duration lifetime,
                             Duration renewBefore, ResourceKind kind, String model, String search, String filter,
                             String mentionedUserId) {
        checkPublicUrl("notificationUrl", notificationUrl, true);
        checkPublicUrl("lifecycleNotificationUrl", lifecycleNotificationUrl, false);
        if (lifetime.compareTo(MAX_LIFETIME.minus(SKEW_MARGIN)) > 0) {
            throw new IllegalArgumentException("subscriptionLifetime " + lifetime + " is too long: Graph allows "
                                               + MAX_LIFETIME.toMinutes() + " minutes for chatMessage, and asking for "
                                               + "exactly that fails by clock skew; use at most "
                                               + MAX_LIFETIME.minus(SKEW_MARGIN).toMinutes() + " minutes");
        }
        if (isEmpty(lifecycleNotificationUrl) && lifetime.compareTo(Duration.ofHours(1).minus(SKEW_MARGIN)) > 0) {
            throw new IllegalArgumentException("subscriptionLifetime " + lifetime + " is over 1 hour, which Graph "
                                               + "accepts only with lifecycleNotificationUrl: set lifecycleNotificationUrl "
                                               + "or a lifetime of at most 58 minutes");
        }
        if (renewBefore.compareTo(lifetime) >= 0) {
            throw new IllegalArgumentException("renewBefore " + renewBefore + " must be shorter than "
                                               + "subscriptionLifetime " + lifetime);
        }
        if (!isEmpty(model) && !model.equals("A") && !model.equals("B")) {
            throw new IllegalArgumentException("model '" + model + "' is unknown: use A or B (or leave it empty for "
                                               + "evaluation mode)");
        }
        if (!isEmpty(model) && !kind.isMetered()) {
            throw new IllegalArgumentException("model is for the metered getAllMessages resources; " + kind.shape()
                                               + " is not metered: remove model");
        }
        boolean narrowable = kind == ResourceKind.CHANNEL_MESSAGES || kind == ResourceKind.CHAT_MESSAGES
                             || kind == ResourceKind.USER_CHAT_MESSAGES;
        if (!narrowable && (!isEmpty(search) || !isEmpty(mentionedUserId))) {
            throw new IllegalArgumentException("search and mentionedUserId apply to one channel's, one chat's or one "
                                               + "user's messages; Graph refuses them on " + kind.shape());
        }
        if (!isEmpty(filter) && !isEmpty(mentionedUserId)) {
            throw new IllegalArgumentException("Set either filter or mentionedUserId, not both: mentionedUserId builds "
                                               + "the $filter");
        }
    }

    private static void checkPublicUrl(String option, String url, boolean required) {
        if (isEmpty(url)) {
            if (required) {
                throw new IllegalArgumentException("manageSubscription=true needs " + option + ": the public HTTPS URL "
                                                   + "that reaches this consumer (or set manageSubscription=false)");
            }
            return;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + url + "' is not a URL");
        }
        String host = uri.getHost();
        boolean local = "localhost".equalsIgnoreCase(host) || "127.0.0.1".equals(host) || "[::1]".equals(host)
                        || "::1".equals(host);
        if ("https".equalsIgnoreCase(uri.getScheme()) && host != null) {
            return;
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && local) {
            return;
        }
        throw new IllegalArgumentException(option + " '" + url + "' must be https (Graph delivers only to HTTPS; http "
                                           + "is accepted for localhost only)");
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    /**
     * The resource a subscription is made for, with its query options: {@code $search}, {@code $filter} (a mention
     * of mentionedUserId wins over filter), and the payment {@code model}; blank options are left out.
     */
    public static String resourceWithQuery(String resource, String search, String mentionedUserId, String filter,
                                           String model) {
        List<String> query = new ArrayList<>();
        if (search != null && !search.isBlank()) {
            query.add("$search=" + search);
        }
        if (mentionedUserId != null && !mentionedUserId.isBlank()) {
            query.add("$filter=mentions/any(u: u/mentioned/user/id eq '" + mentionedUserId + "')");
        } else if (filter != null && !filter.isBlank()) {
            query.add("$filter=" + filter);
        }
        if (model != null && !model.isBlank()) {
            query.add("model=" + model);
        }
        return resource + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }
}
