package io.tandem.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.core.error.FrozenBackendException;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.proto.v1.DeleteVolumeRequest;
import io.tandem.proto.v1.DeleteVolumeResponse;
import io.tandem.proto.v1.ExtendVolumeRequest;
import io.tandem.proto.v1.VolumeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DeleteVolume and ExtendVolume per the protocol table: the compare-and-swap with its workers row decides between
 * concurrent requests (exactly one wins, once dispatched), frozen backends and wrong statuses are refused with
 * Cinder's messages, and without a live member nothing changes.
 */
class DeleteAndExtendTest {
    private static final String CLUSTER = "de@fs";
    private static final String HOST = "n1@de";
    private static final int RACERS = 16;

    private static SchedulerHarness harness;
    private static RecordingNode node;
    private static int serviceId;

    @BeforeAll
    static void start() {
        harness = SchedulerHarness.start(DeleteAndExtendTest.class, Map.of());
        node = new RecordingNode();
        harness.cluster(CLUSTER, 2);
        serviceId = harness.member(CLUSTER, HOST, 2, 100, node.address());
        harness.cluster("lonely@fs", 0);
    }

    @AfterAll
    static void stop() {
        harness.close();
        node.close();
    }

    @Test
    void concurrentDeletesExactlyOneWinsAndIsDispatchedOnce() throws Exception {
        VolumeRow volume = available(5);
        String id = volume.id().toString();

        List<Object> outcomes = race(() -> harness.client().deleteVolume(delete(id, "p1")));

        assertEquals(
                1,
                outcomes.stream().filter(o -> o instanceof DeleteVolumeResponse).count(),
                outcomes.toString());
        for (Object outcome : outcomes) {
            if (outcome instanceof StatusRuntimeException e) {
                assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
                assertEquals(
                        "Volume " + id + " is already being deleted.",
                        e.getStatus().getDescription());
            }
        }
        DeleteVolumeResponse won = (DeleteVolumeResponse) outcomes.stream()
                .filter(o -> o instanceof DeleteVolumeResponse)
                .findFirst()
                .orElseThrow();
        assertEquals(VolumeStatus.VOLUME_STATUS_DELETING, won.getVolume().getStatus());
        assertEquals("deleting", harness.volume(id).orElseThrow().status());
        WorkerRow worker = harness.worker(id).orElseThrow();
        assertEquals("deleting", worker.status());
        assertEquals(serviceId, worker.serviceId());
        harness.awaitDispatchesDone();
        assertEquals(1, node.callsFor(id).size());
        assertEquals("delete", node.callsFor(id).get(0).operation());
        assertEquals(2, node.callsFor(id).get(0).expectedEpoch());
    }

    @Test
    void concurrentExtendsExactlyOneWins() throws Exception {
        VolumeRow volume = available(5);
        String id = volume.id().toString();

        List<Object> outcomes = race(() -> harness.client().extendVolume(extend(id, 8)));

        assertEquals(1, outcomes.stream().filter(o -> !(o instanceof Throwable)).count(), outcomes.toString());
        for (Object outcome : outcomes) {
            if (outcome instanceof StatusRuntimeException e) {
                assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
                assertEquals(
                        "Volume " + id + " status must be available to extend, but current status is: extending.",
                        e.getStatus().getDescription());
            }
        }
        VolumeRow row = harness.volume(id).orElseThrow();
        assertEquals("extending", row.status());
        assertEquals(5, row.sizeGb(), "the size changes only when the member has extended");
        assertEquals("extending", harness.worker(id).orElseThrow().status());
        harness.awaitDispatchesDone();
        assertEquals(1, node.callsFor(id).size());
        assertEquals(8, node.callsFor(id).get(0).newSizeGb());
    }

