package io.tandem.replication;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the failover, resume and freeze tests share: one replication-svc context with fast failover settings on its
 * own database, and two recording volume nodes, all reset before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoNodeHarnessTest {
    protected ReplicationHarness harness;
    protected RecordingVolumeNode nodeA;
    protected RecordingVolumeNode nodeB;

    @BeforeAll
    void startHarnessAndNodes() {
        harness = ReplicationHarness.start(getClass(), settings());
        nodeA = RecordingVolumeNode.start();
        nodeB = RecordingVolumeNode.start();
    }

    /** The replication-svc settings of the harness; the fast failover settings unless a test needs others. */
    protected Map<String, Object> settings() {
        return ReplicationHarness.fastFailover();
    }

    @AfterAll
    void stopHarnessAndNodes() {
        nodeA.close();
        nodeB.close();
        harness.close();
    }

    @BeforeEach
    void resetHarnessAndNodes() {
        nodeA.reset();
        nodeB.reset();
        harness.reset();
    }
}
