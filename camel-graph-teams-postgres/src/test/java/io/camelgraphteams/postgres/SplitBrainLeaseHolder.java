package io.camelgraphteams.postgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;

import io.camelgraphteams.component.cluster.LostLeadershipException;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The leader of {@link LeaseSplitBrainTest}, in a JVM of its own so the test can pause it with SIGSTOP. It campaigns
 * for a namespace, reports each leadership change on stdout, and makes one leader's write (a row in
 * split_brain_writes) for each "write" line on stdin, only after checkLeading passed. It stops at "exit" or when
 * stdin closes, so it does not outlive a test JVM that died.
 * <p>
 * Arguments: JDBC URL, namespace, member id, lease in milliseconds.
 */
public final class SplitBrainLeaseHolder {

    private SplitBrainLeaseHolder() {
    }

    public static void main(String[] args) throws Exception {
        String namespace = args[1];
        String member = args[2];
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(args[0]);
        PostgresLeaseClusterService service = new PostgresLeaseClusterService(database);
        service.setMemberId(member);
        service.setLeaseDuration(Duration.ofMillis(Long.parseLong(args[3])));
        service.start();
        PostgresLeaseClusterView view = (PostgresLeaseClusterView) service.getView(namespace);
        view.addEventListener((CamelClusterEventListener.Leadership) (changed, leader) ->
                say("LEADING " + changed.getLocalMember().isLeader()));

        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null && !command.equals("exit");
             command = commands.readLine()) {
            if (command.equals("write")) {
                write(service, view, database, member);
            }
        }
        service.stop();
        System.exit(0);
    }

    private static void write(PostgresLeaseClusterService service, PostgresLeaseClusterView view,
                              PGSimpleDataSource database, String member) {
        // the epoch this member believes it holds goes into the row: the test looks for rows of a superseded one
        OptionalLong epoch = view.getEpoch();
        try {
            service.checkLeading(view.getNamespace());
        } catch (LostLeadershipException e) {
            say("REFUSED " + e.getMessage());
            return;
        }
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO split_brain_writes (member, epoch, written_at) VALUES (?, ?, now())")) {
            insert.setString(1, member);
            insert.setLong(2, epoch.orElse(-1));
            insert.executeUpdate();
            say("WROTE " + epoch.orElse(-1));
        } catch (SQLException e) {
            say("FAILED " + e.getMessage());
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
