package io.tandem.replication;

import static io.tandem.replication.ReplicationHarness.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.membership.EpochRecord;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.Registration;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationRequest;
import io.tandem.replication.RecordingVolumeNode.Rpc;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resume of a promote: a row left unfinished by an owner that died is taken over and finished from its phase with the
 * targets stored in the row (they exist nowhere else until the commit), repeating no step that already took effect.
 * Rows are left behind as a crashed owner leaves them, and by really stopping an instance while a node holds the call.
 */
class PromoteResumeTest extends TwoNodeHarnessTest {
    private static final String DEAD = "replication-dead";
    private static final String NEW_TARGETS_JSON =
            "[{\"backend_id\": \"c9\", \"location\": \"/sites/c9\"}, {\"backend_id\": \"a\", \"location\": \"/sites/a\"}]";
    private static final List<ReplicationTarget> NEW_TARGETS = List.of(site("c9", "/sites/c9"), site("a", "/sites/a"));

    /**
     * Cluster {@code cluster}, failed over to b1 at epoch 1, with members m1 (node A) and m2 (node B) up at epoch 1,
     * claimed for a promote by a dead instance: updating since the claim, with the journal row in {@code phase}.
     */
    private long promoteClaimedByADeadOwner(String cluster, String phase, String promoter) {
        harness.replicatedCluster(cluster, List.of("b1"), "m1@fs", "m2@fs");
        harness.sql(
                "UPDATE clusters SET replication_status = 'updating', active_backend_id = 'b1', epoch = 1 WHERE name = ?",
                cluster);
        harness.sql(
                "UPDATE services SET replication_status = 'updating', active_backend_id = 'b1', epoch = 1"
                        + " WHERE cluster_name = ?",
                cluster);
        harness.member(nodeA, "m1@fs", cluster, 1);
        harness.member(nodeB, "m2@fs", cluster, 1);
        return harness.value(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " requested_by, request_id, previous_status, claim_epoch, promoter_host, new_targets)"
                        + " VALUES ('promote', 'cluster', ?, 'b1', 'default', ?, ?, 'bob', 'req-0', 'failed-over', 1,"
                        + " ?, CAST(? AS jsonb)) RETURNING id",
                r -> r.getLong(1),
                cluster,
                phase,
                DEAD,
                promoter,
                NEW_TARGETS_JSON);
    }

    private List<VolumeServiceUpdateHostReplicationRequest> updates() {
        return List.of(nodeA, nodeB).stream()
                .flatMap(n ->
                        n.<VolumeServiceUpdateHostReplicationRequest>requests(Rpc.UPDATE_HOST_REPLICATION).stream())
                .toList();
    }

