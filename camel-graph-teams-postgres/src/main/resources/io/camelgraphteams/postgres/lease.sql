-- Leadership of the cluster namespaces of graph-teams endpoints (PostgresLeaseClusterService): one row per namespace.
-- The holder leads until expires_at, judged by this database's clock only. epoch grows by one at every acquisition,
-- so a holder paused past its lease cannot pass for the new one; rows are never deleted (a release expires the row)
-- so that the epoch never starts again at 1.
CREATE TABLE IF NOT EXISTS graph_teams_cluster_lease (
    namespace  TEXT        NOT NULL PRIMARY KEY,
    holder     TEXT        NOT NULL,
    epoch      BIGINT      NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
)
