package io.camelgraphteams.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.camelgraphteams.component.cluster.FencedLeadership;
import io.camelgraphteams.component.cluster.LostLeadershipException;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Camel cluster service whose leadership of each namespace is a lease row in PostgreSQL
 * ({@code graph_teams_cluster_lease}, see lease.sql): taken when absent or expired, renewed by its holder every third
 * of {@link #setLeaseDuration(Duration) leaseDuration}, expiry judged by the database's clock only, and a fencing epoch
 * that {@link #checkLeading(String)} confirms against the table right before a leader's write. Not an advisory lock:
 * a paused process keeps its session, and would keep such a lock, while its lease runs out.
 * <p>
 * Add it to the CamelContext ({@code context.addService(new PostgresLeaseClusterService(dataSource))}); a graph-teams
 * consumer then leads its namespace only while this service's view says so.
 */
public class PostgresLeaseClusterService extends AbstractCamelClusterService<PostgresLeaseClusterView>
        implements FencedLeadership {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeaseClusterService.class);

    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);

    /** A renewal every third of the lease must fit a round trip to PostgreSQL with room to spare. */
    public static final Duration MINIMUM_LEASE_DURATION = Duration.ofSeconds(1);

    private final DataSource dataSource;
    // the base class keeps its views to itself; checkLeading needs to find a namespace's view
    private final Map<String, PostgresLeaseClusterView> leaseViews = new ConcurrentHashMap<>();
    private volatile String memberId = UUID.randomUUID().toString();
    private volatile Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private volatile boolean createSchema = true;
    private volatile LeaseTable leaseTable;

    public PostgresLeaseClusterService(DataSource dataSource) {
        super("graph-teams-postgres-lease");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    public String getMemberId() {
        return memberId;
    }

    /** This instance's name in the lease table; unique per running instance (default: a random UUID). */
    public void setMemberId(String memberId) {
        requireNotStarted("memberId");
        this.memberId = memberId;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    /**
     * How long a lease lasts unless renewed (default 15 s): the bound on how long a namespace stays leaderless after
     * its leader died without releasing it (plus up to a third of it until a follower asks again).
     */
    public void setLeaseDuration(Duration leaseDuration) {
        requireNotStarted("leaseDuration");
        this.leaseDuration = leaseDuration;
    }

    public boolean isCreateSchema() {
        return createSchema;
    }

    /** Whether to create the lease table if absent (default true); off when the schema is managed by a script. */
    public void setCreateSchema(boolean createSchema) {
        requireNotStarted("createSchema");
        this.createSchema = createSchema;
    }

    /**
     * Asks PostgreSQL, in one statement, whether this member holds the namespace's lease at the epoch it was granted,
     * unexpired by the database's clock.
     *
     * @throws LostLeadershipException when it does not, when this member never campaigned for the namespace, or when
     *                                 the database cannot be asked
     */
    @Override
    public void checkLeading(String namespace) throws LostLeadershipException {
        PostgresLeaseClusterView view = leaseViews.get(namespace);
        if (view == null) {
            throw new LostLeadershipException("member " + memberId + " has no view of cluster namespace " + namespace
                                              + ": nothing on this instance asked to lead it");
        }
        view.checkLeading();
    }

    @Override
    protected PostgresLeaseClusterView createView(String namespace) {
        PostgresLeaseClusterView view = new PostgresLeaseClusterView(this, namespace);
        leaseViews.put(namespace, view);
        return view;
    }

    @Override
    protected void doStart() throws Exception {
        if (memberId == null || memberId.isBlank()) {
            throw new IllegalArgumentException("memberId must not be blank: it names this instance in the lease table "
                                               + "(leave it unset for a random UUID)");
        }
        if (leaseDuration == null || leaseDuration.compareTo(MINIMUM_LEASE_DURATION) < 0) {
            throw new IllegalArgumentException("leaseDuration must be at least " + MINIMUM_LEASE_DURATION.toMillis()
                                               + " ms (was " + leaseDuration + "): the leader renews every third "
                                               + "of it, and each renewal is a round trip to PostgreSQL");
        }
        LeaseTable table = new LeaseTable(dataSource, leaseDuration, createSchema);
        try {
            table.createIfAbsent();
        } catch (SQLException e) {
            // PostgreSQL down at start must not fail the application: every campaign tries again first
            LOG.warn("Cannot create table {} now ({}); each campaign for leadership tries again", LeaseTable.TABLE,
                    e.getMessage());
        }
        leaseTable = table;
        LOG.info("Member {} campaigns for cluster namespaces through PostgreSQL (lease {} ms, renewed every {} ms)",
                memberId, leaseDuration.toMillis(), leaseDuration.toMillis() / 3);
        super.doStart();
    }

    LeaseTable leaseTable() {
        LeaseTable table = leaseTable;
        if (table == null) {
            throw new IllegalStateException("the cluster service " + getId() + " is not started");
        }
        return table;
    }

    private void requireNotStarted(String option) {
        // views take the options when created and started
        if (isStarting() || isStarted() || !leaseViews.isEmpty()) {
            throw new IllegalStateException(option + " can only be set before the cluster service starts and before "
                                            + "anything asks it for a view");
        }
    }
}