    private void assertPromoted(ReplicationHarness on, String cluster, long epoch) {
        ClusterRow row = on.reloadCluster(cluster);
        assertEquals(List.of("enabled", epoch), List.of(row.replicationStatus(), row.epoch()));
        assertNull(row.activeBackendId());
        assertEquals(
                List.of("primary b1 /sites/b1/" + cluster, "target c9 /sites/c9", "target a /sites/a"),
                on.siteRows(cluster),
                "the stored targets were committed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"claimed", "draining", "promoting"})
    void aPromoteLeftBeforeTheCommitByADeadOwnerIsFinishedWithItsStoredTargets(String phase) {
        String cluster = "p-" + phase + "@fs";
        long id = promoteClaimedByADeadOwner(cluster, phase, phase.equals("promoting") ? "m2@fs" : null);

        Failover done = harness.awaitFinal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(FailoverKind.FAILOVER_KIND_PROMOTE, done.getKind());
        assertEquals("bob", done.getRequestedBy(), "the row is resumed, not replaced");
        assertEquals(
                NEW_TARGETS,
                done.getNewTargetsList().stream()
                        .map(t -> site(t.getBackendId(), t.getLocation()))
                        .toList());
        List<VolumeServiceUpdateHostReplicationRequest> asked = updates();
        assertEquals(1, asked.size());
        assertEquals(id, asked.get(0).getFailoverId());
        assertEquals(NEW_TARGETS, asked.get(0).getNewTargetsList(), "the targets survived the owner");
        assertEquals(1, asked.get(0).getExpectedEpoch());
        if (phase.equals("promoting")) {
            assertEquals(
                    1,
                    nodeB.seen(Rpc.UPDATE_HOST_REPLICATION).size(),
                    "the member asked before the crash is asked first");
        }
        assertPromoted(harness, cluster, 2);
        assertTrue(done.getMembersList().stream().allMatch(m -> m.getAckedEpoch() == 2));
    }

    @Test
    void aPromoteLeftAfterTheCommitIsCompletedWithoutUpdatingAgain() {
        String cluster = "p-completing@fs";
        // What the dead owner committed: enabled on the promoted site b1 at epoch 2, the sites replaced; m1
        // acknowledged, m2 was not told yet. The row and its members are inserted in one statement, so that the
        // resume scan never sees the row without them.
        harness.replicatedCluster(cluster, List.of("b1"), "m1@fs", "m2@fs");
        harness.sql("UPDATE clusters SET replication_status = 'enabled', active_backend_id = NULL, epoch = 2");
        harness.sql("UPDATE services SET replication_status = 'enabled', active_backend_id = NULL, epoch = 2");
        harness.sql("DELETE FROM replication_targets WHERE scope = ?", cluster);
        harness.sql(
                "INSERT INTO replication_targets (scope, backend_id, location, role) VALUES (?, 'b1', ?, 'primary'),"
                        + " (?, 'c9', '/sites/c9', 'target'), (?, 'a', '/sites/a', 'target')",
                cluster,
                "/sites/b1/" + cluster,
                cluster,
                cluster);
        harness.member(nodeA, "m1@fs", cluster, 2);
        harness.member(nodeB, "m2@fs", cluster, 1);
        long id = harness.value(
                "WITH f AS (INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " requested_by, request_id, previous_status, claim_epoch, promoter_host, new_targets, epoch,"
                        + " promoted_at, committed_at) VALUES ('promote', 'cluster', ?, 'b1', 'default', 'completing',"
                        + " ?, 'bob', 'req-0', 'failed-over', 1, 'm1@fs', CAST(? AS jsonb), 2, now(), now())"
                        + " RETURNING id),"
                        + " m AS (INSERT INTO failover_members (failover_id, host, acked_epoch, acked_at, attempts)"
                        + " SELECT id, 'm1@fs', 2, now(), 1 FROM f UNION ALL SELECT id, 'm2@fs', NULL, NULL, 0 FROM f)"
                        + " SELECT id FROM f",
                r -> r.getLong(1),
                cluster,
                DEAD,
                NEW_TARGETS_JSON);

        Failover done = harness.awaitFinal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(List.of(), updates(), "a committed promote is never run again");
        assertEquals(List.of(), nodeA.seen(Rpc.FAILOVER_COMPLETED), "m1 had acknowledged already");
        List<VolumeServiceFailoverCompletedRequest> told = nodeB.requests(Rpc.FAILOVER_COMPLETED);
        assertEquals(1, told.size());
        assertEquals(2, told.get(0).getEpoch());
        assertEquals("", told.get(0).getActiveBackendId());
        assertEquals(
                new EpochRecord(2, null), harness.etcd().epochs().read(cluster).orElseThrow(), "written again");
        assertPromoted(harness, cluster, 2);
        assertTrue(done.getMembersList().stream().allMatch(m -> m.getAckedEpoch() == 2));
    }

    /**
     * Real instances on a database of their own: the owner is stopped while the node holds its UpdateHostReplication,
     * and the other instance takes the row over and finishes it with the same journal id and targets.
     */
    @Test
    void anInstanceStoppedWhileAMemberUpdatesIsTakenOverAndTheTargetsSurvive() {
        ReplicationHarness first = ReplicationHarness.start(PromoteResumeTest.class, ReplicationHarness.fastFailover());
        ReplicationHarness second = first.startPeer("replication-2", ReplicationHarness.fastFailover());
        try (EtcdMembership members = first.newEtcdClient()) {
            first.replicatedCluster("live@fs", List.of("b1"), "m1@fs", "m2@fs");
            first.sql("UPDATE clusters SET replication_status = 'failed-over', active_backend_id = 'b1'");
            first.sql("UPDATE services SET replication_status = 'failed-over', active_backend_id = 'b1'");
            nodeA.serve(register(members, "m1@fs", "live@fs", nodeA));
            nodeB.serve(register(members, "m2@fs", "live@fs", nodeB));
            nodeA.hold(Rpc.UPDATE_HOST_REPLICATION);
            nodeB.hold(Rpc.UPDATE_HOST_REPLICATION);

            long id = first.promote("live@fs", NEW_TARGETS).getFailoverId();
            Eventually.await(
                    Duration.ofSeconds(10),
                    "the update to reach a member",
                    () -> updates().size() == 1);
            first.close(); // its row is left in promoting, owned by replication-test, whose lease is revoked

            Eventually.await(
                    Duration.ofSeconds(10),
                    "replication-2 to take the row over",
                    () -> updates().size() == 2);
            nodeA.release(Rpc.UPDATE_HOST_REPLICATION);
            nodeB.release(Rpc.UPDATE_HOST_REPLICATION);
            Failover done = second.awaitFinal(id);

            assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
            assertTrue(updates().stream().allMatch(r -> r.getFailoverId() == id), "the same journal id both times");
            assertTrue(
                    updates().stream().allMatch(r -> r.getNewTargetsList().equals(NEW_TARGETS)),
                    "the same targets both times");
            assertEquals(1L, second.transitions().phaseCounts().get("promoting->completing"), "committed by 2");
            assertPromoted(second, "live@fs", 1);
            assertTrue(done.getMembersList().stream().allMatch(m -> m.getAckedEpoch() == 1));
        } finally {
            first.close();
            second.close();
        }
    }

    private static Registration register(EtcdMembership etcd, String host, String cluster, RecordingVolumeNode node) {
        return etcd.registerMember(
                new MemberInfo(host, cluster, "fs", node.address(), null, 0, Instant.now()), (r, reason) -> {});
    }
}
