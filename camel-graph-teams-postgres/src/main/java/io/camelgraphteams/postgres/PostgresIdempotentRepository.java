package io.camelgraphteams.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.camelgraphteams.component.delivery.InFlightClaims;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedup store of several instances sharing one PostgreSQL. Delivered changes are camel-sql's
 * {@link JdbcMessageIdRepository} rows in {@code graph_teams_dedup_key}: when two instances add one key at the same
 * moment, the primary key refuses the second insert and camel-sql answers it as a duplicate. Changes being routed are
 * claims in {@code graph_teams_dedup_claim} ({@link InFlightClaims}): a copy reaching another instance meanwhile is
 * refused instead of routed twice. Keys are stored as their SHA-256, since ours outgrow any sensible column; delivered
 * keys are kept for {@link #setRetention(Duration) retention} and purged every {@link #setPurgeInterval(Duration)
 * purgeInterval} while started (or by {@link #purge()}). The DDL is in {@code store.sql} beside this class.
 */
public class PostgresIdempotentRepository extends JdbcMessageIdRepository implements InFlightClaims {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofHours(1);
    /** A third of the component's claim lease (30 s): two renewals may fail before a live holder's claim lapses. */
    public static final Duration DEFAULT_CLAIM_RENEWAL_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(PostgresIdempotentRepository.class);

    // the claim is taken when free, lapsed by the database's clock, or ours already: one statement, so two instances
    // claiming together are ordered by the row lock, and RETURNING says which one won
    private static final String CLAIM = """
            INSERT INTO graph_teams_dedup_claim AS held (processor_name, key_hash, holder, expires_at)
            VALUES (?, ?, ?, now() + make_interval(secs => ?))
            ON CONFLICT (processor_name, key_hash) DO UPDATE
                SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                WHERE held.expires_at <= now() OR held.holder = EXCLUDED.holder
            RETURNING holder""";
    private static final String RENEW = "UPDATE graph_teams_dedup_claim SET expires_at = now() + make_interval(secs => ?) "
                                        + "WHERE processor_name = ? AND key_hash = ? AND holder = ?";
    private static final String RELEASE =
            "DELETE FROM graph_teams_dedup_claim WHERE processor_name = ? AND key_hash = ? AND holder = ?";
    private static final String PURGE_KEYS = "DELETE FROM graph_teams_dedup_key "
                                             + "WHERE processor_name = ? AND created_at < now() - make_interval(secs => ?)";
    private static final String PURGE_CLAIMS =
            "DELETE FROM graph_teams_dedup_claim WHERE processor_name = ? AND expires_at < now()";

    private final DataSource store;
    private final String holderId;
    private volatile Duration retention = DEFAULT_RETENTION;
    private volatile Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private volatile Duration claimRenewalInterval = DEFAULT_CLAIM_RENEWAL_INTERVAL;
    private ScheduledExecutorService purger;
    // the claims this instance holds (key hash -> lease), renewed while it lives
    private final Map<String, Duration> held = new ConcurrentHashMap<>();

    /** One instance of the application, its claims held under a random id. */
    public PostgresIdempotentRepository(DataSource dataSource, String processorName) {
        this(dataSource, processorName, UUID.randomUUID().toString());
    }

    /**
     * @param processorName separates the keys of applications (or endpoints) that must not see each other's changes;
     *                      the instances of one application use the same name
     * @param holderId      this instance's name on its claims, unique among the instances
     */
    public PostgresIdempotentRepository(DataSource dataSource, String processorName, String holderId) {
        super(required(dataSource), requiredText(processorName, "processorName"));
        this.store = dataSource;
        this.holderId = requiredText(holderId, "holderId");
        // the tables come from store.sql (camel-sql's own create statement sizes the key for 100 characters)
        setCreateTableIfNotExists(false);
        setTableExistsString("SELECT 1 FROM graph_teams_dedup_key WHERE 1 = 0");
        setQueryString("SELECT COUNT(*) FROM graph_teams_dedup_key WHERE processor_name = ? AND key_hash = ?");
        // the database's clock, the one the purge compares with
        setInsertString("INSERT INTO graph_teams_dedup_key (processor_name, key_hash, created_at) VALUES (?, ?, now())");
        setDeleteString("DELETE FROM graph_teams_dedup_key WHERE processor_name = ? AND key_hash = ?");
        setClearString("DELETE FROM graph_teams_dedup_key WHERE processor_name = ?");
    }

    @Override
    protected void doStart() throws Exception {
        StoreSchema.create(store);
        super.doStart();
        purger = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "graph-teams-dedup-store");
            thread.setDaemon(true);
            return thread;
        });
        Duration every = purgeInterval;
        if (!every.isZero()) {
            purger.scheduleWithFixedDelay(this::purgeOnSchedule, every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        long renewal = claimRenewalInterval.toMillis();
        purger.scheduleWithFixedDelay(this::renewClaims, renewal, renewal, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (purger != null) {
            purger.shutdownNow();
            purger = null;
        }
        super.doStop();
    }

    @Override
    protected int queryForInt(String key) {
        return super.queryForInt(keyHash(key));
    }

    @Override
    protected int insert(String key) {
        return jdbcTemplate.update(getInsertString(), processorName, keyHash(key));
    }

    @Override
    protected int delete(String key) {
        return super.delete(keyHash(key));
    }

    /** Refused: the table is store.sql's, and camel-sql would reset every statement to its own default table. */
    @Override
    public void setTableName(String tableName) {
        throw new UnsupportedOperationException("PostgresIdempotentRepository keeps its keys in graph_teams_dedup_key "
                                                + "(see " + StoreSchema.RESOURCE + "); use processorName to separate "
                                                + "applications sharing it");
    }

    @Override
    public boolean claim(String key, Duration lease) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("An in-flight claim needs a positive lease, got " + lease);
        }
        String hash = keyHash(key);
        double seconds = lease.toMillis() / 1000.0;
        List<String> won = transactionTemplate.execute(
                status -> jdbcTemplate.queryForList(CLAIM, String.class, processorName, hash, holderId, seconds));
        boolean claimed = won != null && !won.isEmpty();
        if (claimed) {
            held.put(hash, lease);
        }
        return claimed;
    }

    @Override
    public void release(String key) {
        String hash = keyHash(key);
        held.remove(hash);
        transactionTemplate.execute(status -> jdbcTemplate.update(RELEASE, processorName, hash, holderId));
    }

    /**
     * Deletes this processor's keys older than the retention, and its lapsed claims.
     *
     * @return the number of keys deleted
     */
    public int purge() {
        double seconds = retention.toMillis() / 1000.0;
        Integer deleted = transactionTemplate.execute(status -> {
            jdbcTemplate.update(PURGE_CLAIMS, processorName);
            return jdbcTemplate.update(PURGE_KEYS, processorName, seconds);
        });
        return deleted == null ? 0 : deleted;
    }

    /**
     * Extends the lease of every claim this instance holds: a change routed for longer than a lease (a slow sink) stays
     * claimed while its holder lives, and a dead holder's claims lapse a lease after it stopped renewing them. A claim
     * found lapsed and taken by another instance is forgotten (that instance may route the change too: logged).
     */
    private void renewClaims() {
        held.forEach((hash, lease) -> {
            try {
                int renewed = jdbcTemplate.update(RENEW, lease.toMillis() / 1000.0, processorName, hash, holderId);
                // none renewed and still held (not released meanwhile): lapsed and taken by another instance
                if (renewed == 0 && held.remove(hash, lease)) {
                    LOG.warn("An in-flight claim lapsed before it was renewed (this instance was paused or cut off "
                             + "from PostgreSQL for longer than its lease {}); another instance may route that change "
                             + "too", lease);
                }
            } catch (RuntimeException e) {
                // the next round tries again; the lease leaves room for two missed renewals
                LOG.warn("Could not renew an in-flight claim: {}", e.getMessage());
            }
        });
    }

    private void purgeOnSchedule() {
        try {
            int deleted = purge();
            LOG.debug("Purged {} dedup keys older than {}", deleted, retention);
        } catch (RuntimeException e) {
            // the next round tries again; an exception would end the schedule
            LOG.warn("Could not purge old dedup keys from PostgreSQL: {}", e.getMessage());
        }
    }

    public String getHolderId() {
        return holderId;
    }

    public Duration getRetention() {
        return retention;
    }

    /** How long a delivered key is kept: longer than Graph's redeliveries (4 hours) and the backfill's overlap. */
    public void setRetention(Duration retention) {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        this.retention = retention;
    }

    public Duration getPurgeInterval() {
        return purgeInterval;
    }

    /** How often a started repository purges; zero for never (purge() stays callable). Read at start. */
    public void setPurgeInterval(Duration purgeInterval) {
        if (purgeInterval == null || purgeInterval.isNegative()) {
            throw new IllegalArgumentException("purgeInterval must be zero or positive, got " + purgeInterval);
        }
        this.purgeInterval = purgeInterval;
    }

    public Duration getClaimRenewalInterval() {
        return claimRenewalInterval;
    }

    /** How often a started repository renews the claims it holds. Read at start. */
    public void setClaimRenewalInterval(Duration claimRenewalInterval) {
        if (claimRenewalInterval == null || claimRenewalInterval.isNegative() || claimRenewalInterval.isZero()) {
            throw new IllegalArgumentException("claimRenewalInterval must be positive, got " + claimRenewalInterval);
        }
        this.claimRenewalInterval = claimRenewalInterval;
    }

    /** The stored form of a key: SHA-256 of its UTF-8 bytes, lower-case hex. */
    static String keyHash(String key) {
        if (key == null) {
            throw new IllegalArgumentException("A dedup key must not be null");
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static DataSource required(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("PostgresIdempotentRepository needs a DataSource of the shared "
                                               + "PostgreSQL");
        }
        return dataSource;
    }

    private static String requiredText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
