package io.camelgraphteams.component.backfill;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The subscription's narrowing ({@code search}, {@code mentionedUserId}, a mentions {@code filter}) applied to listed
 * messages, which Graph lists unfiltered: the backfill emits only what the subscription would have notified. The
 * mentions filter is exact; {@code search} is approximated by a case-insensitive substring of the message text
 * (Graph's $search also matches word forms). A {@code filter} other than the mentions one cannot be evaluated here:
 * then every listed message passes ({@link #limitation()} says so).
 */
public final class MessageFilter {

    private static final Pattern MENTIONS = Pattern.compile(
            "\\s*mentions/any\\(\\s*(\\w+)\\s*:\\s*\\1/mentioned/user/id\\s+eq\\s+'([^']+)'\\s*\\)\\s*");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private final String searchLower;
    private final String mentionedUserId;
    private final String limitation;

    private MessageFilter(String searchLower, String mentionedUserId, String limitation) {
        this.searchLower = searchLower;
        this.mentionedUserId = mentionedUserId;
        this.limitation = limitation;
    }

    public static MessageFilter none() {
        return new MessageFilter(null, null, null);
    }

    /** From the endpoint's search, mentionedUserId and filter options (each may be null). */
    public static MessageFilter of(String search, String mentionedUserId, String filter) {
        String mentioned = blank(mentionedUserId) ? null : mentionedUserId.trim();
        String limitation = null;
        if (mentioned == null && !blank(filter)) {
            Matcher m = MENTIONS.matcher(filter);
            if (m.matches()) {
                mentioned = m.group(2);
            } else {
                limitation = "the filter option '" + filter + "' cannot be applied to listed messages: the backfill "
                             + "emits every message of the conversation";
            }
        }
        String searchLower = null;
        if (!blank(search)) {
            String s = search.trim();
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
                s = s.substring(1, s.length() - 1);
            }
            searchLower = s.toLowerCase(Locale.ROOT);
        }
        return new MessageFilter(searchLower, mentioned, limitation);
    }

    /** Why some listed messages may pass that the subscription would not have notified, or null. */
    public String limitation() {
        return limitation;
    }

    public boolean matches(ListedMessage message) {
        JsonNode json = message.json();
        if (mentionedUserId != null && !mentions(json, mentionedUserId)) {
            return false;
        }
        // a deleted message has lost its text: its deletion is still news for whoever got the message
        if (searchLower != null && message.facts().deletedDateTime() == null) {
            String content = json.path("body").path("content").asText("") + " " + json.path("subject").asText("");
            return TAG.matcher(content).replaceAll(" ").toLowerCase(Locale.ROOT).contains(searchLower);
        }
        return true;
    }

    private static boolean mentions(JsonNode json, String userId) {
        for (JsonNode mention : json.path("mentions")) {
            if (userId.equalsIgnoreCase(mention.path("mentioned").path("user").path("id").asText(""))) {
                return true;
            }
        }
        return false;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
