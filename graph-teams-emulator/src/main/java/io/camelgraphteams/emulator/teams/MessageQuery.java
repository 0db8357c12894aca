package io.camelgraphteams.emulator.teams;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelgraphteams.emulator.http.GraphApiException;

/** The query options of message listings: $top and the lastModifiedDateTime $filter. */
final class MessageQuery {

    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*lastModifiedDateTime\\s+(gt|ge|lt|le)\\s+'?([0-9T:.+\\-Z]+)'?\\s*", Pattern.CASE_INSENSITIVE);

    private MessageQuery() {
    }

    static int top(String value, int defaultTop, int max) {
        if (value == null) {
            return defaultTop;
        }
        int top;
        try {
            top = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw GraphApiException.badRequest("BadRequest", "Invalid value '" + value + "' for $top.");
        }
        if (top < 1 || top > max) {
            throw GraphApiException.badRequest("BadRequest", "Invalid page size specified: '" + top
                    + "'. Must be between 1 and " + max + " inclusive.");
        }
        return top;
    }

    /** "lastModifiedDateTime gt X [and lastModifiedDateTime lt Y]"; null filter accepts everything. */
    static Predicate<ChatMessage> lastModifiedFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return m -> true;
        }
        Predicate<ChatMessage> result = m -> true;
        for (String clause : filter.split("(?i)\\s+and\\s+")) {
            Matcher m = CLAUSE.matcher(clause);
            if (!m.matches()) {
                throw GraphApiException.badRequest("BadRequest", "Invalid filter clause: '" + filter + "'. Only "
                        + "lastModifiedDateTime with gt, ge, lt or le is supported here.");
            }
            Instant t = instant(m.group(2));
            String op = m.group(1).toLowerCase();
            Predicate<ChatMessage> p = switch (op) {
            case "gt" -> msg -> msg.lastModifiedDateTime().isAfter(t);
            case "ge" -> msg -> !msg.lastModifiedDateTime().isBefore(t);
            case "lt" -> msg -> msg.lastModifiedDateTime().isBefore(t);
            default -> msg -> !msg.lastModifiedDateTime().isAfter(t);
            };
            result = result.and(p);
        }
        return result;
    }

    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw GraphApiException.badRequest("BadRequest", "Invalid date time '" + text + "' in $filter.");
        }
    }
}
