package io.tandem.volume;

import static io.tandem.volume.FailoverConvergenceTest.assertCode;
import static io.tandem.volume.VolumeLifecycleTest.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.tandem.driver.memory.Hang;
import io.tandem.driver.memory.Operation;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.VolumeModelUpdate;
import io.tandem.proto.v1.VolumeServiceFailoverRequest;
import io.tandem.proto.v1.VolumeServiceFailoverResponse;
import io.tandem.proto.v1.VolumeServiceFreezeRequest;
import io.tandem.proto.v1.VolumeServiceThawRequest;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Step 2 of the failover protocol (VolumeService.Failover) and Freeze/Thaw on one member of a cluster with the
 * in-memory driver: the journal row replication-svc would have written is inserted directly, in phase promoting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverPromotionTest {
    private static final String CLUSTER = "c1@promo";
    private static final Map<String, Object> TARGETS = Map.of(
            "tandem.volume.replication-targets[0].backend-id", "secondary",
            "tandem.volume.replication-targets[0].location", "/site-b");

    private TestNodes nodes;
    private Scheduler scheduler;
    private TestNodes.Node node;
    private UUID replicated;
    private UUID plain;

    @BeforeAll
    void startNode() {
        nodes = new TestNodes("promo");
        scheduler = new Scheduler(nodes.dataSource());
        node = nodes.start("n1", CLUSTER, TARGETS);
        int id = scheduler.serviceId(node.host);
        replicated = scheduler.place(CLUSTER, node.host, 1, id, "enabled");
        plain = scheduler.place(CLUSTER, node.host, 1, id, "disabled");
        node.stub().createVolume(create(replicated));
        node.stub().createVolume(create(plain));
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    @BeforeEach
    void claim() {
        nodes.faults().reset();
        // replication-svc's claim: management operations are refused from here on.
        scheduler.sql("UPDATE clusters SET replication_status = 'failing-over' WHERE name = ?", CLUSTER);
    }

    @AfterEach
    void finishJournal() {
        scheduler.sql("UPDATE failovers SET phase = 'reverted', finished_at = now() WHERE finished_at IS NULL");
        scheduler.sql("UPDATE clusters SET replication_status = 'enabled' WHERE name = ?", CLUSTER);
    }

    @Test
    void failoverPromotesOnceReturnsTheUpdatesAndAnswersARetryFromWhatItDid() {
        long id = journal("promoting", CLUSTER, "secondary");

        VolumeServiceFailoverResponse promoted = node.stub().failover(failover(id, "secondary", 0L));
        assertEquals("secondary", promoted.getActiveBackendId());
        Map<String, VolumeModelUpdate> updates = promoted.getVolumeUpdatesList().stream()
                .collect(Collectors.toMap(VolumeModelUpdate::getVolumeId, u -> u));
        VolumeModelUpdate moved = updates.get(replicated.toString());
        assertEquals(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER, moved.getReplicationStatus());
        assertFalse(moved.hasStatus());
        assertTrue(moved.hasProviderLocation());
        VolumeModelUpdate lost = updates.get(plain.toString());
        assertEquals(VolumeStatus.VOLUME_STATUS_ERROR, lost.getStatus(), "not replicated: error, Cinder's rule");
        assertFalse(lost.hasReplicationStatus());
        assertEquals(1, nodes.faults().calls(Operation.FAILOVER));

        VolumeServiceFailoverResponse retried = node.stub().failover(failover(id, "secondary", 0L));
        assertEquals(promoted, retried);
        assertEquals(1, nodes.faults().calls(Operation.FAILOVER), "a retry promotes nothing twice");
        // The node writes no row: replication-svc commits the updates.
        VolumeRow row = scheduler.volume(plain).orElseThrow();
        assertEquals("available", row.status());
        assertEquals("enabled", scheduler.volume(replicated).orElseThrow().replicationStatus());
        assertEquals("0", scheduler.text("SELECT epoch::text FROM clusters WHERE name = ?", CLUSTER));

        // Once replication-svc moved on (committed), a late retry is a superseded call.
        scheduler.sql("UPDATE failovers SET phase = 'completing' WHERE id = ?", id);
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub().failover(failover(id, "secondary", 0L)));
    }

    @Test
    void failoverRefusesAJournalRowThatIsMissingFinishedForAnotherClusterOrForAnotherTarget() {
        long finished = journal("completed", CLUSTER, "secondary");
        long elsewhere = journal("promoting", "c2@promo", "secondary");
        long promoting = journal("promoting", CLUSTER, "secondary");

        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub().failover(failover(9999, "secondary", null)));
        var done = assertCode(
                Status.Code.FAILED_PRECONDITION, () -> node.stub().failover(failover(finished, "secondary", null)));
        assertTrue(
                done.getStatus().getDescription().contains("phase completed"),
                done.getStatus().getDescription());
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub().failover(failover(elsewhere, "secondary", null)));
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub().failover(failover(promoting, "default", null)));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> node.stub().failover(failover(promoting, "", null)));
        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub().failover(failover(promoting, "secondary", 4L)));
        assertEquals(0, nodes.faults().calls(Operation.FAILOVER), "no refused call reached the driver");
    }

    @Test
    void anUnknownTargetIsInvalidArgumentAndADriverFailureIsInternalWithItsMessageAndRetried() {
        long unknown = journal("promoting", CLUSTER, "nowhere");
        var invalid = assertCode(
                Status.Code.INVALID_ARGUMENT, () -> node.stub().failover(failover(unknown, "nowhere", null)));
        assertTrue(
                invalid.getStatus().getDescription().contains("'nowhere' is not a replication target"),
                invalid.getStatus().getDescription());
        finishJournal();
        claim();

        long id = journal("promoting", CLUSTER, "secondary");
        nodes.faults().failOnCall(Operation.FAILOVER, 1);
        var failed = assertCode(Status.Code.INTERNAL, () -> node.stub().failover(failover(id, "secondary", null)));
        assertTrue(
                failed.getStatus().getDescription().contains("Injected failure of failover"),
                failed.getStatus().getDescription());
        // A failure is not remembered: the retry runs the driver again.
        assertEquals(
                "secondary",
                node.stub().failover(failover(id, "secondary", null)).getActiveBackendId());
        assertEquals(2, nodes.faults().calls(Operation.FAILOVER));
    }

    @Test
    void concurrentRetriesOfOneFailoverRunTheDriverOnce() throws Exception {
        long id = journal("promoting", CLUSTER, "secondary");
        Hang held = nodes.faults().hang(Operation.FAILOVER);
        try {
            ListenableFuture<VolumeServiceFailoverResponse> first =
                    node.futureStub().failover(failover(id, "secondary", null));
            Eventually.await(Duration.ofSeconds(10), "the first call in the driver", () -> held.entered() == 1);
            ListenableFuture<VolumeServiceFailoverResponse> retry =
                    node.futureStub().failover(failover(id, "secondary", null));
            held.release();
            assertEquals(first.get(30, TimeUnit.SECONDS), retry.get(30, TimeUnit.SECONDS));
            assertEquals(1, held.entered());
            assertEquals(1, nodes.faults().calls(Operation.FAILOVER));
        } finally {
            held.release();
        }
    }

    @Test
    void freezeAndThawRunTheDriverAndAFailedThawIsInternalWithCindersMessage() {
        node.stub().freeze(VolumeServiceFreezeRequest.getDefaultInstance());
        node.stub()
                .thaw(VolumeServiceThawRequest.newBuilder().setExpectedEpoch(0).build());
        assertEquals(1, nodes.faults().calls(Operation.FREEZE));
        assertEquals(1, nodes.faults().calls(Operation.THAW));

        nodes.faults().failOnCall(Operation.THAW, 1);
        var failed =
                assertCode(Status.Code.INTERNAL, () -> node.stub().thaw(VolumeServiceThawRequest.getDefaultInstance()));
        String message = failed.getStatus().getDescription();
        assertTrue(message.startsWith("Backend reported error during thaw_host operation."), message);
        assertTrue(message.contains("Injected failure of thaw"), message);

        assertCode(Status.Code.FAILED_PRECONDITION, () -> node.stub()
                .freeze(VolumeServiceFreezeRequest.newBuilder()
                        .setExpectedEpoch(3)
                        .build()));
        assertEquals(1, nodes.faults().calls(Operation.FREEZE), "a refused freeze does not reach the driver");
    }

    /** Inserts a journal row as replication-svc's claim would (target = the cluster); returns its id. */
    private long journal(String phase, String target, String toBackendId) {
        boolean finished = phase.equals("completed");
        return scheduler.count(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner, finished_at)"
                        + " VALUES ('failover', 'cluster', ?, 'default', ?, ?, 'replication-1', "
                        + (finished ? "now()" : "NULL") + ") RETURNING id",
                target,
                toBackendId,
                phase);
    }

    private static VolumeServiceFailoverRequest failover(long id, String secondary, Long expectedEpoch) {
        var request =
                VolumeServiceFailoverRequest.newBuilder().setFailoverId(id).setSecondaryBackendId(secondary);
        if (expectedEpoch != null) {
            request.setExpectedEpoch(expectedEpoch);
        }
        return request.build();
    }
}
