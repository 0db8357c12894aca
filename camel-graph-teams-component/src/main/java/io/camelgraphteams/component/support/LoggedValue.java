package io.camelgraphteams.component.support;

/**
 * The one way a value taken from a request (a header, a query parameter, a JSON field or key, a token's header) reaches
 * a log line or an error message: cut short, with every character that could end the line, forge another one or
 * reorder what a reader sees (control, line and paragraph separators, bidirectional and other format characters)
 * replaced by {@code ?}.
 */
public final class LoggedValue {

    /** Longest part of a value that is shown; the rest is replaced by "...". */
    public static final int LONGEST_SHOWN = 200;

    private LoggedValue() {
    }

    /** The value made safe for one log line; {@code "null"} for null. */
    public static String of(String untrusted) {
        return of(untrusted, LONGEST_SHOWN);
    }

    /**
     * As {@link #of(String)}, showing up to {@code longest} characters: for a message of ours that quotes request
     * values (a refusal reason naming a token's header fields), where the whole sentence should stay readable.
     */
    public static String of(String untrusted, int longest) {
        if (untrusted == null) {
            return "null";
        }
        boolean cut = untrusted.length() > longest;
        int end = cut ? longest : untrusted.length();
        StringBuilder sb = null;
        for (int i = 0; i < end; i++) {
            char c = untrusted.charAt(i);
            if (isUnsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(end + 3).append(untrusted, 0, i);
                }
                sb.append('?');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        if (sb == null) {
            return cut ? untrusted.substring(0, end) + "..." : untrusted;
        }
        return cut ? sb.append("...").toString() : sb.toString();
    }

    /** Whether {@code c} may not reach a log line as it is: control, line or paragraph separator, format. */
    public static boolean isUnsafe(char c) {
        if (Character.isISOControl(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
