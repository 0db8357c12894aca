package io.camelgraphteams.postgres;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.camelgraphteams.component.subscription.LifecycleEventInbox;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The backfill's state shared by several instances, in {@code graph_teams_state}. Values are overwritten, except a
 * watermark's (a key containing {@value #WATERMARK}): the upsert itself refuses a lower instant, so two instances
 * flushing at once never move a watermark back, whatever order their writes land in. An empty value (what the backfill
 * writes when a conversation leaves its registry) resets a watermark; a null value deletes the key.
 */
public class PostgresStateRepository extends ServiceSupport implements StateRepository<String, String>,
        LifecycleEventInbox {

    static final String WATERMARK = ".watermark.";

    // what Instant.toString() writes (seconds always, 0 to 9 fraction digits, UTC); the SQL checks the same shape
    private static final String INSTANT_SHAPE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$";
    private static final Pattern INSTANT = Pattern.compile(INSTANT_SHAPE);

    // timestamptz keeps microseconds, so instants are compared as (whole second as timestamptz, fraction padded to
    // nine digits): exact, and blind to how many fraction digits Instant.toString() chose. A stored value that is no
    // instant is replaced; a new one that is none is never written over a watermark.
    private static final String UPSERT = """
            INSERT INTO graph_teams_state AS stored (state_key, state_value, updated_at)
            VALUES (?, ?, now())
            ON CONFLICT (state_key) DO UPDATE
                SET state_value = EXCLUDED.state_value, updated_at = EXCLUDED.updated_at
                WHERE strpos(stored.state_key, '%1$s') = 0
                   OR EXCLUDED.state_value = ''
                   OR CASE
                          WHEN EXCLUDED.state_value !~ '%2$s' THEN false
                          WHEN stored.state_value !~ '%2$s' THEN true
                          ELSE (regexp_replace(EXCLUDED.state_value, '\\.[0-9]+Z$', 'Z')::timestamptz,
                                rpad(coalesce(substring(EXCLUDED.state_value from '\\.([0-9]+)Z$'), ''), 9, '0'))
                             > (regexp_replace(stored.state_value, '\\.[0-9]+Z$', 'Z')::timestamptz,
                                rpad(coalesce(substring(stored.state_value from '\\.([0-9]+)Z$'), ''), 9, '0'))
                      END""".formatted(WATERMARK, INSTANT_SHAPE);
    private static final String SELECT = "SELECT state_value FROM graph_teams_state WHERE state_key = ?";
    private static final String DELETE = "DELETE FROM graph_teams_state WHERE state_key = ?";
    private static final String POST = """
            INSERT INTO graph_teams_lifecycle_event (namespace, subscription_id, lifecycle_event) VALUES (?, ?, ?)""";
    // taken and removed in one statement: two leaders for a moment (a takeover) never act on one event twice
    private static final String TAKE = """
            DELETE FROM graph_teams_lifecycle_event WHERE namespace = ?
            RETURNING id, subscription_id, lifecycle_event""";

    private final DataSource store;
    private final JdbcTemplate jdbc;
    // a pool handing out connections without auto-commit must not swallow the writes
    private final TransactionTemplate transactions;

    public PostgresStateRepository(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("PostgresStateRepository needs a DataSource of the shared PostgreSQL");
        }
        this.store = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    protected void doStart() {
        StoreSchema.create(store);
    }

    @Override
    public void setState(String key, String value) {
        if (key == null) {
            throw new IllegalArgumentException("A state key must not be null");
        }
        if (value == null) {
            transactions.execute(status -> jdbc.update(DELETE, key));
            return;
        }
        if (key.contains(WATERMARK) && !value.isEmpty() && !isInstant(value)) {
            throw new IllegalArgumentException("The watermark " + key + " takes an instant as Instant.toString() "
                                               + "writes it (e.g. 2026-12-06T10:15:30.123Z) or an empty value, got '"
                                               + value + "'");
        }
        transactions.execute(status -> jdbc.update(UPSERT, key, value));
    }

    @Override
    public String getState(String key) {
        if (key == null) {
            return null;
        }
        List<String> values = transactions.execute(status -> jdbc.queryForList(SELECT, String.class, key));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void post(String namespace, String subscriptionId, String lifecycleEvent) {
        transactions.execute(status -> jdbc.update(POST, namespace, subscriptionId, lifecycleEvent));
    }

    @Override
    public List<PostedLifecycleEvent> take(String namespace) {
        List<long[]> order = new ArrayList<>();
        List<PostedLifecycleEvent> taken = new ArrayList<>();
        transactions.executeWithoutResult(status -> jdbc.query(TAKE, row -> {
            order.add(new long[] { row.getLong("id"), taken.size() });
            taken.add(new PostedLifecycleEvent(row.getString("subscription_id"), row.getString("lifecycle_event")));
        }, namespace));
        // DELETE ... RETURNING gives no order: oldest first, by id
        order.sort(Comparator.comparingLong(entry -> entry[0]));
        return order.stream().map(entry -> taken.get((int) entry[1])).toList();
    }

    private static boolean isInstant(String value) {
        if (!INSTANT.matcher(value).matches()) {
            return false;
        }
        try {
            Instant.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
