package io.camelgraphteams.springboot;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsComponent;
import org.apache.camel.util.StringHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's Spring Boot configuration metadata (IDE completion of camel.component.graph-teams.*) is the component
 * catalog's option list, as the component jar ships it: one property per component option, with its description,
 * type and default. Run with {@code -Dgraph-teams.update-docs=true} to write it anew after changing an option.
 */
class ConfigurationMetadataTest {

    private static final Path METADATA = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");
    private static final String CATALOG = "META-INF/io/camelgraphteams/component/graph-teams.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, String> BOXED = Map.of("boolean", "java.lang.Boolean", "int", "java.lang.Integer",
            "long", "java.lang.Long", "java.lang.String", "java.lang.String");

    @Test
    void theMetadataIsTheCatalogsOptionList() throws Exception {
        JsonNode catalog;
        try (InputStream in = GraphTeamsComponent.class.getClassLoader().getResourceAsStream(CATALOG)) {
            assertThat(in).as("the component's catalog on the class path").isNotNull();
            catalog = JSON.readTree(in);
        }
        String expected = JSON.writeValueAsString(metadata(catalog)) + "\n";
        if (Boolean.getBoolean("graph-teams.update-docs")) {
            Files.writeString(METADATA, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(METADATA)).as(METADATA + " differs from the catalog (-Dgraph-teams.update-docs=true "
                                                  + "writes it)").isEqualTo(expected);
        assertThat(catalog.get("componentProperties").size()).as("options listed").isGreaterThan(50);
    }

    private static ObjectNode metadata(JsonNode catalog) {
        ObjectNode metadata = JSON.createObjectNode();
        ObjectNode group = metadata.putArray("groups").addObject();
        group.put("name", GraphTeamsProperties.PREFIX);
        group.put("type", GraphTeamsComponent.class.getName());
        group.put("description", catalog.get("component").get("description").asText());
        ArrayNode properties = metadata.putArray("properties");
        ObjectNode enabled = properties.addObject();
        enabled.put("name", GraphTeamsProperties.PREFIX + ".enabled");
        enabled.put("type", "java.lang.Boolean");
        enabled.put("description", "Whether the starter configures the graph-teams component (default true).");
        enabled.put("defaultValue", true);
        for (Iterator<Map.Entry<String, JsonNode>> options = catalog.get("componentProperties").fields();
             options.hasNext(); ) {
            Map.Entry<String, JsonNode> option = options.next();
            JsonNode definition = option.getValue();
            String javaType = definition.get("javaType").asText();
            ObjectNode property = properties.addObject();
            property.put("name", GraphTeamsProperties.PREFIX + "." + StringHelper.camelCaseToDash(option.getKey()));
            property.put("type", BOXED.getOrDefault(javaType, "java.lang.String"));
            String description = definition.get("description").asText();
            if (!BOXED.containsKey(javaType)) {
                description += " A reference to a bean of type " + javaType.replaceAll("<.*>", "")
                               + " (#bean:name).";
            }
            property.put("description", description);
            property.put("sourceType", GraphTeamsComponent.class.getName());
            JsonNode defaultValue = definition.get("defaultValue");
            if (defaultValue != null && !defaultValue.asText().isEmpty()) {
                switch (javaType) {
                    case "boolean" -> property.put("defaultValue", defaultValue.asBoolean());
                    case "int", "long" -> property.put("defaultValue", Long.parseLong(defaultValue.asText()));
                    default -> property.put("defaultValue", defaultValue.asText());
                }
            }
        }
        metadata.putArray("hints");
        return metadata;
    }
}
