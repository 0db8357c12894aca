package io.camelgraphteams.emulator.teams;

public record Team(String id, String displayName, String tenantId) {
}
