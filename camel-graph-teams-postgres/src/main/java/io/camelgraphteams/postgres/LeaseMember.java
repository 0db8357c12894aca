package io.camelgraphteams.postgres;

import org.apache.camel.cluster.CamelClusterMember;

/** A member of a lease's namespace, named by the id it writes as the lease's holder. */
final class LeaseMember implements CamelClusterMember {

    private final PostgresLeaseClusterView view;
    private final String id;
    private final boolean local;

    LeaseMember(PostgresLeaseClusterView view, String id, boolean local) {
        this.view = view;
        this.id = id;
        this.local = local;
    }

    @Override
    public boolean isLeader() {
        // another member's leadership is only what this one last read from the table
        return local ? view.isLeading() : id.equals(view.knownLeader());
    }

    @Override
    public boolean isLocal() {
        return local;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String toString() {
        return (local ? "local member " : "member ") + id;
    }
}
