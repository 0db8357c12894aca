package io.camelgraphteams.routes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.spi.PropertiesComponent;

/**
 * This process's name among the instances sharing one PostgreSQL: the holder in {@code graph_teams_cluster_lease} and
 * on the in-flight claims of {@code graph_teams_dedup_claim}. {@code graph.cluster.member-id} when set; otherwise
 * {@code <hostname>-<pid>-<6 random hex>}, which an operator can trace to a pod (the hostname is the pod's name in
 * Kubernetes) and to a process, and which a restarted process on the same host does not share with its predecessor.
 */
final class ClusterMemberId {

    // both holder columns take 255 characters (graph_teams_dedup_claim.holder is varchar(255))
    static final int MAX_LENGTH = 255;
    private static final int MAX_HOST_NAME_LENGTH = 200;

    private ClusterMemberId() {
    }

    static String resolve(PropertiesComponent properties) {
        Optional<String> configured = properties.resolveProperty(GraphSettings.CLUSTER_MEMBER_ID).map(String::trim)
                .filter(value -> !value.isEmpty());
        if (configured.isPresent()) {
            if (configured.get().length() > MAX_LENGTH) {
                throw new IllegalArgumentException(GraphSettings.CLUSTER_MEMBER_ID + " (env "
                                                   + GraphSettings.environmentVariable(GraphSettings.CLUSTER_MEMBER_ID)
                                                   + ") is " + configured.get().length() + " characters long: the "
                                                   + "lease and claim tables take at most " + MAX_LENGTH);
            }
            return configured.get();
        }
        return generate(hostName(), ProcessHandle.current().pid());
    }

    static String generate(String hostName, long pid) {
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        String host = hostName.length() > MAX_HOST_NAME_LENGTH ? hostName.substring(0, MAX_HOST_NAME_LENGTH) : hostName;
        return host + "-" + pid + "-" + HexFormat.of().formatHex(suffix);
    }

    /** The machine's name; in a pod, the pod's name. HOSTNAME when the JVM cannot tell (no resolvable local host). */
    static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (UnknownHostException e) {
            // the name is in the exception's message only; the environment has it too
        }
        String fromEnvironment = System.getenv("HOSTNAME");
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment.trim() : "unknown-host";
    }
}
