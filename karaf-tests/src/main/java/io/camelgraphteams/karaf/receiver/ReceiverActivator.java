package io.camelgraphteams.karaf.receiver;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;

/**
 * Starts a graph-teams route in Karaf without Blueprint: the route's settings come from Config Admin under
 * {@value #PID} (in Karaf, the file etc/{@value #PID}.cfg), and every change of them restarts the route's
 * CamelContext.
 */
public final class ReceiverActivator implements BundleActivator {

    public static final String PID = "io.camelgraphteams.receiver";

    private ConfiguredReceiver receiver;
    private ServiceRegistration<ManagedService> registration;

    @Override
    public void start(BundleContext bundleContext) {
        receiver = new ConfiguredReceiver(bundleContext);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, PID);
        registration = bundleContext.registerService(ManagedService.class, receiver, properties);
    }

    @Override
    public void stop(BundleContext bundleContext) {
        if (registration != null) {
            registration.unregister();
        }
        if (receiver != null) {
            receiver.stop();
        }
    }
}
