package io.tandem.volume;

import static io.tandem.volume.FailoverConvergenceTest.assertCode;
import static io.tandem.volume.VolumeLifecycleTest.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tandem.driver.memory.Operation;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.VolumeModelUpdate;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The member's step of an online promote (VolumeService.UpdateHostReplication) on one member with the in-memory
 * driver: the journal row replication-svc would have written is inserted directly, in phase promoting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlinePromotionTest {
    private static final String CLUSTER = "c1@online";
    private static final Map<String, Object> SITES = Map.of(
            "tandem.volume.primary-location", "/site-a",
            "tandem.volume.replication-targets[0].backend-id", "b",
            "tandem.volume.replication-targets[0].location", "/site-b");

    private TestNodes nodes;
    private Scheduler scheduler;
    private TestNodes.Node node;
    private UUID volume;

    @BeforeAll
    void startNode() {
        nodes = new TestNodes("online");
        scheduler = new Scheduler(nodes.dataSource());
        node = nodes.start("n1", CLUSTER, SITES);
        volume = scheduler.place(CLUSTER, node.host, 1, scheduler.serviceId(node.host), "enabled");
        node.stub().createVolume(create(volume));
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    @BeforeEach
    void claim() {
        nodes.faults().reset();
        scheduler.sql("UPDATE clusters SET replication_status = 'updating' WHERE name = ?", CLUSTER);
    }

    @AfterEach
    void finishJournal() {
        scheduler.sql("UPDATE failovers SET phase = 'reverted', finished_at = now() WHERE finished_at IS NULL");
        scheduler.sql("UPDATE clusters SET replication_status = 'enabled' WHERE name = ?", CLUSTER);
    }

    @Test
    void thePromotedSiteReplicatesToTheNewTargetsOnceAndARetryGetsTheSameAnswer() {
        long id = journal("promote", "promoting", CLUSTER);

        VolumeServiceUpdateHostReplicationResponse promoted =
                node.stub().updateHostReplication(request(id, 0L, target("c", "/site-c")));
        assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, promoted.getReplicationStatus());
        assertEquals("", promoted.getActiveBackendId());
        VolumeModelUpdate update = promoted.getVolumeUpdatesList().stream()
                .filter(u -> u.getVolumeId().equals(volume.toString()))
                .findFirst()
                .orElseThrow();
        assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, update.getReplicationStatus());
        assertEquals(1, nodes.faults().calls(Operation.RECONFIGURE));
        assertEquals(1, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION));
        assertEquals(
                List.of("c"),
                node.stub()
                        .getNodeStatus(VolumeServiceGetNodeStatusRequest.getDefaultInstance())
                        .getCapabilities()
                        .getReplicationTargetIdsList(),
                "the member's driver now replicates to the new target");

        assertEquals(promoted, node.stub().updateHostReplication(request(id, 0L, target("c", "/site-c"))));
        assertEquals(1, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION), "a retry updates nothing twice");
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub()
                .updateHostReplication(request(id, null, target("d", "/site-d"))));
        // The node writes no row: replication-svc commits the result with the new sites.
        assertEquals("updating", scheduler.text("SELECT replication_status FROM clusters WHERE name = ?", CLUSTER));
        assertEquals(
                "b",
                scheduler.text(
                        "SELECT string_agg(backend_id, ',') FROM replication_targets WHERE scope = ? AND role ="
                                + " 'target'",
                        CLUSTER));
    }

    @Test
    void aMissingFinishedForeignOrNonPromoteRowAndBadTargetsAreRefusedBeforeTheDriver() {
        long failover = journal("failover", "promoting", CLUSTER);
        long finished = journal("promote", "completed", CLUSTER);
        long elsewhere = journal("promote", "promoting", "c2@online");

        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub()
                .updateHostReplication(request(9999, null, target("c", "/site-c"))));
        var kind = assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub()
                .updateHostReplication(request(failover, null, target("c", "/site-c"))));
        assertTrue(
                kind.getStatus().getDescription().contains("not a promote"),
                kind.getStatus().getDescription());
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub()
                .updateHostReplication(request(finished, null, target("c", "/site-c"))));
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub()
                .updateHostReplication(request(elsewhere, null, target("c", "/site-c"))));
        finishJournal();
        claim();

        long id = journal("promote", "promoting", CLUSTER);
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub()
                .updateHostReplication(request(id, 7L, target("c", "/site-c"))));
        for (ReplicationTarget bad :
                List.of(target("default", "/site-c"), target("", "/site-c"), target("c", ""), target("c", "/site-a"))) {
            var refused = assertCode(
                    Status.Code.INVALID_ARGUMENT, () -> node.stub().updateHostReplication(request(id, null, bad)));
            assertTrue(!refused.getStatus().getDescription().isBlank());
        }
        assertCode(Status.Code.INVALID_ARGUMENT, () -> node.stub()
                .updateHostReplication(request(id, null, target("c", "/site-c"), target("c", "/site-d"))));
        assertEquals(0, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION), "nothing reached the driver");
    }

    @Test
    void aDriverFailureIsInternalAndTheRetryRunsTheDriverAgain() {
        long id = journal("promote", "promoting", CLUSTER);
        List<String> before = targetIds();
        nodes.faults().failOnCall(Operation.UPDATE_HOST_REPLICATION, 1);
        var failed = assertCode(
                Status.Code.INTERNAL, () -> node.stub().updateHostReplication(request(id, null, target("z", "/c2"))));
        assertTrue(
                failed.getStatus().getDescription().contains("Injected failure"),
                failed.getStatus().getDescription());
        assertEquals(
                before, targetIds(), "nothing will be committed, so the member's driver is back on the roles it had");
        assertEquals(
                ReplicationStatus.REPLICATION_STATUS_ENABLED,
                node.stub()
                        .updateHostReplication(request(id, null, target("z", "/c2")))
                        .getReplicationStatus());
        assertEquals(2, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION));
    }

    private long journal(String kind, String phase, String target) {
        boolean finished = phase.equals("completed");
        return scheduler.count(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " previous_status, claim_epoch, new_targets, finished_at) VALUES (?, 'cluster', ?, 'b',"
                        + " 'default', ?, 'replication-1', 'failed-over', 0, CASE WHEN ? = 'promote' THEN"
                        + " '[{\"backend_id\": \"c\", \"location\": \"/site-c\"}]'::jsonb END, "
                        + (finished ? "now()" : "NULL") + ") RETURNING id",
                kind,
                target,
                phase,
                kind);
    }

    private List<String> targetIds() {
        return node.stub()
                .getNodeStatus(VolumeServiceGetNodeStatusRequest.getDefaultInstance())
                .getCapabilities()
                .getReplicationTargetIdsList();
    }

    private static ReplicationTarget target(String id, String location) {
        return ReplicationTarget.newBuilder()
                .setBackendId(id)
                .setLocation(location)
                .build();
    }

    private static VolumeServiceUpdateHostReplicationRequest request(
            long id, Long expectedEpoch, ReplicationTarget... targets) {
        var request = VolumeServiceUpdateHostReplicationRequest.newBuilder()
                .setFailoverId(id)
                .addAllNewTargets(List.of(targets));
        if (expectedEpoch != null) {
            request.setExpectedEpoch(expectedEpoch);
        }
        return request.build();
    }
}
