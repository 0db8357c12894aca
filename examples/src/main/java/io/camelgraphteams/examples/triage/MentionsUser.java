package io.camelgraphteams.examples.triage;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/** Whether the chatMessage in the body @mentions the given user (its {@code mentions[].mentioned.user.id}). */
public final class MentionsUser implements Predicate {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String userId;

    public MentionsUser(String userId) {
        this.userId = userId;
    }

    @Override
    public boolean matches(Exchange exchange) {
        JsonNode message;
        try {
            message = JSON.readTree(exchange.getMessage().getBody(String.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the body is not a chatMessage JSON", e);
        }
        for (JsonNode mention : message.path("mentions")) {
            if (userId.equals(mention.path("mentioned").path("user").path("id").asText(null))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "mentions user " + userId;
    }
}
