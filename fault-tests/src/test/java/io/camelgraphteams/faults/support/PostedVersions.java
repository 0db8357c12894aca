package io.camelgraphteams.faults.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.camelgraphteams.emulator.teams.ChatMessage;

/**
 * Every message version a test posted (creations, edits, deletions through the emulator's TeamsStore), and the
 * exactly-once check of a sink against them: each posted version must be in the sink once, by message id and etag.
 */
public final class PostedVersions {

    private final List<ChatMessage> versions = new CopyOnWriteArrayList<>();

    /** {@code messageId@etag}. */
    public static String key(String messageId, String etag) {
        return messageId + "@" + etag;
    }

    public static String key(ChatMessage version) {
        return key(version.id(), version.etag());
    }

    /** Records a version as the TeamsStore returned it; returns it. */
    public ChatMessage add(ChatMessage version) {
        versions.add(version);
        return version;
    }

    public List<ChatMessage> all() {
        return List.copyOf(versions);
    }

    public int size() {
        return versions.size();
    }

    public Set<String> keys() {
        return versions.stream().map(PostedVersions::key).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Whether the sink holds every posted version at least once. */
    public boolean allIn(Collection<SinkLine> sink) {
        Set<String> held = sink.stream().map(SinkLine::version).collect(Collectors.toSet());
        return held.containsAll(keys());
    }

    /**
     * Fails unless the sink holds every posted version exactly once, with its change type, and nothing else. The
     * message lists the missing, doubled and unexpected versions ({@code messageId@etag}), with what the emulator knows
     * of each missing one, and the lines whose change type is not the version's.
     */
    public void assertExactlyOnce(String sinkName, Collection<SinkLine> sink) {
        Map<String, ChatMessage> posted = versions.stream()
                .collect(Collectors.toMap(PostedVersions::key, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        Map<String, List<SinkLine>> held = sink.stream()
                .collect(Collectors.groupingBy(SinkLine::version, TreeMap::new, Collectors.toList()));
        List<String> missing = posted.keySet().stream().filter(k -> !held.containsKey(k)).toList();
        List<String> doubled = new ArrayList<>();
        held.forEach((version, lines) -> {
            if (lines.size() > 1) {
                doubled.add(version + " x" + lines.size() + " " + lines.stream()
                        .map(l -> l.changeType() + "/" + l.source()).toList());
            }
        });
        List<String> unexpected = held.keySet().stream().filter(k -> !posted.containsKey(k)).toList();
        // a backfilled version carries the change type a live notification would have had
        List<String> wrongChangeType = sink.stream().filter(l -> posted.containsKey(l.version()))
                .filter(l -> !changeType(posted.get(l.version())).equals(l.changeType()))
                .map(l -> l.version() + " " + l.changeType() + "/" + l.source() + " (expected "
                          + changeType(posted.get(l.version())) + ")").toList();
        if (missing.isEmpty() && doubled.isEmpty() && unexpected.isEmpty() && wrongChangeType.isEmpty()
            && sink.size() == posted.size()) {
            return;
        }
        StringBuilder failure = new StringBuilder()
                .append(sinkName).append(" is not exactly once: ").append(posted.size()).append(" versions posted, ")
                .append(sink.size()).append(" lines in the sink, ").append(held.size()).append(" distinct versions");
        if (!missing.isEmpty()) {
            failure.append("\n  missing (").append(missing.size()).append("): ")
                    .append(first(missing.stream().map(k -> k + " " + describe(posted.get(k))).toList()));
        }
        if (!doubled.isEmpty()) {
            failure.append("\n  doubled (").append(doubled.size()).append("): ").append(first(doubled));
        }
        if (!unexpected.isEmpty()) {
            failure.append("\n  not posted (").append(unexpected.size()).append("): ").append(first(unexpected));
        }
        if (!wrongChangeType.isEmpty()) {
            failure.append("\n  wrong change type (").append(wrongChangeType.size()).append("): ")
                    .append(first(wrongChangeType));
        }
        throw new AssertionError(failure.toString());
    }

    /** The first 40 entries, and how many more there are. */
    private static String first(List<String> entries) {
        int shown = Math.min(entries.size(), 40);
        String list = String.join(", ", entries.subList(0, shown));
        return entries.size() > shown ? "[" + list + ", ... " + (entries.size() - shown) + " more]" : "[" + list + "]";
    }

    private static String describe(ChatMessage m) {
        String where = m.chatId() != null ? "chat " + m.chatId() : "channel " + m.channelId();
        return "(" + changeType(m) + " in " + where + ")";
    }

    /** The change a version is: Graph's changeType of its notification. */
    static String changeType(ChatMessage version) {
        return version.isDeleted() ? "deleted" : version.lastEditedDateTime() != null ? "updated" : "created";
    }
}
