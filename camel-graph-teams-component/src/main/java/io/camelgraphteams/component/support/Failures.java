package io.camelgraphteams.component.support;

/** How a failure is told in one log line: the innermost cause, which names what actually went wrong. */
public final class Failures {

    private Failures() {
    }

    /** The root cause's simple class name and message, e.g. {@code IOException: Connection refused}. */
    public static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }
}
