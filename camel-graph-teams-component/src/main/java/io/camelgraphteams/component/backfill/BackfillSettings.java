package io.camelgraphteams.component.backfill;

import java.time.Duration;
import java.util.Set;

/**
 * What a {@link Backfill} lists and emits.
 *
 * @param overlap     listings start this long before the watermark
 * @param pageSize    $top of each listing call
 * @param changeTypes the changeTypes the endpoint subscribes to; others are not emitted
 * @param filter      the subscription's narrowing, applied to listed messages
 */
public record BackfillSettings(Duration overlap, int pageSize, Set<String> changeTypes, MessageFilter filter) {
}
