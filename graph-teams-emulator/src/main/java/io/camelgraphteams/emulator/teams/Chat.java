package io.camelgraphteams.emulator.teams;

import java.util.Set;

/**
 * A chat (oneOnOne, group or meeting) with its members and the Teams apps installed in it (for the
 * appCatalogs/teamsApps/{id}/installedToChats/getAllMessages resource).
 */
public record Chat(String id, String topic, String chatType, String tenantId, Set<String> memberIds,
        Set<String> installedAppIds) {

    public Chat {
        memberIds = Set.copyOf(memberIds);
        installedAppIds = Set.copyOf(installedAppIds);
    }
}
