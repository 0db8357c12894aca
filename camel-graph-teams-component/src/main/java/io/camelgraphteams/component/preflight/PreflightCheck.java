package io.camelgraphteams.component.preflight;

/**
 * One line of the preflight checklist.
 *
 * @param subject what was checked ("access token", "permissions", ...)
 * @param verdict how it went
 * @param finding what was found, in one sentence
 * @param fix     what to change, in one sentence; null when nothing needs changing
 */
public record PreflightCheck(String subject, Verdict verdict, String finding, String fix) {

    /** How a check went. */
    public enum Verdict {
        /** Holds. */
        PASSED("✓"),
        /** Does not hold: going live now would fail or lose messages. */
        FAILED("✗"),
        /** Could not be proven from here, or works with a catch the user should know. */
        WARNING("!"),
        /** Not checked, for a reason the finding gives. */
        SKIPPED("–");

        private final String mark;

        Verdict(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    static PreflightCheck passed(String subject, String finding) {
        return new PreflightCheck(subject, Verdict.PASSED, finding, null);
    }

    static PreflightCheck failed(String subject, String finding, String fix) {
        return new PreflightCheck(subject, Verdict.FAILED, finding, fix);
    }

    static PreflightCheck warning(String subject, String finding, String fix) {
        return new PreflightCheck(subject, Verdict.WARNING, finding, fix);
    }

    static PreflightCheck skipped(String subject, String finding) {
        return new PreflightCheck(subject, Verdict.SKIPPED, finding, null);
    }

    /** The line as printed: mark, subject, finding and, when there is one, the fix. */
    public String line() {
        return verdict.mark() + " " + subject + ": " + finding + (fix == null ? "" : " → " + fix);
    }
}
