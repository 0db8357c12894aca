package io.camelgraphteams.benchmarks.routes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.camelgraphteams.testsupport.kafka.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The Kafka topic read back once and checked against what the benchmark made: every generated message id (sequence
 * 0 .. made-1) exactly once with its own chatMessage as the body, every priming message once, nothing else. Memory:
 * one bit per generated notification.
 *
 * @param examples up to five of the problems found, for the report
 */
record KafkaTally(long records, long generatedSeen, long missing, long duplicates, long primingSeen, long unexpected,
                  long wrongBodies, List<String> examples) {

    private static final int MAX_EXAMPLES = 5;

    static KafkaTally of(KafkaBroker kafka, String topic, long made, Set<String> primingIds) {
        Counter counter = new Counter(made, primingIds);
        kafka.scan(topic, counter::count);
        return counter.tally();
    }

    /** Every generated notification exactly once, every priming message once, nothing else. */
    boolean exact(int primingCount) {
        return missing == 0 && duplicates == 0 && unexpected == 0 && wrongBodies == 0 && primingSeen == primingCount;
    }

    String describe(long made, int primingCount) {
        return String.format(Locale.ROOT, "%,d records: %,d of %,d generated notifications, %d of %d priming messages; "
                                          + "missing %d, duplicates %d, unexpected %d, wrong bodies %d%s", records,
                generatedSeen, made, primingSeen, primingCount, missing, duplicates, unexpected, wrongBodies,
                examples.isEmpty() ? "" : " " + examples);
    }

    private static final class Counter {
        private final long made;
        private final Set<String> primingIds;
        private final BitSet seen = new BitSet();
        private final Set<String> primingSeen = new HashSet<>();
        private final List<String> examples = new ArrayList<>();
        private long records;
        private long duplicates;
        private long unexpected;
        private long wrongBodies;

        Counter(long made, Set<String> primingIds) {
            this.made = made;
            this.primingIds = primingIds;
        }

        void count(ConsumerRecord<String, String> record) {
            records++;
            String id = header(record, "graph-message-id");
            long sequence = id == null ? -1 : NotificationFactory.sequenceOf(id);
            String where = " at " + record.partition() + "/" + record.offset();
            if (sequence >= 0 && sequence < made) {
                if (seen.get((int) sequence)) {
                    duplicates++;
                    example("duplicate " + id + where);
                }
                seen.set((int) sequence);
                if (record.value() == null || !record.value().contains("\"id\":\"" + id + "\"")) {
                    wrongBodies++;
                    example("the body of " + id + " is not its chatMessage" + where);
                }
            } else if (id != null && primingIds.contains(id)) {
                if (!primingSeen.add(id)) {
                    duplicates++;
                    example("duplicate priming message " + id + where);
                }
            } else {
                unexpected++;
                example("unexpected record " + id + where);
            }
        }

        KafkaTally tally() {
            long generatedSeen = seen.cardinality();
            if (generatedSeen < made) {
                example("first missing " + NotificationFactory.messageId(seen.nextClearBit(0)));
            }
            return new KafkaTally(records, generatedSeen, made - generatedSeen, duplicates, primingSeen.size(),
                    unexpected, wrongBodies, List.copyOf(examples));
        }

        private void example(String text) {
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(text);
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
