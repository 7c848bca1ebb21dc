package io.tandem.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CreateVolume's contract: the two rows written together and the row returned at once, the dispatch carrying the
 * request id and the epoch, idempotency on the client's id (also under concurrency), and validation naming the field.
 */
class CreateVolumeTest {
    private static final String CLUSTER = "one@fs";

    private static SchedulerHarness harness;
    private static RecordingNode node;
    private static int serviceId;

    @BeforeAll
    static void start() {
        harness = SchedulerHarness.start(CreateVolumeTest.class, Map.of());
        node = new RecordingNode();
        harness.cluster(CLUSTER, 4);
        harness.sql("UPDATE clusters SET replication_status = 'enabled' WHERE name = ?", CLUSTER);
        serviceId = harness.member(CLUSTER, "n1@one", 4, 1000, node.address());
    }

    @AfterAll
    static void stop() {
        harness.close();
        node.close();
    }

    @Test
    void writesTheVolumeWithItsWorkersRowReturnsItAtOnceAndDispatchesWithTheRequestId() {
        String requestId = "req-" + UUID.randomUUID();
        Volume volume = harness.client(requestId)
                .createVolume(
                        request(null, "p1", 3).setName("db").setUserId("alice").build())
                .getVolume();

        assertEquals(VolumeStatus.VOLUME_STATUS_CREATING, volume.getStatus());
        assertEquals(CLUSTER, volume.getClusterName());
        assertEquals("n1@one", volume.getHost());
        assertEquals("db", volume.getName());
        assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, volume.getReplicationStatus());
        VolumeRow row = harness.volume(volume.getId()).orElseThrow();
        assertEquals("creating", row.status());
        assertEquals("p1", row.projectId());
        WorkerRow worker = harness.worker(volume.getId()).orElseThrow();
        assertEquals("creating", worker.status());
        assertEquals(serviceId, worker.serviceId());
        Eventually.await(SchedulerHarness.WAIT, "the create to reach the member", () -> !node.callsFor(volume.getId())
                .isEmpty());
        RecordingNode.Call call = node.callsFor(volume.getId()).get(0);
        assertEquals("create", call.operation());
        assertEquals(requestId, call.requestId(), "the request id travels to the member");
        assertEquals(4, call.expectedEpoch(), "the member is asked to serve the epoch placement saw");
    }

    @Test
    void aRepeatedIdReturnsTheExistingRowAndDispatchesNothingMore() {
        String id = UUID.randomUUID().toString();
        Volume first =
                harness.client().createVolume(request(id, "p1", 2).build()).getVolume();
        harness.awaitDispatchesDone();
        harness.sql("UPDATE volumes SET status = 'available' WHERE id = ?::uuid", id);

        Volume again =
                harness.client().createVolume(request(id, "p1", 2).build()).getVolume();

        assertEquals(first.getId(), again.getId());
        assertEquals(VolumeStatus.VOLUME_STATUS_AVAILABLE, again.getStatus(), "the row as it is now");
        harness.awaitDispatchesDone();
        assertEquals(1, node.callsFor(id).size());
    }

    @Test
    void theSameIdWithAnotherProjectOrSizeIsAlreadyExists() {
        String id = UUID.randomUUID().toString();
        harness.client().createVolume(request(id, "p1", 2).build());

        assertCode(Status.Code.ALREADY_EXISTS, request(id, "p1", 3));
        assertCode(Status.Code.ALREADY_EXISTS, request(id, "p2", 2));
    }

    @Test
    void concurrentCreatesWithOneIdWriteOneVolumeAndOneWorkersRow() throws Exception {
        String id = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Volume>> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            results.add(pool.submit(() ->
                    harness.client().createVolume(request(id, "p1", 1).build()).getVolume()));
        }
        Set<String> ids = new HashSet<>();
        for (Future<Volume> result : results) {
            ids.add(result.get().getId());
        }
        pool.shutdown();

        assertEquals(Set.of(id), ids);
        harness.awaitDispatchesDone();
        assertEquals(1, node.callsFor(id).size(), "exactly one create reached a member");
        assertEquals(1, harness.count("SELECT count(*) FROM volumes WHERE id = ?::uuid", id));
        assertEquals(1, harness.count("SELECT count(*) FROM workers WHERE resource_id = ?", id));
    }

    @Test
    void invalidRequestsNameTheField() {
        Map<String, CreateVolumeRequest.Builder> cases = Map.of(
                "size_gb", request(null, "p1", 0),
                "project_id", request(null, "", 1),
                "volume_id", request("not-a-uuid", "p1", 1),
                "name", request(null, "p1", 1).setName("n".repeat(256)),
                "description", request(null, "p1", 1).setDescription("d".repeat(256)));
        cases.forEach((field, request) -> {
            StatusRuntimeException e = assertCode(Status.Code.INVALID_ARGUMENT, request);
            assertTrue(
                    e.getStatus().getDescription().startsWith(field),
                    e.getStatus().getDescription());
        });
        // 255 characters, multi-byte included, are within Cinder's limit.
        Volume ok = harness.client()
                .createVolume(request(null, "p1", 1).setName("é".repeat(255)).build())
                .getVolume();
        assertEquals(255, ok.getName().length());
    }

    private static CreateVolumeRequest.Builder request(String id, String project, int sizeGb) {
        CreateVolumeRequest.Builder builder =
                CreateVolumeRequest.newBuilder().setProjectId(project).setSizeGb(sizeGb);
        if (id != null) {
            builder.setVolumeId(id);
        }
        return builder;
    }

    private static StatusRuntimeException assertCode(Status.Code code, CreateVolumeRequest.Builder request) {
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class, () -> harness.client().createVolume(request.build()));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return e;
    }
}
