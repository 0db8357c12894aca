package io.camelgraphteams.faults.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * What the fault tests' sinks hold for each exchange: one JSON line naming the message version the exchange carried
 * (message id and etag, taken from the decrypted chatMessage body), its change type and how it reached the route
 * (header {@code CamelGraphTeamsSource}: {@code notification} or {@code backfill}).
 *
 * @param messageId  the chatMessage id
 * @param etag       the version: Teams' etag, the last modification time in epoch milliseconds
 * @param changeType created, updated or deleted (header CamelGraphTeamsChangeType)
 * @param source     notification or backfill (header CamelGraphTeamsSource)
 */
public record SinkLine(String messageId, String etag, String changeType, String source) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The version this line is about: {@code messageId@etag}. */
    public String version() {
        return PostedVersions.key(messageId, etag);
    }

    /** The line without its newline. */
    public String toJson() {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", messageId);
        line.put("etag", etag);
        line.put("changeType", changeType);
        line.put("source", source);
        return line.toString();
    }

    public static SinkLine parse(String json) {
        try {
            JsonNode line = JSON.readTree(json);
            return new SinkLine(line.path("id").asText(null), line.path("etag").asText(null),
                    line.path("changeType").asText(null), line.path("source").asText(null));
        } catch (IOException e) {
            throw new IllegalStateException("not a sink line: " + json, e);
        }
    }

    /** The line for an exchange from a graph-teams consumer. */
    public static SinkLine of(Exchange exchange) throws IOException {
        JsonNode message = JSON.readTree(exchange.getMessage().getBody(String.class));
        return new SinkLine(message.path("id").asText(null), message.path("etag").asText(null),
                exchange.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE, String.class),
                exchange.getMessage().getHeader(GraphTeamsConstants.SOURCE, String.class));
    }

    /**
     * A route step that replaces the body with the exchange's line plus a newline (for a file appended to) and sets the
     * message id as Kafka record key.
     */
    public static Processor toLine() {
        return exchange -> {
            SinkLine line = of(exchange);
            exchange.getMessage().setBody(line.toJson() + "\n");
            exchange.getMessage().setHeader("kafka.KEY", line.messageId());
        };
    }

    /**
     * The lines of a file sink (one per exchange). A last line without its newline is a write still in progress and
     * left out.
     */
    public static List<SinkLine> readFile(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String content = Files.readString(file);
            List<SinkLine> lines = new ArrayList<>();
            int start = 0;
            for (int end = content.indexOf('\n'); end >= 0; end = content.indexOf('\n', start)) {
                String line = content.substring(start, end).trim();
                if (!line.isEmpty()) {
                    lines.add(parse(line));
                }
                start = end + 1;
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
