-- The tables several graph-teams instances share on one PostgreSQL: dedup keys, in-flight claims, backfill state.
-- PostgresIdempotentRepository and PostgresStateRepository run this script at start when a table is missing; a DBA
-- may run it by hand instead (then the application's user needs only SELECT, INSERT, UPDATE, DELETE).
-- Format kept simple for the loader: statements end with ';', comments start with '--'.

-- The changes delivered: camel-sql's JdbcMessageIdRepository rows, the key stored as its SHA-256 (hex) because our
-- keys run to hundreds of characters. The primary key makes a second instance's insert of the same key fail, which
-- camel-sql counts as a duplicate. Rows older than the retention are purged.
CREATE TABLE IF NOT EXISTS graph_teams_dedup_key (
    processor_name varchar(255) NOT NULL,
    key_hash       varchar(64)  NOT NULL,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (processor_name, key_hash)
);

-- the purge deletes by age
CREATE INDEX IF NOT EXISTS graph_teams_dedup_key_created_at ON graph_teams_dedup_key (processor_name, created_at);

-- The changes being routed right now, one claim per change: a copy reaching another instance meanwhile is refused.
-- A claim lapses at expires_at (the database's clock), so an instance that died while routing blocks nobody for long.
CREATE TABLE IF NOT EXISTS graph_teams_dedup_claim (
    processor_name varchar(255) NOT NULL,
    key_hash       varchar(64)  NOT NULL,
    holder         varchar(255) NOT NULL,
    expires_at     timestamptz  NOT NULL,
    PRIMARY KEY (processor_name, key_hash)
);

-- The backfill's StateRepository: keys already carry the endpoint's namespace. For keys containing '.watermark.'
-- the value (an ISO-8601 instant) is never lowered: the upsert compares instants, not text.
CREATE TABLE IF NOT EXISTS graph_teams_state (
    state_key   text        PRIMARY KEY,
    state_value text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Lifecycle events a follower received, kept for the leader of the namespace (the endpoint's state namespace), which
-- takes them within a second and acts on them; the follower answered Graph 202.
CREATE TABLE IF NOT EXISTS graph_teams_lifecycle_event (
    id              bigserial   PRIMARY KEY,
    namespace       text        NOT NULL,
    subscription_id text        NOT NULL,
    lifecycle_event text        NOT NULL,
    posted_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS graph_teams_lifecycle_event_namespace ON graph_teams_lifecycle_event (namespace, id);
