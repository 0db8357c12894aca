package io.camelgraphteams.component.graph;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Graph paths this component calls, built from ids: every id is percent-encoded as one path segment, so an id
 * taken from a notification or a listing never adds a query or another segment to a call made with our token.
 */
public final class GraphPaths {

    // OData key syntax as in notification resources: chats('19:x@thread.v2')/messages('1700000000000')
    private static final Pattern ODATA_KEY = Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\('((?:[^']|'')*)'\\)");

    private GraphPaths() {
    }

    /**
     * The first page of a channel's message delta: root messages (with their replies, {@code $expand=replies}) changed
     * after {@code modifiedAfter}. Its last page carries the {@code @odata.deltaLink} of the next round.
     */
    public static String channelMessagesDeltaPath(String teamId, String channelId, Instant modifiedAfter, int top) {
        return "teams/" + encodeSegment(teamId) + "/channels/" + encodeSegment(channelId) + "/messages/delta?$top=" + top
               + "&$expand=replies&$filter=" + modifiedAfterFilter(modifiedAfter);
    }

    /** The first page of one chat's messages changed after {@code modifiedAfter}, newest first (Graph's only order). */
    public static String chatMessagesPath(String chatId, Instant modifiedAfter, int top) {
        return "chats/" + encodeSegment(chatId) + "/messages?$top=" + top
               + "&$orderby=lastModifiedDateTime%20desc&$filter=" + modifiedAfterFilter(modifiedAfter);
    }

    /** The first page of the messages of every chat of one user changed after {@code modifiedAfter}. */
    public static String userChatMessagesPath(String userId, Instant modifiedAfter, int top) {
        return "users/" + encodeSegment(userId) + "/chats/getAllMessages?$top=" + top + "&$filter="
               + modifiedAfterFilter(modifiedAfter);
    }

    private static String modifiedAfterFilter(Instant instant) {
        return "lastModifiedDateTime%20gt%20" + instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** chats('a')/messages('b') becomes chats/a/messages/b, ids percent-encoded as path segments. */
    public static String toSlashPath(String resourcePath) {
        String path = resourcePath.trim();
        Matcher m = ODATA_KEY.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "/" + encodeSegment(m.group(2)
                    .replace("''", "'"))));
        }
        m.appendTail(out);
        return stripSlashes(out.toString());
    }

    static String subscriptionPath(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a subscription id is required");
        }
        return "subscriptions/" + encodeSegment(id.trim());
    }

    static String stripSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }

    static String stripVersion(String path) {
        for (String version : GraphClient.API_VERSIONS) {
            if (path.startsWith(version + "/")) {
                return path.substring(version.length() + 1);
            }
        }
        return path;
    }

    /** Percent-encodes what may not stand in a path segment; keeps ':' and '@' that Teams ids are made of. */
    public static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** A paging link of a listing's page ({@code @odata.nextLink}, {@code @odata.deltaLink}), or null. */
    public static String link(JsonNode page, String field) {
        JsonNode node = page.get(field);
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }
}
