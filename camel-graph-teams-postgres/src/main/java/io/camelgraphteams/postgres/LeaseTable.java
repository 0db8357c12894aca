package io.camelgraphteams.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The lease rows of {@code graph_teams_cluster_lease} (lease.sql). Every statement runs in its own transaction, so
 * {@code now()} is the database's time at that statement: expiry is never judged by a JVM's clock.
 */
final class LeaseTable {

    static final String TABLE = "graph_teams_cluster_lease";

    /** A namespace's lease as one statement saw it; {@code mine} when that statement granted it to the caller. */
    record Lease(String holder, long epoch, boolean mine, boolean live) {
    }

    // Takes the row when it is absent, expired, or already the caller's (a grant whose answer was lost must not leave
    // the namespace leaderless for a whole lease); the epoch grows either way, so an older grant is fenced off. When
    // nothing is granted, the live holder (if any) is returned so followers can name the leader.
    private static final String ACQUIRE = """
            WITH granted AS (
                INSERT INTO graph_teams_cluster_lease AS lease (namespace, holder, epoch, expires_at)
                VALUES (?, ?, 1, now() + ? * INTERVAL '1 millisecond')
                ON CONFLICT (namespace) DO UPDATE
                    SET holder = EXCLUDED.holder, epoch = lease.epoch + 1, expires_at = EXCLUDED.expires_at
                    WHERE lease.expires_at <= now() OR lease.holder = EXCLUDED.holder
                RETURNING holder, epoch)
            SELECT holder, epoch, TRUE FROM granted
            UNION ALL
            SELECT holder, epoch, FALSE FROM graph_teams_cluster_lease
             WHERE namespace = ? AND expires_at > now() AND NOT EXISTS (SELECT 1 FROM granted)
            """;

    // holder and epoch are the fence: if they still match, nobody else held the namespace in between
    private static final String RENEW = """
            UPDATE graph_teams_cluster_lease SET expires_at = now() + ? * INTERVAL '1 millisecond'
             WHERE namespace = ? AND holder = ? AND epoch = ?
            """;

    // expired rather than deleted: the next holder's epoch must be higher than every earlier one
    private static final String RELEASE = """
            UPDATE graph_teams_cluster_lease SET expires_at = now()
             WHERE namespace = ? AND holder = ? AND epoch = ? AND expires_at > now()
            """;

    private static final String READ = """
            SELECT holder, epoch, expires_at > now() FROM graph_teams_cluster_lease WHERE namespace = ?
            """;

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DUPLICATE_TABLE = "42P07";

    private final DataSource dataSource;
    private final long leaseMillis;
    private final boolean createSchema;
    private volatile boolean schemaReady;

    LeaseTable(DataSource dataSource, Duration leaseDuration, boolean createSchema) {
        this.dataSource = dataSource;
        this.leaseMillis = leaseDuration.toMillis();
        this.createSchema = createSchema;
    }

    /** Creates the table if absent, unless the service was told the schema is managed elsewhere. */
    void createIfAbsent() throws SQLException {
        if (!createSchema || schemaReady) {
            return;
        }
        String ddl = ddl();
        for (int attempt = 1;; attempt++) {
            try {
                inOwnTransaction(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(ddl);
                    }
                    return null;
                });
                schemaReady = true;
                return;
            } catch (SQLException e) {
                // two members creating it at the same instant: IF NOT EXISTS does not cover the catalog's own race
                boolean raced = UNIQUE_VIOLATION.equals(e.getSQLState()) || DUPLICATE_TABLE.equals(e.getSQLState());
                if (!raced || attempt > 1) {
                    throw e;
                }
            }
        }
    }

    Optional<Lease> acquire(String namespace, String member) throws SQLException {
        createIfAbsent();
        return inOwnTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(ACQUIRE)) {
                statement.setString(1, namespace);
                statement.setString(2, member);
                statement.setLong(3, leaseMillis);
                statement.setString(4, namespace);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new Lease(rows.getString(1), rows.getLong(2), rows.getBoolean(3), true))
                            : Optional.empty();
                }
            }
        });
    }

    /** @return false when the lease is no longer this holder's at this epoch: taken over, or released */
    boolean renew(String namespace, String member, long epoch) throws SQLException {
        return inOwnTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(RENEW)) {
                statement.setLong(1, leaseMillis);
                statement.setString(2, namespace);
                statement.setString(3, member);
                statement.setLong(4, epoch);
                return statement.executeUpdate() == 1;
            }
        });
    }

    void release(String namespace, String member, long epoch) throws SQLException {
        inOwnTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(RELEASE)) {
                statement.setString(1, namespace);
                statement.setString(2, member);
                statement.setLong(3, epoch);
                return statement.executeUpdate();
            }
        });
    }

    /** The namespace's row, {@code live} judged by the database's clock; empty if nobody ever led it. */
    Optional<Lease> read(String namespace, String member) throws SQLException {
        return inOwnTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(READ)) {
                statement.setString(1, namespace);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    String holder = rows.getString(1);
                    return Optional.of(new Lease(holder, rows.getLong(2), holder.equals(member), rows.getBoolean(3)));
                }
            }
        });
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inOwnTransaction(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            int networkTimeout = connection.getNetworkTimeout();
            // a pooled connection may come with autocommit off: now() would then be an old transaction's start
            connection.setAutoCommit(true);
            // an answer later than the lease is of no use, and a caller of checkLeading must not hang on a dead peer
            connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, leaseMillis));
            T result = work.run(connection);
            // restored only after success: a pool resets (or evicts) a connection a failed statement left behind
            connection.setNetworkTimeout(Runnable::run, networkTimeout);
            connection.setAutoCommit(autoCommit);
            return result;
        }
    }

    private static String ddl() {
        try (InputStream in = LeaseTable.class.getResourceAsStream("lease.sql")) {
            if (in == null) {
                throw new IllegalStateException("lease.sql is missing from the camel-graph-teams-postgres jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lease.sql", e);
        }
    }
}
