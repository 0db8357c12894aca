package io.camelgraphteams.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The option tables of the AsciiDoc reference are the catalog's (the JSON Camel's tooling generates from the
 * {@code @UriParam} and {@code @Metadata} annotations): names, groups, descriptions, defaults and types, so the
 * reference cannot drift from the code. A table that differs fails the build; run with
 * {@code -Dgraph-teams.update-docs=true} to write the tables anew after changing an option.
 */
class OptionReferenceTest {

    private static final Path CATALOG = Path.of(
            "src/generated/resources/META-INF/io/camelgraphteams/component/graph-teams.json");
    private static final Path REFERENCE = Path.of("src/main/docs/graph-teams-component.adoc");
    private static final String HEADER = "[width=\"100%\",cols=\"2,5,2,1\",options=\"header\"]\n|===\n"
                                         + "| Name | Description | Default | Type\n";

    @Test
    void theReferencesOptionTablesAreTheCatalogs() throws IOException {
        JsonNode catalog = new ObjectMapper().readTree(CATALOG.toFile());
        String reference = Files.readString(REFERENCE, StandardCharsets.UTF_8);
        String updated = replace(replace(reference, "component options", table(catalog.get("componentProperties"),
                false)), "endpoint options", table(catalog.get("properties"), true));
        if (Boolean.getBoolean("graph-teams.update-docs")) {
            Files.writeString(REFERENCE, updated, StandardCharsets.UTF_8);
        }
        assertThat(reference).as("the option tables of " + REFERENCE + " against " + CATALOG
                                 + " (-Dgraph-teams.update-docs=true writes them)").isEqualTo(updated);
    }

    /** One table: a row per option; endpoint options under a row per group, as the catalog orders them. */
    private static String table(JsonNode properties, boolean grouped) {
        StringBuilder table = new StringBuilder(HEADER);
        String group = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> option = it.next();
            JsonNode p = option.getValue();
            if ("path".equals(p.path("kind").asText()) || (!grouped && p.has("configurationField"))) {
                // the path is its own section; the configuration's fields are the endpoint options
                continue;
            }
            if (grouped && !p.path("group").asText().equals(group)) {
                group = p.path("group").asText();
                table.append("4+| *").append(group).append("*\n");
            }
            String name = option.getKey() + (p.path("secret").asBoolean() ? " (secret)" : "");
            String type = "duration".equals(p.path("type").asText()) ? "Duration (ms)"
                    : p.path("javaType").asText().replaceAll(".*\\.", "");
            table.append("| ").append(name).append(" | ").append(p.path("description").asText().replace("|", "\\|"))
                    .append(" | ").append(p.path("defaultValue").asText()).append(" | ").append(type).append('\n');
        }
        return table.append("|===\n").toString();
    }

    /** The text between {@code // <name>: START} and {@code // <name>: END} replaced by {@code table}. */
    private static String replace(String reference, String name, String table) {
        String start = "// " + name + ": START\n";
        String end = "// " + name + ": END\n";
        int from = reference.indexOf(start);
        int to = reference.indexOf(end);
        assertThat(from).as("the marker " + start.trim() + " in " + REFERENCE).isNotNegative();
        assertThat(to).as("the marker " + end.trim() + " in " + REFERENCE).isGreaterThan(from);
        return reference.substring(0, from + start.length()) + table + reference.substring(to);
    }
}
