package io.camelgraphteams.routes;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageSummaryTest {

    private final MessageSummary summary = new MessageSummary();

    @Test
    void oneLineWithChangeTypeConversationSenderAndTheStartOfThePlainText() {
        String message = """
                {"id":"1","from":{"user":{"displayName":"Adele Vance"}},"deletedDateTime":null,
                 "body":{"contentType":"html","content":"<p><at id=\\"0\\">Megan Bowen</at> fish &amp; chips   at 12?</p>"}}
                """;

        String line = summary.summarize(message, Map.of("CamelGraphTeamsChangeType", "created",
                "CamelGraphTeamsChatId", "19:c@thread.v2", "CamelGraphTeamsResourceDataIncluded", true));

        assertThat(line).isEqualTo("created chat 19:c@thread.v2 | Adele Vance | @Megan Bowen fish & chips at 12?");
    }

    @Test
    void longTextIsCutAndDeletedMessagesSaySo() {
        String text = "x".repeat(200);
        assertThat(MessageSummary.shorten(text)).hasSize(MessageSummary.TEXT_LENGTH).endsWith("…");

        String deleted = """
                {"id":"1","from":{"user":{"displayName":"Adele Vance"}},"deletedDateTime":"2026-01-01T00:00:00.000Z",
                 "body":{"contentType":"html","content":""}}
                """;
        assertThat(summary.summarize(deleted, Map.of("CamelGraphTeamsChangeType", "deleted",
                "CamelGraphTeamsChannelId", "19:g@thread.tacv2", "CamelGraphTeamsReplyToId", "7",
                "CamelGraphTeamsResourceDataIncluded", true)))
                .isEqualTo("deleted channel 19:g@thread.tacv2 (reply to 7) | Adele Vance | (deleted)");
    }
}
