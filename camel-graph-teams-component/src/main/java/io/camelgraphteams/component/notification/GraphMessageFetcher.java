package io.camelgraphteams.component.notification;

import java.util.Objects;

import io.camelgraphteams.component.graph.GraphApiException;
import io.camelgraphteams.component.graph.GraphClient;
import io.camelgraphteams.component.resource.NotifiedResource;
import io.camelgraphteams.component.support.Deadline;

/** Gets the message of a notification without resource data from Graph, with the endpoint's credentials. */
public final class GraphMessageFetcher implements MessageFetcher {

    private final GraphClient graph;

    public GraphMessageFetcher(GraphClient graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    @Override
    public String fetch(ChangeNotification item, Deadline deadline) throws Exception {
        // the path is rebuilt from the parsed ids, each percent-encoded as one segment: a notification's resource
        // never adds a query or other segments to the call made with our credentials
        NotifiedResource notified = NotifiedResource.parse(item.resource())
                .orElseThrow(() -> new IllegalArgumentException("not a chatMessage resource"));
        try {
            return graph.getMessage(notified.toResourcePath(), deadline).toString();
        } catch (GraphApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }
}
