package io.camelgraphteams.emulator.teams;

import java.util.Locale;

/** Graph's changeType values. */
public enum ChangeType {
    CREATED, UPDATED, DELETED;

    public String graphName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** null when the text is none of created, updated, deleted (Graph is case-sensitive here). */
    public static ChangeType fromGraphName(String text) {
        for (ChangeType type : values()) {
            if (type.graphName().equals(text)) {
                return type;
            }
        }
        return null;
    }
}