    @Test
    void aFrozenBackendRefusesDeleteAndExtendAndNothingChanges() {
        harness.cluster("ice@fs", 0);
        harness.member("ice@fs", "n1@ice", 0, 100, node.address());
        VolumeRow volume = harness.insertVolume("p1", "ice@fs", "n1@ice", 1, "available", "v");
        String id = volume.id().toString();
        harness.sql("UPDATE clusters SET frozen = true WHERE name = 'ice@fs'");

        for (Runnable call :
                List.<Runnable>of(() -> harness.client().deleteVolume(delete(id, "p1")), () -> harness.client()
                        .extendVolume(extend(id, 2)))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertEquals(FrozenBackendException.MESSAGE, e.getStatus().getDescription());
        }
        assertEquals("available", harness.volume(id).orElseThrow().status());
        assertTrue(harness.worker(id).isEmpty());

        harness.sql("UPDATE clusters SET frozen = false WHERE name = 'ice@fs'");
        assertEquals(
                VolumeStatus.VOLUME_STATUS_DELETING,
                harness.client().deleteVolume(delete(id, "p1")).getVolume().getStatus(),
                "thawed: accepted again");
    }

    @Test
    void wrongStatusesAndSizesAreRefusedWithTheCurrentAndExpectedStatus() {
        VolumeRow creating = harness.insertVolume("p1", CLUSTER, HOST, 1, "creating", "c");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> harness.client()
                .deleteVolume(delete(creating.id().toString(), "p1")));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals(
                "Volume " + creating.id() + " status must be available or error or error_deleting or"
                        + " error_extending to delete, but current status is: creating.",
                e.getStatus().getDescription());

        VolumeRow broken = harness.insertVolume("p1", CLUSTER, HOST, 4, "error", "e");
        e = assertThrows(StatusRuntimeException.class, () -> harness.client()
                .extendVolume(extend(broken.id().toString(), 6)));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals(
                "Volume " + broken.id() + " status must be available to extend, but current status is: error.",
                e.getStatus().getDescription());

        VolumeRow ok = available(4);
        e = assertThrows(StatusRuntimeException.class, () -> harness.client()
                .extendVolume(extend(ok.id().toString(), 4)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(
                "New size for extend must be greater than current size. (current: 4, extended: 4).",
                e.getStatus().getDescription());

        e = assertThrows(StatusRuntimeException.class, () -> harness.client()
                .extendVolume(extend(ok.id().toString(), 500)));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(
                e.getStatus().getDescription().contains("not enough free capacity"),
                e.getStatus().toString());

        e = assertThrows(StatusRuntimeException.class, () -> harness.client()
                .deleteVolume(delete(ok.id().toString(), "p9")));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "another project's volume does not exist");
    }

    @Test
    void withoutALiveMemberNothingChangesAndTheCallerMayRetry() {
        VolumeRow volume = harness.insertVolume("p1", "lonely@fs", "gone@lonely", 1, "available", "l");
        String id = volume.id().toString();

        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class, () -> harness.client().deleteVolume(delete(id, "p1")));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("available", harness.volume(id).orElseThrow().status());
        assertTrue(harness.worker(id).isEmpty());
    }

    @Test
    void aVolumeThatNeverGotABackendIsDeletedAtOnce() {
        VolumeRow unplaced = harness.insertVolume("p1", null, null, 1, "error", "nowhere");
        String id = unplaced.id().toString();

        DeleteVolumeResponse response = harness.client().deleteVolume(delete(id, "p1"));

        assertFalse(response.hasVolume());
        assertTrue(harness.volume(id).isEmpty());
        StatusRuntimeException again = assertThrows(
                StatusRuntimeException.class, () -> harness.client().deleteVolume(delete(id, "p1")));
        assertEquals(Status.Code.NOT_FOUND, again.getStatus().getCode());
    }

    /** Runs {@code call} from {@link #RACERS} threads released at once; each outcome is a response or an error. */
    private static List<Object> race(Callable<Object> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                try {
                    return call.call();
                } catch (StatusRuntimeException e) {
                    return e;
                }
            }));
        }
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> future : futures) {
            outcomes.add(future.get());
        }
        pool.shutdown();
        return outcomes;
    }

    private static VolumeRow available(int sizeGb) {
        return harness.insertVolume("p1", CLUSTER, HOST, sizeGb, "available", "v-" + UUID.randomUUID());
    }

    private static DeleteVolumeRequest delete(String id, String project) {
        return DeleteVolumeRequest.newBuilder()
                .setVolumeId(id)
                .setProjectId(project)
                .build();
    }

    private static ExtendVolumeRequest extend(String id, int newSize) {
        return ExtendVolumeRequest.newBuilder()
                .setVolumeId(id)
                .setProjectId("p1")
                .setNewSizeGb(newSize)
                .build();
    }
}
