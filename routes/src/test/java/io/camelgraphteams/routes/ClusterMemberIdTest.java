package io.camelgraphteams.routes;

import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The name each instance holds the lease and its in-flight claims under (graph.cluster.member-id). */
class ClusterMemberIdTest {

    @Test
    void byDefaultTheNameIsTheHostTheProcessAndSixRandomHexDigits() {
        String id = ClusterMemberId.resolve(properties(null));

        assertThat(id).matches(Pattern.quote(ClusterMemberId.hostName()) + "-"
                               + ProcessHandle.current().pid() + "-[0-9a-f]{6}");
    }

    @Test
    void twoProcessesOnOneHostWithTheSamePidStillDiffer() {
        // a restarted container often gets its predecessor's pid (1): the random part tells the two apart
        assertThat(ClusterMemberId.generate("graph-teams-7d9f-abcde", 1))
                .startsWith("graph-teams-7d9f-abcde-1-")
                .isNotEqualTo(ClusterMemberId.generate("graph-teams-7d9f-abcde", 1));
    }

    @Test
    void theSettingOverridesTheGeneratedName() {
        assertThat(ClusterMemberId.resolve(properties(" receiver-a "))).isEqualTo("receiver-a");
    }

    @Test
    void aNameLongerThanTheHolderColumnsIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ClusterMemberId.resolve(properties("x".repeat(256))))
                .hasMessageContaining("graph.cluster.member-id (env GRAPH_CLUSTER_MEMBER_ID) is 256 characters long");
    }

    private static PropertiesComponent properties(String memberId) {
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        if (memberId != null) {
            properties.addOverrideProperty(GraphSettings.CLUSTER_MEMBER_ID, memberId);
        }
        return properties;
    }
}
