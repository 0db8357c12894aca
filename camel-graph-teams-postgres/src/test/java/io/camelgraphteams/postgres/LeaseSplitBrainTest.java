package io.camelgraphteams.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.postgres.LeaseMembers.millisUntil;
import static io.camelgraphteams.postgres.LeaseMembers.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A leader in a JVM of its own, paused with SIGSTOP past its lease while another member takes over, then resumed: it
 * must not act as the leader again without winning a new lease. Judged by the rows its "leader's writes" leave.
 */
class LeaseSplitBrainTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration PERIOD = LEASE.dividedBy(3);
    private static final Duration SLACK = Duration.ofMillis(1500);
    /** A JVM starting on a 2-core machine that two other builds share. */
    private static final Duration CHILD_START = Duration.ofSeconds(30);

    private static EmbeddedPostgres postgres;
    private static DataSource database;

    private final LeaseMembers members = new LeaseMembers();
    private final BlockingQueue<String> childLines = new LinkedBlockingQueue<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private Process child;
    private Thread killChildOnExit;
    private Writer childInput;

    @BeforeAll
    static void database() throws Exception {
        postgres = LeaseDatabase.shared();
        database = postgres.getPostgresDatabase();
        LeaseDatabase.execute(database, "CREATE TABLE IF NOT EXISTS split_brain_writes"
                                        + " (member TEXT NOT NULL, epoch BIGINT NOT NULL, written_at TIMESTAMPTZ NOT NULL)");
    }

    @AfterEach
    void killChild() throws InterruptedException {
        members.close();
        if (child != null) {
            Runtime.getRuntime().removeShutdownHook(killChildOnExit);
            // SIGKILL ends a stopped process too
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child JVM killed").isTrue();
        }
    }

    @Test
    void aLeaderPausedPastItsLeaseDoesNotWriteAfterItResumes() throws Exception {
        startChild("paused-leader", "split-brain");
        awaitLine("LEADING true"::equals, CHILD_START, "the child's leadership");
        long childEpoch = wrote(command("write"));

        PostgresLeaseClusterView taker = view(members.start("taking-over", database, LEASE), "split-brain");
        // while the child renews, the lease is not up for grabs
        Thread.sleep(PERIOD.multipliedBy(2).plusMillis(200).toMillis());
        assertThat(taker.isLeading()).isFalse();

        signal("STOP");
        long takeover = millisUntil(taker::isLeading, LEASE.plus(PERIOD).plus(SLACK), "the takeover from the paused child");
        OffsetDateTime takenOver = LeaseDatabase.now(database);
        long takerEpoch = taker.getEpoch().orElseThrow();
        System.out.printf("lease takeover from a leader paused with SIGSTOP: %d ms (lease %d ms)%n", takeover,
                LEASE.toMillis());
        assertThat(takerEpoch).isGreaterThan(childEpoch);

        // a write already waiting when it resumes: its loop goes on where the pause caught it
        send("write");
        int resumed = heard.size();
        signal("CONT");
        String outcome = awaitLine(this::isOutcome, Duration.ofSeconds(10), "the resumed child's write");
        assertThat(outcome).as("the resumed child's write").startsWith("REFUSED ");
        // a snapshot: a sub-list of the live list fails when the child's next line arrives while it is read
        LeaseMembers.millisUntil(() -> {
            List<String> lines = List.copyOf(heard);
            return lines.subList(resumed, lines.size()).contains("LEADING false");
        }, Duration.ofSeconds(5), "the resumed child learning it lost the lease");
        assertThat(LeaseDatabase.count(database, "SELECT count(*) FROM split_brain_writes WHERE member = 'paused-leader'"
                                                 + " AND written_at > '" + takenOver + "'"))
                .as("rows the child wrote after the takeover")
                .isZero();
        assertThat(command("write")).as("a write while the new leader holds the lease").startsWith("REFUSED ");

        // only a new lease makes it a leader again: the other member gives its lease back
        members.close();
        awaitLine("LEADING true"::equals, LEASE.plus(SLACK), "the child's new lease");
        long newEpoch = wrote(command("write"));
        assertThat(newEpoch).isGreaterThan(takerEpoch);
        assertThat(LeaseDatabase.count(database, "SELECT count(*) FROM split_brain_writes WHERE member = 'paused-leader'"))
                .as("the child's writes: one before the pause, one after its new lease")
                .isEqualTo(2);
        assertThat(LeaseDatabase.count(database, "SELECT count(*) FROM split_brain_writes WHERE member = 'paused-leader'"
                                                 + " AND epoch = " + childEpoch + " AND written_at > '" + takenOver + "'"))
                .isZero();
    }

    @Test
    void aKilledLeaderIsReplacedWithinTheLease() throws Exception {
        startChild("killed-leader", "killed");
        awaitLine("LEADING true"::equals, CHILD_START, "the child's leadership");
        PostgresLeaseClusterView taker = view(members.start("successor", database, LEASE), "killed");
        LeaseMembers.millisUntil(() -> taker.getLeader().isPresent(), LEASE, "the follower naming the child as leader");
        assertThat(taker.getLeader().orElseThrow().getId()).isEqualTo("killed-leader");

        signal("KILL");
        long takeover = millisUntil(taker::isLeading, LEASE.plus(PERIOD).plus(SLACK), "the takeover from the killed child");
        System.out.printf("lease takeover from a leader killed with SIGKILL: %d ms (lease %d ms, bound %d ms)%n",
                takeover, LEASE.toMillis(), LEASE.plus(PERIOD).toMillis());
        assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    private void startChild(String member, String namespace) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Dlease.log=split-brain-" + member,
                "-cp", classPath, SplitBrainLeaseHolder.class.getName(),
                postgres.getJdbcUrl("postgres", "postgres"), namespace, member, String.valueOf(LEASE.toMillis()));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "split-brain-" + member + ".err").toFile()));
        child = builder.start();
        // a child paused with SIGSTOP would not even see its stdin close if this JVM were ended mid-test
        Process started = child;
        killChildOnExit = new Thread(started::destroyForcibly, "kill-split-brain-child");
        Runtime.getRuntime().addShutdownHook(killChildOnExit);
        childInput = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    heard.add(line);
                    childLines.add(line);
                }
            } catch (IOException e) {
                // the child was killed
            }
        }, "split-brain-child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    private void send(String line) throws IOException {
        childInput.write(line + "\n");
        childInput.flush();
    }

    private String command(String line) throws Exception {
        send(line);
        return awaitLine(this::isOutcome, Duration.ofSeconds(10), "the answer to " + line);
    }

    private boolean isOutcome(String line) {
        return line.startsWith("WROTE ") || line.startsWith("REFUSED ") || line.startsWith("FAILED ");
    }

    private static long wrote(String outcome) {
        assertThat(outcome).startsWith("WROTE ");
        return Long.parseLong(outcome.substring("WROTE ".length()));
    }

    /** The next line of the child's that matches, skipping others (all are kept in {@link #heard}). */
    private String awaitLine(Predicate<String> wanted, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            String line = childLines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail(what + ": nothing within " + timeout.toMillis() + " ms; the child said " + heard);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(child.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new UncheckedIOException(new IOException("kill -" + name + " " + child.pid() + " failed"));
        }
    }
}
