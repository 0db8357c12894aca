package io.camelgraphteams.karaf.receiver;

import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns the exchange into a properties text: every CamelGraphTeams* header and the body under {@value #BODY}, so that a
 * reader outside the container sees what the route received.
 */
final class ReceivedMessageRecord implements Processor {

    static final String BODY = "body";
    private static final String HEADER_PREFIX = "CamelGraphTeams";

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Properties record = new Properties();
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            if (header.getKey().startsWith(HEADER_PREFIX) && header.getValue() != null) {
                record.setProperty(header.getKey(), String.valueOf(header.getValue()));
            }
        }
        record.setProperty(BODY, message.getBody(String.class));
        StringWriter text = new StringWriter();
        record.store(text, null);
        message.setBody(text.toString());
    }
}
