package io.tandem.volume;

import static io.tandem.volume.VolumeLifecycleTest.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.driver.memory.Hang;
import io.tandem.driver.memory.Operation;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.proto.v1.ClaimedWorker;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersRequest;
import io.tandem.proto.v1.VolumeServiceCreateVolumeResponse;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import io.tandem.volume.domain.cleanup.CleanupSweep;
import io.tandem.volume.domain.cleanup.WorkerCleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Crash cleanup (docs/volume-protocol.md, last column): a member that dies holding workers rows has them finished by
 * exactly one survivor each; a node that restarts finishes its own; an admin's CleanupWorkers claims a dead service's
 * rows; the sweep finds rows nobody is working on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashCleanupTest {
    private static final String CLUSTER = "c1@crash";
    // Lease TTL, plus the margin the issue allows a busy 2-core machine.
    private static final Duration CLEANUP_DEADLINE = TestNodes.LEASE_TTL.plusSeconds(5);

    private TestNodes nodes;
    private Scheduler scheduler;
    private TestNodes.Node n2;
    private TestNodes.Node n3;

    @BeforeAll
    void startCluster() {
        nodes = new TestNodes("crash");
        n2 = nodes.start("n2", CLUSTER);
        n3 = nodes.start("n3", CLUSTER);
        scheduler = new Scheduler(nodes.dataSource());
    }

    @AfterAll
    void stop() {
        nodes.close();
    }

    @BeforeEach
    void clearFaults() {
        nodes.faults().reset();
    }

    @Test
    void aMemberThatDiesHoldingSlowCreatesHasThemCleanedByExactlyOneSurvivorEach() throws Exception {
        TestNodes.Node victim = nodes.start("n1", CLUSTER);
        int victimId = scheduler.serviceId(victim.host);
        int count = 12;
        Hang hang = nodes.faults().hang(Operation.CREATE);
        List<UUID> ids = new ArrayList<>();
        List<ListenableFuture<VolumeServiceCreateVolumeResponse>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = scheduler.place(CLUSTER, victim.host, 1, victimId);
            ids.add(id);
            calls.add(victim.futureStub().createVolume(create(id)));
        }
        Eventually.await(Duration.ofSeconds(10), "every create to hang in the driver", () -> hang.waiting() == count);
        long claimedBefore = claimed(n2) + claimed(n3);

        victim.crash();
        long crashedAt = System.nanoTime();
        Eventually.await(Duration.ofSeconds(5), "the victim to refuse work once its lease is lost", () -> {
            var refused = assertThrows(
                    StatusRuntimeException.class, () -> victim.stub().createVolume(create(ids.get(0))));
            return refused.getStatus().getCode() == Status.Code.UNAVAILABLE;
        });
        Eventually.await(CLEANUP_DEADLINE, "the survivors to finish every create of the victim", () -> ids.stream()
                .allMatch(
                        id -> "error".equals(scheduler.volume(id).orElseThrow().status())
                                && scheduler.worker(id).isEmpty()));
        assertTrue(System.nanoTime() - crashedAt < CLEANUP_DEADLINE.toNanos());
        for (UUID id : ids) {
            VolumeRow row = scheduler.volume(id).orElseThrow();
            assertTrue(
                    row.statusReason().startsWith("node " + victim.host + " died while creating"), row.statusReason());
        }
        assertEquals(count, claimed(n2) + claimed(n3) - claimedBefore, "each row was claimed by exactly one survivor");

        // The victim's driver calls come back after all: the rows are no longer its own, so nothing it writes lands.
        hang.release();
        for (ListenableFuture<VolumeServiceCreateVolumeResponse> call : calls) {
            var failure = assertThrows(ExecutionException.class, call::get);
            assertEquals(
                    Status.Code.FAILED_PRECONDITION,
                    Status.fromThrowable(failure.getCause()).getCode());
        }
        assertTrue(ids.stream().allMatch(id -> "error"
                .equals(scheduler.volume(id).orElseThrow().status())));
        victim.close();
    }

    @Test
    void aRestartedNodeFinishesItsOwnLeftovers() {
        String solo = "solo@crash";
        TestNodes.Node first = nodes.start("solo", null);
        int soloId = scheduler.serviceId(solo);
        UUID deleting = scheduler.place(null, solo, 1, soloId);
        assertEquals(
                VolumeStatus.VOLUME_STATUS_AVAILABLE,
                first.stub().createVolume(create(deleting)).getVolume().getStatus());
        first.close();
        // As if solo had died holding these: a create it never ran, and a delete of a volume the backend has.
        UUID creating = scheduler.place(null, solo, 1, soloId);
        scheduler.startDelete(deleting, soloId);

        TestNodes.Node restarted = nodes.start("solo", null);
        VolumeRow failed = scheduler.volume(creating).orElseThrow();
        assertEquals("error", failed.status(), "cleaned before the node served");
        assertTrue(failed.statusReason().startsWith("node " + solo + " died while creating"), failed.statusReason());
        assertTrue(scheduler.volume(deleting).isEmpty(), "the delete ran again");
        assertEquals(1, nodes.faults().calls(Operation.DELETE, deleting.toString()));
        assertTrue(scheduler.worker(creating).isEmpty()
                && scheduler.worker(deleting).isEmpty());

        // A row dispatched to the node after it registered is new work, not a leftover.
        UUID fresh = scheduler.place(null, solo, 1, soloId);
        assertEquals(
                VolumeStatus.VOLUME_STATUS_AVAILABLE,
                restarted.stub().createVolume(create(fresh)).getVolume().getStatus());
        restarted.close();
    }

    @Test
    void cleanupWorkersClaimsTheRowsOfADeadServiceAndFinishesThemInTheBackground() {
        scheduler.sql(
                "INSERT INTO services (host, binary_name, cluster_name) VALUES ('ghost@crash', 'volume', ?)", CLUSTER);
        int ghost = scheduler.serviceId("ghost@crash");
        UUID creating = scheduler.place(CLUSTER, "ghost@crash", 1, ghost);
        UUID extending = scheduler.place(CLUSTER, n2.host, 1, scheduler.serviceId(n2.host));
        n2.stub().createVolume(create(extending));
        scheduler.startExtend(extending, ghost);

        var other = assertThrows(StatusRuntimeException.class, () -> n2.stub()
                .cleanupWorkers(VolumeServiceCleanupWorkersRequest.newBuilder()
                        .addServiceIds(999_999)
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, other.getStatus().getCode());
        var live = n2.stub()
                .cleanupWorkers(VolumeServiceCleanupWorkersRequest.newBuilder()
                        .addServiceIds(scheduler.serviceId(n3.host))
                        .build());
        assertEquals(0, live.getClaimedCount(), "a live member's rows are its own to finish");

        scheduler.sql("UPDATE clusters SET epoch = epoch + 1 WHERE name = ?", CLUSTER);
        try {
            var stale = assertThrows(StatusRuntimeException.class, () -> n2.stub()
                    .cleanupWorkers(VolumeServiceCleanupWorkersRequest.newBuilder()
                            .addServiceIds(ghost)
                            .build()));
            assertEquals(Status.Code.FAILED_PRECONDITION, stale.getStatus().getCode());
            assertEquals(
                    Optional.of(ghost),
                    scheduler.worker(creating).map(w -> w.serviceId()),
                    "a stale node claims nothing");
        } finally {
            scheduler.sql("UPDATE clusters SET epoch = epoch - 1 WHERE name = ?", CLUSTER);
        }

        var claimed = n2.stub()
                .cleanupWorkers(VolumeServiceCleanupWorkersRequest.newBuilder()
                        .addServiceIds(ghost)
                        .build())
                .getClaimedList();
        assertEquals(
                List.of(creating.toString(), extending.toString()).stream()
                        .sorted()
                        .toList(),
                claimed.stream().map(ClaimedWorker::getResourceId).sorted().toList());
        assertTrue(claimed.stream()
                .allMatch(w ->
                        w.getPreviousServiceId() == ghost && w.getResourceType().equals("Volume")));
        Eventually.await(
                Duration.ofSeconds(10),
                "the claimed rows to be cleaned",
                () -> "error".equals(scheduler.volume(creating).orElseThrow().status())
                        && "error_extending"
                                .equals(scheduler
                                        .volume(extending)
                                        .orElseThrow()
                                        .status())
                        && scheduler.worker(creating).isEmpty()
                        && scheduler.worker(extending).isEmpty());
        assertEquals(1, scheduler.volume(extending).orElseThrow().sizeGb());
        assertEquals(
                0,
                n3.stub()
                        .cleanupWorkers(VolumeServiceCleanupWorkersRequest.newBuilder()
                                .addServiceIds(ghost)
                                .build())
                        .getClaimedCount(),
                "nothing is claimed twice");
    }

    @Test
    void theSweepFinishesRowsNobodyIsWorkingOn() {
        int own = scheduler.serviceId(n3.host);
        UUID orphan = scheduler.place(CLUSTER, n3.host, 1, own);
        UUID recent = scheduler.place(CLUSTER, n3.host, 1, own);
        // The scheduler wrote this row an hour ago and never dispatched it (it crashed); the other is just on its way.
        scheduler.sql(
                "UPDATE workers SET updated_at = now() - interval '1 hour' WHERE resource_id = ?", orphan.toString());
        scheduler.sql(
                "INSERT INTO services (host, binary_name, cluster_name) VALUES ('gone@crash', 'volume', ?)", CLUSTER);
        UUID abandoned = scheduler.place(CLUSTER, "gone@crash", 1, scheduler.serviceId("gone@crash"));
        scheduler.sql(
                "UPDATE workers SET updated_at = now() - interval '1 hour' WHERE resource_id = ?",
                abandoned.toString());

        n3.bean(CleanupSweep.class).sweep();

        VolumeRow cleaned = scheduler.volume(orphan).orElseThrow();
        assertEquals("error", cleaned.status());
        assertTrue(
                cleaned.statusReason().startsWith("no call finished the create on node " + n3.host),
                cleaned.statusReason());
        assertEquals("error", scheduler.volume(abandoned).orElseThrow().status(), "gone@crash holds no lease");
        assertEquals("creating", scheduler.volume(recent).orElseThrow().status());
        assertEquals(Optional.of(own), scheduler.worker(recent).map(w -> w.serviceId()));
        assertEquals(
                VolumeStatus.VOLUME_STATUS_AVAILABLE,
                n3.stub().createVolume(create(recent)).getVolume().getStatus());
    }

    private static long claimed(TestNodes.Node node) {
        return node.bean(WorkerCleaner.class).claimedCount();
    }
}
