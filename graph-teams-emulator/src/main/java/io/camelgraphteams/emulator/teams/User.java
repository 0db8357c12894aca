package io.camelgraphteams.emulator.teams;

/** A Microsoft Entra user as Teams shows it in message senders and mentions. */
public record User(String id, String displayName, String userPrincipalName, String tenantId) {
}
