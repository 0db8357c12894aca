package io.camelgraphteams.examples.jms;

import org.apache.camel.component.jms.JmsHeaderFilterStrategy;

/**
 * Camel's JMS header filter, except that the graph-teams headers (CamelGraphTeamsChatId, CamelGraphTeamsChangeType,
 * ...) become JMS properties. The default JmsHeaderFilterStrategy drops every header whose name starts with "Camel";
 * this one still drops the other Camel headers and the provider-set JMSX properties.
 * <p>
 * A class rather than bean properties in YAML because the default's "starts with Camel" list is a String[] that YAML
 * bean properties cannot replace.
 */
public class GraphTeamsJmsHeaderFilterStrategy extends JmsHeaderFilterStrategy {

    public GraphTeamsJmsHeaderFilterStrategy() {
        setOutFilterStartsWith((String[]) null);
        setOutFilterPattern("(?i)(camel(?!graphteams)|org\\.apache\\.camel).*");
    }
}
