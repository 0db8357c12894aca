package io.camelgraphteams.karaf.receiver;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CamelContext built from the Config Admin configuration: keys {@code camel.component.NAME.OPTION} configure
 * component NAME (as Camel Main reads them), every key is a property placeholder of the route.
 */
final class ConfiguredReceiver implements ManagedService {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredReceiver.class);
    private static final String COMPONENT_PREFIX = "camel.component.";

    private final BundleContext bundleContext;
    private CamelContext running;

    ConfiguredReceiver(BundleContext bundleContext) {
        this.bundleContext = bundleContext;
    }

    @Override
    public synchronized void updated(Dictionary<String, ?> configuration) throws ConfigurationException {
        stop();
        if (configuration == null) {
            LOG.info("No configuration {} yet: the graph-teams receiver waits for it", ReceiverActivator.PID);
            return;
        }
        Properties properties = new Properties();
        for (String key : Collections.list(configuration.keys())) {
            properties.setProperty(key, String.valueOf(configuration.get(key)));
        }
        CamelContext context = new OsgiDefaultCamelContext(bundleContext);
        try {
            context.getPropertiesComponent().setInitialProperties(properties);
            configureComponents(context, properties);
            context.addRoutes(new GraphTeamsToFileRoute());
            context.start();
        } catch (Exception e) {
            context.stop();
            // Config Admin logs it with the PID; the cause names the option at fault
            throw new ConfigurationException(null, "the graph-teams receiver did not start: " + e.getMessage(), e);
        }
        running = context;
        LOG.info("graph-teams receiver started from configuration {}", ReceiverActivator.PID);
    }

    synchronized void stop() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    private static void configureComponents(CamelContext context, Properties properties) {
        Map<String, Map<String, Object>> optionsByComponent = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(COMPONENT_PREFIX)) {
                String rest = key.substring(COMPONENT_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    optionsByComponent.computeIfAbsent(rest.substring(0, dot), name -> new HashMap<>())
                            .put(rest.substring(dot + 1), properties.getProperty(key));
                }
            }
        }
        optionsByComponent.forEach((name, options) -> {
            Component component = context.getComponent(name);
            if (component == null) {
                throw new IllegalArgumentException("No Camel component '" + name + "' for the " + COMPONENT_PREFIX + name
                                                   + ".* options: is its feature installed?");
            }
            // mandatory: a misspelt option fails the start instead of being ignored
            PropertyBindingSupport.build().withCamelContext(context).withTarget(component).withProperties(options)
                    .withMandatory(true).withIgnoreCase(true).bind();
        });
    }
}
