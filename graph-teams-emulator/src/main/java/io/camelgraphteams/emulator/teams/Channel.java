package io.camelgraphteams.emulator.teams;

/** A channel; its id has Teams' form 19:...@thread.tacv2. */
public record Channel(String id, String teamId, String displayName, String tenantId) {
}
