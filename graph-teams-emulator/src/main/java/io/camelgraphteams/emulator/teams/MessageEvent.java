package io.camelgraphteams.emulator.teams;

/** A message was created, edited or deleted; {@code message} is its state right after the change. */
public record MessageEvent(ChangeType changeType, ChatMessage message) {
}
