package io.camelgraphteams.examples.jms;

import org.apache.camel.component.jms.JmsHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GraphTeamsJmsHeaderFilterStrategyTest {

    private final HeaderFilterStrategy strategy = new GraphTeamsJmsHeaderFilterStrategy();

    @Test
    void camelsDefaultJmsFilterDropsTheGraphTeamsHeaders() {
        assertThat(new JmsHeaderFilterStrategy().applyFilterToCamelHeaders("CamelGraphTeamsChatId", "19:c", null))
                .as("the reason this class exists").isTrue();
    }

    @Test
    void graphTeamsHeadersBecomeJmsProperties() {
        assertThat(strategy.applyFilterToCamelHeaders("CamelGraphTeamsChatId", "19:c", null)).isFalse();
        assertThat(strategy.applyFilterToCamelHeaders("CamelGraphTeamsResourceDataIncluded", true, null)).isFalse();
    }

    @Test
    void otherCamelHeadersStayOut() {
        assertThat(strategy.applyFilterToCamelHeaders("CamelFileName", "a.json", null)).isTrue();
        assertThat(strategy.applyFilterToCamelHeaders("camelKafkaKey", "k", null)).isTrue();
        assertThat(strategy.applyFilterToCamelHeaders("org.apache.camel.Something", "x", null)).isTrue();
    }

    @Test
    void providerSetJmsxPropertiesStayOutAndApplicationHeadersPass() {
        assertThat(strategy.applyFilterToCamelHeaders("JMSXUserID", "someone", null)).isTrue();
        assertThat(strategy.applyFilterToCamelHeaders("orderId", "42", null)).isFalse();
    }
}
