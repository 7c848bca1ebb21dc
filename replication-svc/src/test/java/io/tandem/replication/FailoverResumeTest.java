package io.tandem.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.membership.EpochRecord;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.Registration;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceFailoverRequest;
import io.tandem.replication.RecordingVolumeNode.Rpc;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Step 6, resume: an unfinished journal row whose owner is gone (or is this instance, restarted) is taken over by
 * compare-and-swap and finished from its phase, repeating no step that already took effect. Rows are left behind in
 * two ways: written as a crashed owner leaves them, and by really stopping an instance mid-phase while a scripted
 * node holds the call.
 */
class FailoverResumeTest extends TwoNodeHarnessTest {
    private static final String DEAD = "replication-dead";

    /**
     * Cluster {@code cluster} with members m1 (node A) and m2 (node B) up at epoch 0, claimed by a dead instance:
     * failing-over since the claim, with the journal row in {@code phase}.
     */
    private long claimedByADeadOwner(String cluster, String phase, String promoter) {
        harness.replicatedCluster(cluster, List.of("b1"), "m1@fs", "m2@fs");
        harness.sql("UPDATE clusters SET replication_status = 'failing-over' WHERE name = ?", cluster);
        harness.sql("UPDATE services SET replication_status = 'failing-over' WHERE cluster_name = ?", cluster);
        harness.member(nodeA, "m1@fs", cluster, 0);
        harness.member(nodeB, "m2@fs", cluster, 0);
        return harness.value(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " requested_by, request_id, previous_status, claim_epoch, promoter_host)"
                        + " VALUES ('failover', 'cluster', ?, 'default', 'b1', ?, ?, 'bob', 'req-0', 'enabled', 0, ?)"
                        + " RETURNING id",
                r -> r.getLong(1),
                cluster,
                phase,
                DEAD,
                promoter);
    }

    private int promotes() {
        return nodeA.seen(Rpc.FAILOVER).size() + nodeB.seen(Rpc.FAILOVER).size();
    }

    @ParameterizedTest
    @ValueSource(strings = {"claimed", "draining", "promoting"})
    void aRowLeftBeforeTheCommitByADeadOwnerIsFinishedByThisInstance(String phase) {
        long id = claimedByADeadOwner("r-" + phase + "@fs", phase, phase.equals("promoting") ? "m2@fs" : null);

        Failover done = harness.awaitFinal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals("bob", done.getRequestedBy(), "the row is resumed, not replaced");
        assertEquals(1, promotes());
        if (phase.equals("promoting")) {
            assertEquals(1, nodeB.seen(Rpc.FAILOVER).size(), "the member asked before the crash is asked first");
        }
        assertEquals("failed-over", harness.reloadCluster("r-" + phase + "@fs").replicationStatus());
        assertEquals(1, harness.reloadCluster("r-" + phase + "@fs").epoch());
        assertTrue(done.getMembersList().stream().allMatch(m -> m.getAckedEpoch() == 1));
    }

    @Test
    void aRowLeftAfterTheCommitIsCompletedWithoutPromotingAgainOrRepeatingAcknowledgements() {
        String cluster = "r-completing@fs";
        long id = claimedByADeadOwner(cluster, "promoting", "m1@fs");
        // What the dead owner committed: failed-over to b1 at epoch 1; m1 acknowledged, m2 was not told yet.
        harness.sql("UPDATE clusters SET replication_status = 'failed-over', active_backend_id = 'b1', epoch = 1");
        harness.sql("UPDATE services SET replication_status = 'failed-over', active_backend_id = 'b1', epoch = 1");
        harness.sql(
                "UPDATE failovers SET phase = 'completing', epoch = 1, promoted_at = now(), committed_at = now()"
                        + " WHERE id = ?",
                id);
        harness.sql(
                "INSERT INTO failover_members (failover_id, host, acked_epoch, acked_at, attempts)"
                        + " VALUES (?, 'm1@fs', 1, now(), 1), (?, 'm2@fs', NULL, NULL, 0)",
                id,
                id);

        Failover done = harness.awaitFinal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(0, promotes(), "a committed failover is never promoted again");
        assertEquals(List.of(), nodeA.seen(Rpc.FAILOVER_COMPLETED), "m1 had acknowledged already");
        List<VolumeServiceFailoverCompletedRequest> told = nodeB.requests(Rpc.FAILOVER_COMPLETED);
        assertEquals(1, told.size());
        assertEquals(1, told.get(0).getEpoch());
        assertEquals("b1", told.get(0).getActiveBackendId());
        assertEquals(
                new EpochRecord(1, "b1"), harness.etcd().epochs().read(cluster).orElseThrow(), "written again");
        FailoverMember m1 = done.getMembersList().get(0);
        assertEquals(List.of("m1@fs", 1L, 1), List.of(m1.getHost(), m1.getAckedEpoch(), m1.getAttempts()));
        assertEquals(1, done.getMembersList().get(1).getAckedEpoch());
    }

