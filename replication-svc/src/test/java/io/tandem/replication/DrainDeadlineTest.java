package io.tandem.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.replication.RecordingVolumeNode.Rpc;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The drain deadline counts from the claim, not from the step: a row whose owner died while it drained, and that is
 * resumed after its deadline passed, promotes at once instead of draining the whole timeout again. The drain timeout
 * here is an hour, so the only way the old row can finish within the test is that its deadline was already over.
 */
class DrainDeadlineTest extends TwoNodeHarnessTest {
    private static final String DEAD = "replication-dead";

    @Override
    protected Map<String, Object> settings() {
        Map<String, Object> settings = ReplicationHarness.fastFailover();
        settings.put("tandem.replication.drain-timeout", "1h");
        return settings;
    }

    @Test
    void aResumedRowWhoseDrainDeadlinePassedPromotesDespiteAnOperationStillInFlight() {
        long old = drainingWithAStuckOperation("old@fs", nodeA, "o1@fs", "2 hours");
        long fresh = drainingWithAStuckOperation("fresh@fs", nodeB, "f1@fs", "0 seconds");

        Failover done = harness.awaitFinal(old);
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(1, nodeA.seen(Rpc.FAILOVER).size(), "promoted although the operation was still in flight");

        // Claimed just now, it waits for its operation (up to the hour): resumed too, but still draining.
        harness.awaitPhase(fresh, FailoverPhase.FAILOVER_PHASE_DRAINING);
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_DRAINING, harness.failover(fresh).getPhase());
        assertEquals(0, nodeB.seen(Rpc.FAILOVER).size());
    }

    /** A cluster claimed {@code ago} by a dead instance, draining behind a workers row nobody will finish. */
    private long drainingWithAStuckOperation(String cluster, RecordingVolumeNode node, String host, String ago) {
        harness.replicatedCluster(cluster, List.of("b1"), host);
        harness.sql("UPDATE clusters SET replication_status = 'failing-over' WHERE name = ?", cluster);
        harness.sql("UPDATE services SET replication_status = 'failing-over' WHERE cluster_name = ?", cluster);
        harness.member(node, host, cluster, 0);
        harness.workersRow(harness.reloadService(host, "volume").id(), "extending");
        return harness.value(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " requested_by, request_id, previous_status, claim_epoch, claimed_at) VALUES ('failover',"
                        + " 'cluster', ?, 'default', 'b1', 'draining', ?, 'bob', 'req-0', 'enabled', 0,"
                        + " now() - CAST(? AS interval)) RETURNING id",
                r -> r.getLong(1),
                cluster,
                DEAD,
                ago);
    }
}
