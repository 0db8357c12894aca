package io.camelgraphteams.karaf.receiver;

import org.apache.camel.builder.RouteBuilder;

/**
 * Receive-only graph-teams endpoint (the subscription is managed elsewhere) whose every message is written to
 * {{received.dir}} as a record of its headers and decrypted body.
 */
final class GraphTeamsToFileRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("graph-teams:{{graph.resource}}?manageSubscription=false"
             + "&clientId={{graph.clientId}}&allowedTenantIds={{graph.allowedTenantIds}}"
             + "&clientState=RAW({{graph.clientState}})"
             + "&keyStore={{graph.keyStore}}&keyStorePassword=RAW({{graph.keyStorePassword}})"
             + "&certificateId={{graph.certificateId}}"
             + "&openIdConfigurationUrl={{graph.openIdConfigurationUrl}}")
                .routeId("graph-teams-to-file")
                .process(new ReceivedMessageRecord())
                // written under a temporary name first: a reader never sees half a record
                .to("file:{{received.dir}}?fileName=${header.CamelGraphTeamsMessageId}-${header.CamelGraphTeamsChangeType}"
                    + ".properties&tempPrefix=.writing-");
    }
}
