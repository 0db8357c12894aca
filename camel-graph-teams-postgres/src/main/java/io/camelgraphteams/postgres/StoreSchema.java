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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The tables of {@value #RESOURCE}, created when one is missing. Instances starting together take turns under an
 * advisory lock: two concurrent {@code CREATE TABLE IF NOT EXISTS} of one table can fail on PostgreSQL's catalog.
 */
final class StoreSchema {

    /** Where the DDL is, for a DBA who creates the tables by hand. */
    static final String RESOURCE = "io/camelgraphteams/postgres/store.sql";

    private static final Pattern CREATED_TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)",
            Pattern.CASE_INSENSITIVE);

    private StoreSchema() {
    }

    /** Creates what is missing; does nothing (and needs no CREATE privilege) when every table exists. */
    static void create(DataSource dataSource) {
        List<String> statements = statements();
        try (Connection connection = dataSource.getConnection()) {
            if (allTablesExist(connection, statements)) {
                return;
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(hashtext('io.camelgraphteams.postgres.store'))");
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the graph_teams_ tables in PostgreSQL (" + e.getMessage()
                                            + "): run " + RESOURCE + " from this module's jar as a user allowed to "
                                            + "create tables, or grant this one CREATE on its schema", e);
        }
    }

    private static boolean allTablesExist(Connection connection, List<String> statements) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (String sql : statements) {
                Matcher table = CREATED_TABLE.matcher(sql);
                if (!table.find()) {
                    continue;
                }
                exists.setString(1, table.group(1));
                try (ResultSet result = exists.executeQuery()) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The script's statements, comments left out. */
    static List<String> statements() {
        String script;
        try (InputStream in = StoreSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String statement : code.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }
}
