package io.camelgraphteams.routes;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.postgres.PostgresIdempotentRepository;
import io.camelgraphteams.postgres.PostgresStateRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * graph.storage=postgres: the routes app keeps its dedup keys, backfill state and the subscriptions' leadership on a
 * real PostgreSQL (started inside the test), creating the tables it needs.
 */
class PostgresStorageTest {

    static EmbeddedPostgres postgres;
    static JdbcTemplate sql;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        sql = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void dedupKeysStateAndLeadershipGoToThePostgresEveryInstanceShares(@TempDir Path messages) throws Exception {
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
            application.main().addOverrideProperty("messages.dir", messages.toString());
            application.main().addOverrideProperty("demo.traffic.period", "200");
            application.main().addOverrideProperty("graph.storage", "postgres");
            application.main().addOverrideProperty("graph.postgres.url", postgres.getJdbcUrl("postgres", "postgres"));
            application.main().addOverrideProperty("graph.cluster.lease", "3000");
            application.main().start();

            application.main().getCamelContext().getEndpoints().stream()
                    .filter(GraphTeamsEndpoint.class::isInstance).map(GraphTeamsEndpoint.class::cast)
                    .forEach(endpoint -> {
                        assertThat(endpoint.getConfiguration().getIdempotentRepository())
                                .isInstanceOf(PostgresIdempotentRepository.class);
                        assertThat(endpoint.getConfiguration().getStateRepository())
                                .isInstanceOf(PostgresStateRepository.class);
                    });
            // the one instance leads every route's namespace, by a lease row, and manages the subscriptions
            await().atMost(Duration.ofSeconds(30)).until(() -> application.main().getCamelContext().getRoutes().stream()
                    .map(Route::getConsumer).filter(GraphTeamsConsumer.class::isInstance)
                    .map(GraphTeamsConsumer.class::cast)
                    .allMatch(c -> c.getSubscriptionStatus() != null && c.getSubscriptionStatus().managing()
                                   && c.getSubscriptionStatus().subscriptionId() != null));
            assertThat(sql.queryForObject("SELECT count(*) FROM graph_teams_cluster_lease WHERE expires_at > now()",
                    Long.class)).isPositive();
            // held under a name an operator traces to this host and process
            assertThat(sql.queryForList("SELECT holder FROM graph_teams_cluster_lease WHERE expires_at > now()",
                    String.class)).allSatisfy(holder -> assertThat(holder)
                    .matches(Pattern.quote(ClusterMemberId.hostName()) + "-" + ProcessHandle.current().pid()
                             + "-[0-9a-f]{6}"));
            // delivered changes and watermarks are in the shared tables
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.queryForObject(
                    "SELECT count(*) FROM graph_teams_dedup_key", Long.class) > 0
                                                               && sql.queryForObject(
                    "SELECT count(*) FROM graph_teams_state WHERE state_key LIKE '%.watermark.%'", Long.class) > 0);
        }
    }

    @Test
    void withoutAJdbcUrlTheStartNamesTheSetting(@TempDir Path messages) throws Exception {
        try (GraphTeamsRoutesApplication application = new GraphTeamsRoutesApplication()) {
            application.main().addOverrideProperty("http.port", Integer.toString(freePort()));
            application.main().addOverrideProperty("messages.dir", messages.toString());
            application.main().addOverrideProperty("graph.storage", "postgres");
            assertThatThrownBy(() -> application.main().start()).hasStackTraceContaining(
                    "graph.storage=postgres needs graph.postgres.url (env GRAPH_POSTGRES_URL)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
