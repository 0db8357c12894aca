package io.camelgraphteams.component.resource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NotifiedResourceTest {

    @Test
    void channelReplyInGraphsQuotedForm() {
        NotifiedResource r = NotifiedResource.parse(
                "teams('fbe2bf47-16c8-47cf-b4a5-4b9b187c508b')/channels('19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2')"
                                                    + "/messages('1612289765949')/replies('1612289765950')").orElseThrow();
        assertThat(r.teamId()).isEqualTo("fbe2bf47-16c8-47cf-b4a5-4b9b187c508b");
        assertThat(r.channelId()).isEqualTo("19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2");
        assertThat(r.messageId()).isEqualTo("1612289765949");
        assertThat(r.replyId()).isEqualTo("1612289765950");
        assertThat(r.effectiveMessageId()).isEqualTo("1612289765950");
        assertThat(r.isChannelMessage()).isTrue();
    }

    @Test
    void chatMessageInQuotedAndSlashForms() {
        NotifiedResource quoted = NotifiedResource.parse("chats('19:8ea0e38b@unq.gbl.spaces')/messages('1612289765949')").orElseThrow();
        NotifiedResource slashed = NotifiedResource.parse("/chats/19:8ea0e38b@unq.gbl.spaces/messages/1612289765949").orElseThrow();
        assertThat(quoted).isEqualTo(slashed);
        assertThat(quoted.chatId()).isEqualTo("19:8ea0e38b@unq.gbl.spaces");
        assertThat(quoted.isChannelMessage()).isFalse();
        assertThat(quoted.effectiveMessageId()).isEqualTo("1612289765949");
    }

    @Test
    void dotSegmentsAreNoIds() {
        assertThat(NotifiedResource.parse("chats/19:a@thread.v2/messages/..")).isEmpty();
        assertThat(NotifiedResource.parse("chats('.')/messages('1')")).isEmpty();
        assertThat(NotifiedResource.parse("teams/t/channels/../messages/1")).isEmpty();
        assertThat(NotifiedResource.parse("teams('t')/channels('c')/messages('1')/replies('..')")).isEmpty();
        // a dot inside an id is ordinary (thread ids carry them)
        assertThat(NotifiedResource.parse("chats/19:a@thread.v2/messages/1.5")).isPresent();
    }

    @Test
    void theResourcePathOfAnIdWithQueryCharactersKeepsThemInsideTheId() {
        NotifiedResource r = NotifiedResource.parse("chats/c1/messages/m1?$select=body").orElseThrow();
        assertThat(r.messageId()).isEqualTo("m1?$select=body");
        assertThat(r.toResourcePath()).isEqualTo("chats('c1')/messages('m1?$select=body')");
    }

    @Test
    void userScopedChatMessage() {
        NotifiedResource r = NotifiedResource.parse("users('u1')/chats('c1')/messages('m1')").orElseThrow();
        assertThat(r.chatId()).isEqualTo("c1");
        assertThat(r.messageId()).isEqualTo("m1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "teams('t')/channels('c')", "chats('c')", "users('u')", "drives('d')/items('i')",
                             "chats('c')/messages('m')/extra('x')", "chats('c'/messages('m')" })
    void otherResourcesAreNotParsed(String resource) {
        assertThat(NotifiedResource.parse(resource)).isEmpty();
    }
}
