package io.camelgraphteams.emulator.delivery;

/**
 * What Graph thinks of one notification endpoint, and how often it judged it: tests assert that a consumer never gives
 * Graph a reason to throttle or drop its notifications.
 *
 * @param url             the notification URL
 * @param answersInWindow answers in the current health window
 * @param slowInWindow    of them, slower than 2,900 ms (or missing)
 * @param slowAnswers     slow answers since the emulator started
 * @param throttled       times the endpoint entered Graph's slow state (notifications delayed)
 * @param dropping        times it entered the drop state (notifications discarded)
 */
public record EndpointJudgement(String url, int answersInWindow, long slowInWindow, long slowAnswers, int throttled,
                                int dropping) {

    /** Nothing Graph would hold against the endpoint. */
    public boolean isClean() {
        return slowAnswers == 0 && throttled == 0 && dropping == 0;
    }
}
