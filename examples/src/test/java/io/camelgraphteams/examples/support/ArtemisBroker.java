package io.camelgraphteams.examples.support;

import java.nio.file.Path;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.test.AvailablePortFinder;

/**
 * A real Apache Artemis broker inside this JVM, listening on a loopback TCP port like a standalone one, without
 * persistence or security.
 */
public final class ArtemisBroker implements AutoCloseable {

    private final EmbeddedActiveMQ broker;
    private final String url;

    private ArtemisBroker(EmbeddedActiveMQ broker, String url) {
        this.broker = broker;
        this.url = url;
    }

    /** Starts the broker; its (unused) data folders go under {@code directory}, not the working directory. */
    public static ArtemisBroker start(Path directory) throws Exception {
        String url = "tcp://127.0.0.1:" + AvailablePortFinder.getNextAvailable();
        Configuration configuration = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("tcp", url);
        configuration.setBrokerInstance(directory.toFile());
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        return new ArtemisBroker(broker, url);
    }

    /** The URL clients connect to, e.g. {@code tcp://127.0.0.1:40123}. */
    public String url() {
        return url;
    }

    public ConnectionFactory connectionFactory() {
        return new ActiveMQConnectionFactory(url);
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
