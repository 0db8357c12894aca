package io.camelgraphteams.springboot;

import io.camelgraphteams.component.GraphTeamsComponent;
import jakarta.servlet.Filter;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The graph-teams component in a Spring Boot application: the {@code camel.component.graph-teams.*} properties applied
 * to the component when Camel creates it (bound by the component's own generated configurer, so every option of the
 * catalog, #bean references and Camel placeholders work as in Camel Main), and on a servlet web server the filter that
 * refuses an oversized notification batch before Spring MVC reads it. Beans of the component's service types
 * (GraphTokenProvider, IdempotentRepository, StateRepository, SSLContextParameters) are picked up by Camel's
 * autowiring when the application context holds exactly one; health reaches Actuator through camel-spring-boot's
 * Camel health indicator.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@ConditionalOnClass({ CamelContext.class, GraphTeamsComponent.class })
@ConditionalOnProperty(prefix = GraphTeamsProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class GraphTeamsComponentAutoConfiguration {

    /**
     * Read when Camel creates the component (at the latest when its routes start, after the web server did), so a value
     * may refer to what only a started application knows, such as ${local.server.port}.
     */
    @Bean
    public ComponentCustomizer graphTeamsComponentProperties(Environment environment) {
        return ComponentCustomizer.builder(GraphTeamsComponent.class)
                .build(component -> GraphTeamsProperties.apply(component, GraphTeamsProperties.read(environment)));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({ Filter.class, ServletRequestPathUtils.class })
    static class ServletUploadLimits {

        @Bean
        public FilterRegistrationBean<GraphTeamsUploadFilter> graphTeamsUploadFilter(CamelContext camelContext) {
            FilterRegistrationBean<GraphTeamsUploadFilter> registration =
                    new FilterRegistrationBean<>(new GraphTeamsUploadFilter(camelContext));
            registration.setName("graphTeamsUploadFilter");
            // before any filter that could read the body (a form or logging filter)
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }
    }
}
