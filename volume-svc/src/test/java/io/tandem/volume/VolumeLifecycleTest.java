package io.tandem.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.core.error.FrozenBackendException;
import io.tandem.driver.memory.Hang;
import io.tandem.driver.memory.Operation;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.proto.v1.VolumeServiceCreateVolumeRequest;
import io.tandem.proto.v1.VolumeServiceCreateVolumeResponse;
import io.tandem.proto.v1.VolumeServiceDeleteVolumeRequest;
import io.tandem.proto.v1.VolumeServiceDeleteVolumeResponse;
import io.tandem.proto.v1.VolumeServiceExtendVolumeRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeServiceInitializeConnectionRequest;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The volume lifecycle on two members of one cluster sharing one in-memory backend, driven over gRPC as
 * scheduler-svc would drive it, with the rows reloaded from PostgreSQL after every call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeLifecycleTest {
    private static final String CLUSTER = "c1@life";

    private TestNodes nodes;
    private Scheduler scheduler;
    private TestNodes.Node n1;
    private TestNodes.Node n2;
    private int id1;
    private int id2;

    @BeforeAll
    void startCluster() {
        nodes = new TestNodes("life");
        n1 = nodes.start("n1", CLUSTER);
        n2 = nodes.start("n2", CLUSTER);
        scheduler = new Scheduler(nodes.dataSource());
        id1 = scheduler.serviceId(n1.host);
        id2 = scheduler.serviceId(n2.host);
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
    void twoHundredConcurrentCreatesSpreadOverTheMembersEndAvailableEachCreatedOnce() throws Exception {
        int count = 200;
        List<UUID> ids = new ArrayList<>();
        List<ListenableFuture<VolumeServiceCreateVolumeResponse>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestNodes.Node member = i % 2 == 0 ? n1 : n2;
            ids.add(scheduler.place(CLUSTER, member.host, 1, i % 2 == 0 ? id1 : id2));
        }
        // Every call is in flight before the first answer: the members really race on one backend and one database.
        for (int i = 0; i < count; i++) {
            TestNodes.Node member = i % 2 == 0 ? n1 : n2;
            calls.add(member.futureStub().createVolume(create(ids.get(i))));
        }
        int[] answeredBy = new int[2];
        for (int i = 0; i < count; i++) {
            assertEquals(
                    VolumeStatus.VOLUME_STATUS_AVAILABLE,
                    calls.get(i).get().getVolume().getStatus());
            answeredBy[i % 2]++;
        }

        assertEquals(
                count,
                ids.stream()
                        .filter(id -> "available"
                                .equals(scheduler.volume(id).orElseThrow().status()))
                        .count());
        for (UUID id : ids) {
            assertEquals(1, nodes.faults().calls(Operation.CREATE, id.toString()), "driver creates of " + id);
            assertTrue(scheduler.volume(id).orElseThrow().providerLocation().endsWith(id.toString()));
        }
        assertEquals(count / 2, answeredBy[0], "n1 did its share");
        assertEquals(count / 2, answeredBy[1], "n2 did its share");
        assertTrue(ids.stream().allMatch(id -> scheduler.worker(id).isEmpty()), "no workers row is left");
    }

    @Test
    void createIsIdempotentAndADriverFailureIsTheVolumesOutcome() {
        UUID id = scheduler.place(CLUSTER, n1.host, 2, id1);
        assertEquals(
                VolumeStatus.VOLUME_STATUS_AVAILABLE,
                n1.stub().createVolume(create(id)).getVolume().getStatus());
        var again = n1.stub().createVolume(create(id)).getVolume();
        assertEquals(VolumeStatus.VOLUME_STATUS_AVAILABLE, again.getStatus());
        assertEquals(1, nodes.faults().calls(Operation.CREATE, id.toString()), "a retry does not call the driver");

        nodes.faults().failOnCall(Operation.CREATE, 1);
        UUID failing = scheduler.place(CLUSTER, n2.host, 1, id2);
        var failed = n2.stub().createVolume(create(failing)).getVolume();
        assertEquals(VolumeStatus.VOLUME_STATUS_ERROR, failed.getStatus());
        VolumeRow row = scheduler.volume(failing).orElseThrow();
        assertEquals("error", row.status());
        assertTrue(row.statusReason().contains("Injected failure of create"), row.statusReason());
        assertTrue(scheduler.worker(failing).isEmpty(), "the workers row is released after a failure too");

        var missing =
                assertThrows(StatusRuntimeException.class, () -> n1.stub().createVolume(create(UUID.randomUUID())));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        var bad = assertThrows(StatusRuntimeException.class, () -> n1.stub()
                .createVolume(VolumeServiceCreateVolumeRequest.newBuilder()
                        .setVolumeId("../etc")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        UUID elsewhere = scheduler.place("other@life", "x@life", 1, null);
        var foreign = assertThrows(StatusRuntimeException.class, () -> n1.stub().createVolume(create(elsewhere)));
        assertEquals(Status.Code.INVALID_ARGUMENT, foreign.getStatus().getCode());
        assertTrue(foreign.getStatus().getDescription().contains("other@life"));
    }

    @Test
    void aRowHeldByAnotherMemberOrNoRowAtAllIsRefused() {
        UUID id = scheduler.place(CLUSTER, n1.host, 1, id1);
        var refused = assertThrows(StatusRuntimeException.class, () -> n2.stub().createVolume(create(id)));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(
                refused.getStatus().getDescription().contains("held by service " + id1 + " (" + n1.host + ")"),
                refused.getStatus().getDescription());
        assertEquals(0, nodes.faults().calls(Operation.CREATE, id.toString()));

        scheduler.sql("DELETE FROM workers WHERE resource_id = ?", id.toString());
        var noRow = assertThrows(StatusRuntimeException.class, () -> n1.stub().createVolume(create(id)));
        assertEquals(Status.Code.FAILED_PRECONDITION, noRow.getStatus().getCode());
        assertTrue(noRow.getStatus().getDescription().contains("no workers row"));
    }

    @Test
    void twoDeletesOfOneVolumeOnTwoMembersDeleteItOnce() throws Exception {
        UUID id = available(n1, id1);
        scheduler.startDelete(id, id1);
        Hang hang = nodes.faults().hang(Operation.DELETE);
        ListenableFuture<VolumeServiceDeleteVolumeResponse> holder =
                n1.futureStub().deleteVolume(delete(id));
        Eventually.await(Duration.ofSeconds(10), "n1's delete to reach the driver", () -> hang.waiting() == 1);

        var other = assertThrows(StatusRuntimeException.class, () -> n2.stub().deleteVolume(delete(id)));
        assertEquals(Status.Code.FAILED_PRECONDITION, other.getStatus().getCode());
        assertTrue(
                other.getStatus().getDescription().contains(n1.host),
                other.getStatus().getDescription());
        var sameNode =
                assertThrows(StatusRuntimeException.class, () -> n1.stub().deleteVolume(delete(id)));
        assertEquals(Status.Code.FAILED_PRECONDITION, sameNode.getStatus().getCode());

        hang.release();
        assertFalse(holder.get().hasVolume(), "deleted: no volume in the answer");
        assertTrue(scheduler.volume(id).isEmpty());
        assertTrue(scheduler.worker(id).isEmpty());
        assertEquals(1, nodes.faults().calls(Operation.DELETE, id.toString()));
        assertFalse(n2.stub().deleteVolume(delete(id)).hasVolume(), "a delete of a deleted volume is OK");
    }

    @Test
    void membersRacingForUnassignedRowsDeleteEachVolumeExactlyOnce() throws Exception {
        int count = 20;
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = available(n1, id1);
            scheduler.startDelete(id, null); // Cinder's style: no node chosen yet, the first to take it wins
            ids.add(id);
        }
        nodes.faults().delay(Operation.DELETE, Duration.ofMillis(20));
        ExecutorService pool = Executors.newFixedThreadPool(2 * count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Status.Code>> answers = new ArrayList<>();
            for (UUID id : ids) {
                for (TestNodes.Node member : List.of(n1, n2)) {
                    answers.add(CompletableFuture.supplyAsync(() -> deleteRacing(go, member, id), pool));
                }
            }
            go.countDown();
            Map<Status.Code, Long> codes = answers.stream()
                    .map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(code -> code, Collectors.counting()));
            assertTrue(
                    codes.keySet().stream().allMatch(c -> c == Status.Code.OK || c == Status.Code.FAILED_PRECONDITION),
                    codes.toString());
            assertTrue(codes.getOrDefault(Status.Code.OK, 0L) >= count, codes.toString());
        } finally {
            pool.shutdownNow();
        }
        for (UUID id : ids) {
            assertEquals(1, nodes.faults().calls(Operation.DELETE, id.toString()), "driver deletes of " + id);
            assertTrue(scheduler.volume(id).isEmpty());
            assertTrue(scheduler.worker(id).isEmpty());
        }
    }

    @Test
    void extendGrowsTheVolumeAndRefusesToShrinkIt() {
        UUID id = available(n1, id1);
        scheduler.startExtend(id, id2);
        var extended = n2.stub().extendVolume(extend(id, 5)).getVolume();
        assertEquals(VolumeStatus.VOLUME_STATUS_AVAILABLE, extended.getStatus());
        assertEquals(5, extended.getSizeGb());
        assertEquals(5, scheduler.volume(id).orElseThrow().sizeGb());
        assertEquals(1, nodes.faults().calls(Operation.EXTEND, id.toString()));
        assertEquals(5, n1.stub().extendVolume(extend(id, 5)).getVolume().getSizeGb(), "a retry is answered as is");
        assertEquals(1, nodes.faults().calls(Operation.EXTEND, id.toString()));
        var shrink = assertThrows(StatusRuntimeException.class, () -> n1.stub().extendVolume(extend(id, 3)));
        assertEquals(Status.Code.INVALID_ARGUMENT, shrink.getStatus().getCode());

        nodes.faults().failOnCall(Operation.EXTEND, 1);
        scheduler.startExtend(id, id1);
        var failed = n1.stub().extendVolume(extend(id, 9)).getVolume();
        assertEquals(VolumeStatus.VOLUME_STATUS_ERROR_EXTENDING, failed.getStatus());
        assertEquals(5, failed.getSizeGb(), "the size is unchanged");
        assertTrue(scheduler.worker(id).isEmpty());
    }

    @Test
    void aFrozenClusterRefusesCreateDeleteAndExtendAndEndsThemAtOnce() {
        UUID toDelete = available(n1, id1);
        UUID toExtend = available(n2, id2);
        UUID toCreate = scheduler.place(CLUSTER, n1.host, 1, id1);
        UUID attachable = available(n2, id2);
        scheduler.startDelete(toDelete, id2);
        scheduler.startExtend(toExtend, id1);
        assertEquals(1, setFrozen(true));
        try {
            for (Runnable call : List.<Runnable>of(
                    () -> n1.stub().createVolume(create(toCreate)),
                    () -> n2.stub().deleteVolume(delete(toDelete)),
                    () -> n1.stub().extendVolume(extend(toExtend, 2)))) {
                var refused = assertThrows(StatusRuntimeException.class, call::run);
                assertEquals(
                        Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
                assertEquals(FrozenBackendException.MESSAGE, refused.getStatus().getDescription());
            }
            // The refusal is the outcome: the create ends in error, the delete and the extend return to where they
            // came from, each with the reason, and no workers row is left for a sweep to find.
            for (UUID id : List.of(toCreate, toDelete, toExtend)) {
                assertEquals(
                        FrozenBackendException.MESSAGE,
                        scheduler.volume(id).orElseThrow().statusReason());
                assertTrue(scheduler.worker(id).isEmpty(), "workers row of " + id);
            }
            assertEquals("error", scheduler.volume(toCreate).orElseThrow().status());
            assertEquals("available", scheduler.volume(toDelete).orElseThrow().status());
            assertEquals("available", scheduler.volume(toExtend).orElseThrow().status());
            assertEquals(1, scheduler.volume(toExtend).orElseThrow().sizeGb());
            assertEquals(0, nodes.faults().calls(Operation.CREATE, toCreate.toString()));
            assertEquals(0, nodes.faults().calls(Operation.DELETE, toDelete.toString()));
            assertEquals(0, nodes.faults().calls(Operation.EXTEND, toExtend.toString()));
            // Not a management operation: attaching still works on a frozen backend.
            assertEquals(
                    "memory",
                    n1.stub().initializeConnection(connect(attachable)).getDriverVolumeType());
        } finally {
            assertEquals(1, setFrozen(false));
        }
        scheduler.startDelete(toDelete, id2);
        scheduler.startExtend(toExtend, id1);
        assertFalse(n2.stub().deleteVolume(delete(toDelete)).hasVolume());
        assertEquals(2, n1.stub().extendVolume(extend(toExtend, 2)).getVolume().getSizeGb());
    }

    @Test
    void aStaleMemberIsRefusedAndWritesNothing() {
        UUID id = scheduler.place(CLUSTER, n1.host, 1, id1);
        WorkerRow before = scheduler.worker(id).orElseThrow();
        scheduler.sql("UPDATE clusters SET epoch = epoch + 1 WHERE name = ?", CLUSTER);
        try {
            var refused =
                    assertThrows(StatusRuntimeException.class, () -> n1.stub().createVolume(create(id)));
            assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
            assertTrue(
                    refused.getStatus().getDescription().contains("serves epoch 0 but the current epoch is 1"),
                    refused.getStatus().getDescription());
            assertEquals(before, scheduler.worker(id).orElseThrow(), "the workers row is untouched");
            assertEquals("creating", scheduler.volume(id).orElseThrow().status());
            assertEquals(0, nodes.faults().calls(Operation.CREATE, id.toString()));
            assertTrue(n1.stub().getNodeStatus(status()).getFenced());
        } finally {
            scheduler.sql("UPDATE clusters SET epoch = epoch - 1 WHERE name = ?", CLUSTER);
        }
        var wrongExpectation = assertThrows(StatusRuntimeException.class, () -> n1.stub()
                .createVolume(create(id).toBuilder().setExpectedEpoch(7).build()));
        assertEquals(
                Status.Code.FAILED_PRECONDITION, wrongExpectation.getStatus().getCode());
        assertEquals(
                VolumeStatus.VOLUME_STATUS_AVAILABLE,
                n1.stub()
                        .createVolume(create(id).toBuilder().setExpectedEpoch(0).build())
                        .getVolume()
                        .getStatus());
    }

    @Test
    void connectionInfoStatusAndMemberKeys() {
        UUID id = available(n2, id2);
        var connection = n1.stub().initializeConnection(connect(id));
        assertEquals("memory", connection.getDriverVolumeType());
        assertEquals(id.toString(), connection.getDataMap().get("volume"));
        assertEquals(0, connection.getServedEpoch());
        UUID creating = scheduler.place(CLUSTER, n1.host, 1, id1);
        var notReady =
                assertThrows(StatusRuntimeException.class, () -> n1.stub().initializeConnection(connect(creating)));
        assertEquals(Status.Code.FAILED_PRECONDITION, notReady.getStatus().getCode());

        VolumeServiceGetNodeStatusResponse status =
                Eventually.awaitValue(Duration.ofSeconds(10), "n1 to report its capacity", () -> java.util.Optional.of(
                                n1.stub().getNodeStatus(status()))
                        .filter(VolumeServiceGetNodeStatusResponse::hasCapacity));
        assertEquals(n1.host, status.getHost());
        assertEquals(CLUSTER, status.getClusterName());
        assertEquals("life", status.getBackendName());
        assertEquals("in-memory", status.getDriverName());
        assertEquals("", status.getActiveBackendId());
        assertTrue(status.getLeaseAlive());
        assertFalse(status.getFenced());
        assertTrue(status.getCapabilities().getSupportsActiveActive());
        assertTrue(status.getCapabilities().getSupportsActiveActiveReplication());
        assertTrue(status.getCapacity().getTotalCapacityGb() > 0);
        assertTrue(status.hasStartedAt());

        List<MemberInfo> members = nodes.etcd().liveMembers(CLUSTER).members();
        assertEquals(
                List.of(n1.host, n2.host),
                members.stream().map(MemberInfo::host).sorted().toList());
        assertTrue(members.stream().allMatch(m -> m.epoch() == 0 && m.activeBackendId() == null));
        assertNotEquals(0, members.get(0).grpcAddress().length());
        Eventually.await(
                Duration.ofSeconds(10),
                "both members' capacity in etcd",
                () -> nodes.etcd().stats(CLUSTER).keySet().equals(java.util.Set.of(n1.host, n2.host)));
    }

    private UUID available(TestNodes.Node member, int serviceId) {
        UUID id = scheduler.place(CLUSTER, member.host, 1, serviceId);
        assertEquals(
                VolumeStatus.VOLUME_STATUS_AVAILABLE,
                member.stub().createVolume(create(id)).getVolume().getStatus());
        return id;
    }

    private int setFrozen(boolean frozen) {
        return ConditionalUpdate.table("clusters")
                .eq("name", CLUSTER)
                .eq("frozen", !frozen)
                .set("frozen", frozen)
                .execute(nodes.dataSource());
    }

    private static Status.Code deleteRacing(CountDownLatch go, TestNodes.Node member, UUID id) {
        try {
            go.await(10, TimeUnit.SECONDS);
            member.stub().deleteVolume(delete(id));
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.Code.CANCELLED;
        }
    }

    static VolumeServiceCreateVolumeRequest create(UUID id) {
        return VolumeServiceCreateVolumeRequest.newBuilder()
                .setVolumeId(id.toString())
                .build();
    }

    static VolumeServiceDeleteVolumeRequest delete(UUID id) {
        return VolumeServiceDeleteVolumeRequest.newBuilder()
                .setVolumeId(id.toString())
                .build();
    }

    static VolumeServiceExtendVolumeRequest extend(UUID id, int size) {
        return VolumeServiceExtendVolumeRequest.newBuilder()
                .setVolumeId(id.toString())
                .setNewSizeGb(size)
                .build();
    }

    static VolumeServiceInitializeConnectionRequest connect(UUID id) {
        return VolumeServiceInitializeConnectionRequest.newBuilder()
                .setVolumeId(id.toString())
                .build();
    }

    static VolumeServiceGetNodeStatusRequest status() {
        return VolumeServiceGetNodeStatusRequest.getDefaultInstance();
    }
}
