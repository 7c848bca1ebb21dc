package io.tandem.replication;

import io.tandem.membership.Registration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the failover and promote protocol tests share: one replication-svc context with fast failover settings on its
 * own database, and cluster {@link #CLUSTER} of three recording volume nodes, all reset before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ThreeMemberClusterTest {
    protected static final String CLUSTER = "c1@fs";
    protected static final List<String> HOSTS = List.of("n1@fs", "n2@fs", "n3@fs");

    protected ReplicationHarness harness;
    protected List<RecordingVolumeNode> nodes;

    @BeforeAll
    void startHarnessAndNodes() {
        harness = ReplicationHarness.start(getClass(), ReplicationHarness.fastFailover());
        nodes = List.of(RecordingVolumeNode.start(), RecordingVolumeNode.start(), RecordingVolumeNode.start());
    }

    @AfterAll
    void stopHarnessAndNodes() {
        nodes.forEach(RecordingVolumeNode::close);
        harness.close();
    }

    @BeforeEach
    void resetHarnessAndNodes() {
        nodes.forEach(RecordingVolumeNode::reset);
        harness.reset();
    }

    /** The three members up at epoch 0 on the primary, targets b1 and b2. */
    protected List<Registration> threeMembers() {
        harness.replicatedCluster(CLUSTER, List.of("b1", "b2"), HOSTS.toArray(String[]::new));
        List<Registration> registrations = new ArrayList<>();
        for (int i = 0; i < HOSTS.size(); i++) {
            registrations.add(harness.member(nodes.get(i), HOSTS.get(i), CLUSTER, 0));
        }
        return registrations;
    }
}
