package io.camelgraphteams.springboot;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.camelgraphteams.component.GraphTeamsComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code camel.component.graph-teams.*} properties of the Spring environment, in any form Spring accepts
 * (application.yaml, kebab-case or camelCase, environment variables), as the component's option names.
 */
final class GraphTeamsProperties {

    static final String PREFIX = "camel.component.graph-teams";

    // the starter's own switches, not options of the component
    private static final String ENABLED = "enabled";
    private static final String CUSTOMIZER = "customizer";

    private GraphTeamsProperties() {
    }

    /** The component options set in the environment, by Camel option name ("configuration.tenantId" for nested ones). */
    static Map<String, Object> read(Environment environment) {
        Map<String, Object> bound = Binder.get(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, Object.class))
                .orElse(Map.of());
        Map<String, Object> options = new LinkedHashMap<>();
        flatten("", bound, options);
        options.remove(ENABLED);
        options.keySet().removeIf(name -> name.startsWith(CUSTOMIZER + "."));
        return options;
    }

    /** Sets every option on the component; an option the component does not have fails the start, by its name. */
    static void apply(GraphTeamsComponent component, Map<String, Object> options) {
        if (options.isEmpty()) {
            return;
        }
        PropertyBindingSupport.build()
                .withCamelContext(component.getCamelContext())
                .withTarget(component)
                .withProperties(new LinkedHashMap<>(options))
                .withIgnoreCase(true)
                .withMandatory(true)
                .bind();
    }

    private static void flatten(String prefix, Map<?, ?> values, Map<String, Object> into) {
        values.forEach((key, value) -> {
            String name = prefix + StringHelper.dashToCamelCase(String.valueOf(key));
            if (value instanceof Map<?, ?> nested) {
                flatten(name + ".", nested, into);
            } else if (value instanceof Collection<?> list) {
                into.put(name, String.join(",", list.stream().map(String::valueOf).toList()));
            } else {
                into.put(name, value);
            }
        });
    }
}
