package io.camelgraphteams.component.preflight;

import java.util.List;
import java.util.stream.Collectors;

/** The checklist of one endpoint, in the order the checks ran. */
public record PreflightReport(String endpoint, List<PreflightCheck> checks) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    /** Whether no check failed (warnings and skipped checks allowed). */
    public boolean passed() {
        return checks.stream().noneMatch(c -> c.verdict() == PreflightCheck.Verdict.FAILED);
    }

    /** The check of this subject; fails when there is none. */
    public PreflightCheck check(String subject) {
        return checks.stream().filter(c -> c.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no preflight check of " + subject));
    }

    /** The checklist as printed: a heading, then one line per check. */
    public String text() {
        return "graph-teams preflight for " + endpoint + System.lineSeparator()
               + checks.stream().map(c -> "  " + c.line()).collect(Collectors.joining(System.lineSeparator()));
    }
}
