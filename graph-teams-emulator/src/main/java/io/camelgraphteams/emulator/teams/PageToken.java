package io.camelgraphteams.emulator.teams;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.camelgraphteams.emulator.http.GraphApiException;

/**
 * The state of a paged listing, carried in $skiptoken and $deltatoken (opaque to clients, as Graph's are). Paging is
 * keyset on the change sequence: messages changed after {@code after} and up to {@code upTo}; a message changed while
 * a client pages moves past {@code upTo} and shows up in the next round instead of being skipped.
 *
 * @param after          change sequence already returned
 * @param upTo           snapshot bound of this round (Long.MAX_VALUE for the delta link)
 * @param filterFromMillis lower bound of $filter=lastModifiedDateTime gt, or -1
 * @param top            page size
 * @param expandReplies  $expand=replies was asked for
 */
record PageToken(long after, long upTo, long filterFromMillis, int top, boolean expandReplies) {

    String encode() {
        String text = after + ":" + upTo + ":" + filterFromMillis + ":" + top + ":" + (expandReplies ? 1 : 0);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static PageToken decode(String token) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            return new PageToken(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Integer.parseInt(p[3]),
                    "1".equals(p[4]));
        } catch (RuntimeException e) {
            throw GraphApiException.badRequest("BadRequest", "The token '" + token + "' is not valid. Start again "
                    + "without $skiptoken or $deltatoken.");
        }
    }
}
