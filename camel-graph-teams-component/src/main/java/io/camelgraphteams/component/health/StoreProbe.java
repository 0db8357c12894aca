package io.camelgraphteams.component.health;

import io.camelgraphteams.component.support.Failures;
import io.camelgraphteams.component.support.LoggedValue;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;

/** Whether a consumer's dedup and state stores answer a read (a shared database may be down). */
public final class StoreProbe {

    // looked up, never written: neither store keeps anything under it
    private static final String PROBE_KEY = "graph-teams.readiness-probe";

    private StoreProbe() {
    }

    /** Null when both answer; otherwise which one does not, and why. */
    public static String problem(IdempotentRepository dedup, StateRepository<String, String> state) {
        try {
            dedup.contains(PROBE_KEY);
        } catch (RuntimeException e) {
            return "the idempotent repository does not answer: " + LoggedValue.of(Failures.rootMessage(e));
        }
        try {
            state.getState(PROBE_KEY);
        } catch (RuntimeException e) {
            return "the state repository does not answer: " + LoggedValue.of(Failures.rootMessage(e));
        }
        return null;
    }
}
