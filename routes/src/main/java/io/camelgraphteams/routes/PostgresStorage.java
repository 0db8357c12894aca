package io.camelgraphteams.routes;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.camelgraphteams.postgres.PostgresIdempotentRepository;
import io.camelgraphteams.postgres.PostgresLeaseClusterService;
import io.camelgraphteams.postgres.PostgresStateRepository;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * graph.storage=postgres: the instances of the application share one PostgreSQL for the dedup keys and the claims on
 * the changes in flight, the backfill state and the lifecycle events followers receive, and the leadership of the
 * subscriptions (a lease judged by the database's clock, checked before every Graph write). The tables are created if
 * absent (camel-graph-teams-postgres' store.sql and lease.sql).
 */
final class PostgresStorage {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);
    // a database that does not answer must not hold a batch past Graph's patience: the answer deadline answers 503
    // anyway, and these keep the worker threads from waiting much longer than that
    private static final long CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int SOCKET_TIMEOUT_SECONDS = 10;

    private PostgresStorage() {
    }

    static void configure(CamelContext context, PropertiesComponent properties) {
        String url = required(properties, GraphSettings.POSTGRES_URL);
        String memberId = ClusterMemberId.resolve(properties);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        properties.resolveProperty(GraphSettings.POSTGRES_USER).ifPresent(pool::setUsername);
        properties.resolveProperty(GraphSettings.POSTGRES_PASSWORD).ifPresent(pool::setPassword);
        pool.setPoolName("graph-teams-postgres");
        pool.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        pool.addDataSourceProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        // the pool starts even while the database is down: the instance then answers 503 and is not ready
        pool.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(pool);
        Duration lease = Duration.ofMillis(Long.parseLong(properties.resolveProperty(GraphSettings.CLUSTER_LEASE)
                .orElse("15000").trim()));
        try {
            // added first, so stopped last: the lease is released and the last state written before the pool closes
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    dataSource.close();
                }
            }, true, false);
            PostgresIdempotentRepository dedup = new PostgresIdempotentRepository(dataSource, "graph-teams",
                    memberId);
            PostgresStateRepository state = new PostgresStateRepository(dataSource);
            PostgresLeaseClusterService cluster = new PostgresLeaseClusterService(dataSource);
            cluster.setLeaseDuration(lease);
            // the same name on the lease and on the claims: an operator follows one process through both tables
            cluster.setMemberId(memberId);
            context.addService(dedup, true, true);
            context.addService(state, true, true);
            context.addService(cluster, true, true);
            context.getRegistry().bind(GraphModeConfigurer.IDEMPOTENT_REPOSITORY_BEAN, dedup);
            context.getRegistry().bind(GraphModeConfigurer.STATE_REPOSITORY_BEAN, state);
        } catch (Exception e) {
            dataSource.close();
            throw new IllegalStateException("Could not set up " + GraphSettings.STORAGE + "=postgres on "
                                            + withoutQuery(url) + ": " + e.getMessage(), e);
        }
        LOG.info("Dedup keys, backfill state and the subscriptions' leadership (lease {} ms) are shared on {}, this "
                 + "instance as member {}", lease.toMillis(), withoutQuery(url), memberId);
    }

    private static String required(PropertiesComponent properties, String property) {
        return properties.resolveProperty(property).filter(value -> !value.isBlank()).map(String::trim)
                .orElseThrow(() -> new IllegalArgumentException(GraphSettings.STORAGE + "=postgres needs " + property
                                                                + " (env " + GraphSettings.environmentVariable(property)
                                                                + "), e.g. jdbc:postgresql://db:5432/graphteams"));
    }

    /** A JDBC URL for the log: its query string may carry a password. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }
}