    @Test
    void aRowWhoseOwnerIsAliveIsLeftToItUntilItDies() {
        Registration other = harness.serviceUp("replication", "replication-other");
        long alive = claimedByADeadOwner("r-alive@fs", "claimed", null);
        harness.sql("UPDATE failovers SET owner = 'replication-other' WHERE id = ?", alive);
        harness.replicatedCluster("r-dead@fs", List.of("b1"));
        harness.sql("UPDATE clusters SET replication_status = 'failing-over' WHERE name = 'r-dead@fs'");
        long dead = harness.value(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " previous_status, claim_epoch) VALUES ('failover', 'cluster', 'r-dead@fs', 'default', 'b1',"
                        + " 'claimed', ?, 'enabled', 0) RETURNING id",
                r -> r.getLong(1),
                DEAD);

        // The dead owner's row is resumed (it has no live member, so it fails: what matters is who drove it) ...
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_FAILED, harness.awaitFinal(dead).getPhase());
        // ... in the same scans that left the live owner's row alone.
        Failover untouched = harness.failover(alive);
        assertEquals(FailoverPhase.FAILOVER_PHASE_CLAIMED, untouched.getPhase());
        assertEquals("replication-other", untouched.getOwner());

        other.close();
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_COMPLETED,
                harness.awaitFinal(alive).getPhase());
    }

    /**
     * Real instances on a database of their own: the owner is stopped while the node holds its promote, and the other
     * instance takes the row over and finishes it; then that owner is stopped while a member holds FailoverCompleted
     * (after the commit), and restarts under the same name: it resumes its own row without promoting again.
     */
    @Test
    void anInstanceStoppedMidPhaseIsTakenOverAndARestartedOneResumesItsOwnRow() {
        ReplicationHarness first =
                ReplicationHarness.start(FailoverResumeTest.class, ReplicationHarness.fastFailover());
        ReplicationHarness second = first.startPeer("replication-2", ReplicationHarness.fastFailover());
        ReplicationHarness restarted = null;
        try (EtcdMembership members = first.newEtcdClient()) {
            first.replicatedCluster("live@fs", List.of("b1"), "m1@fs", "m2@fs");
            nodeA.serve(register(members, "m1@fs", "live@fs", nodeA));
            nodeB.serve(register(members, "m2@fs", "live@fs", nodeB));
            nodeA.hold(Rpc.FAILOVER);
            nodeB.hold(Rpc.FAILOVER);

            long id = first.stub()
                    .failover(FailoverRequest.newBuilder()
                            .setCluster("live@fs")
                            .setBackendId("b1")
                            .build())
                    .getFailoverId();
            Eventually.await(Duration.ofSeconds(10), "the promote to reach a member", () -> promotes() == 1);
            first.close(); // its row is left in promoting, owned by replication-test, whose lease is revoked

            Eventually.await(Duration.ofSeconds(10), "replication-2 to take the row over", () -> promotes() == 2);
            nodeA.release(Rpc.FAILOVER);
            nodeB.release(Rpc.FAILOVER);
            Failover done = second.awaitFinal(id);
            assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
            List<VolumeServiceFailoverRequest> asked = List.of(nodeA, nodeB).stream()
                    .flatMap(n -> n.<VolumeServiceFailoverRequest>requests(Rpc.FAILOVER).stream())
                    .toList();
            assertTrue(asked.stream().allMatch(r -> r.getFailoverId() == id), "the same journal id both times");
            assertEquals(1L, second.transitions().phaseCounts().get("promoting->completing"), "committed by 2");
            assertEquals(1, second.reloadCluster("live@fs").epoch(), "committed once");

            // The failback's owner stops while m2 holds FailoverCompleted (after the commit).
            nodeB.hold(Rpc.FAILOVER_COMPLETED);
            long back = second.stub()
                    .failover(FailoverRequest.newBuilder()
                            .setCluster("live@fs")
                            .setBackendId("default")
                            .build())
                    .getFailoverId();
            Eventually.await(
                    Duration.ofSeconds(10),
                    "m2 to be told",
                    () -> nodeB.seen(Rpc.FAILOVER_COMPLETED).size() == 2);
            assertEquals(
                    FailoverPhase.FAILOVER_PHASE_COMPLETING,
                    second.failover(back).getPhase());
            second.close();
            restarted = first.startPeer("replication-2", ReplicationHarness.fastFailover());
            nodeB.release(Rpc.FAILOVER_COMPLETED);

            Failover backDone = restarted.awaitFinal(back);
            assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, backDone.getPhase(), backDone.getError());
            assertEquals(1L, restarted.transitions().phaseCounts().get("completing->completed"), "resumed by itself");
            assertEquals(3, promotes(), "the failback was promoted once: the resumed row did not promote again");
            assertEquals(2, restarted.reloadCluster("live@fs").epoch());
            assertTrue(backDone.getMembersList().stream().allMatch(m -> m.getAckedEpoch() == 2));
        } finally {
            first.close();
            second.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    private static Registration register(EtcdMembership etcd, String host, String cluster, RecordingVolumeNode node) {
        return etcd.registerMember(
                new MemberInfo(host, cluster, "fs", node.address(), null, 0, Instant.now()), (r, reason) -> {});
    }
}
