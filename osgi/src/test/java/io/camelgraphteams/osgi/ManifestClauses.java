package io.camelgraphteams.osgi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The clauses of an OSGi manifest header such as Import-Package or Export-Package:
 * {@code name;attr=value;directive:=value,name2;...}, values optionally quoted (quotes may hold commas).
 */
final class ManifestClauses {

    record Clause(String name, Map<String, String> parameters) {

        String version() {
            return parameters.get("version");
        }

        boolean optional() {
            return "optional".equals(parameters.get("resolution:"));
        }
    }

    private ManifestClauses() {
    }

    /** The header's clauses by name; an absent header has none. */
    static Map<String, Clause> of(Manifest manifest, String header) {
        String value = manifest.getMainAttributes().getValue(new Attributes.Name(header));
        return value == null ? Map.of() : parse(value);
    }

    static Map<String, Clause> parse(String header) {
        Map<String, Clause> clauses = new LinkedHashMap<>();
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            Map<String, String> parameters = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (String part : parts) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    names.add(part.trim());
                    continue;
                }
                // "resolution:=optional" is kept as key "resolution:" so directives and attributes stay apart
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                    value = value.substring(1, value.length() - 1);
                }
                parameters.put(key, value);
            }
            for (String name : names) {
                clauses.put(name, new Clause(name, Collections.unmodifiableMap(parameters)));
            }
        }
        return clauses;
    }

    private static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : value.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            parts.add(current.toString());
        }
        return parts;
    }
}
