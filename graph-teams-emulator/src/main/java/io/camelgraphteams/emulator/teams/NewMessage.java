package io.camelgraphteams.emulator.teams;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What to post: sender, body and the users to @mention. */
public final class NewMessage {

    private final String fromUserId;
    private final String content;
    private final String contentType;
    private final String subject;
    private final String importance;
    private final List<String> mentionedUserIds;

    private NewMessage(Builder b) {
        this.fromUserId = Objects.requireNonNull(b.fromUserId, "from user id");
        this.content = Objects.requireNonNull(b.content, "content");
        this.contentType = b.contentType;
        this.subject = b.subject;
        this.importance = b.importance;
        this.mentionedUserIds = List.copyOf(b.mentionedUserIds);
    }

    public static Builder from(String userId) {
        return new Builder(userId);
    }

    /** A plain text message. */
    public static NewMessage text(String fromUserId, String content) {
        return from(fromUserId).content(content).build();
    }

    public String fromUserId() {
        return fromUserId;
    }

    public String content() {
        return content;
    }

    public String contentType() {
        return contentType;
    }

    public String subject() {
        return subject;
    }

    public String importance() {
        return importance;
    }

    public List<String> mentionedUserIds() {
        return mentionedUserIds;
    }

    public static final class Builder {
        private final String fromUserId;
        private String content;
        private String contentType = "text";
        private String subject;
        private String importance = "normal";
        private final List<String> mentionedUserIds = new ArrayList<>();

        private Builder(String fromUserId) {
            this.fromUserId = fromUserId;
        }

        public Builder content(String content) {
            this.content = content;
            return this;
        }

        /** "text" (default) or "html". */
        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder importance(String importance) {
            this.importance = importance;
            return this;
        }

        public Builder mention(String userId) {
            mentionedUserIds.add(userId);
            return this;
        }

        public NewMessage build() {
            return new NewMessage(this);
        }
    }
}
