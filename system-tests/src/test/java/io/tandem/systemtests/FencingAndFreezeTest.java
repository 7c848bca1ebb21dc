package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.ThawRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceInitializeConnectionRequest;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fencing and freezing with real processes and the fault-injecting in-memory driver: a member whose driver fails
 * FailoverCompleted is reported in the journal, fenced (no work from the scheduler, management calls refused) and
 * converges when it restarts; a frozen cluster refuses creates, and a thaw the driver fails leaves the database
 * frozen.
 */
class FencingAndFreezeTest {
    private static final Duration START_DEADLINE = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String SECONDARY = "secondary";
    private static final String FENCE = "fence@mem";
    private static final String ICE = "ice@mem";

    private static Stack stack;
    private static Db db;
    private static ServiceProcess scheduler;
    private static ServiceProcess replication;
    private static final Map<String, ServiceProcess> nodes = new LinkedHashMap<>();

    @BeforeAll
    static void startTheStack() {
        stack = Stack.create(FencingAndFreezeTest.class);
        db = new Db(stack.dataSource());
        scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
        replication = stack.start(
                "replication",
                "replication",
                ServiceKind.REPLICATION,
                Map.of(
                        "TANDEM_REPLICATION_COMPLETE_ATTEMPTS", "3",
                        "TANDEM_REPLICATION_RETRY_INITIAL_DELAY", "100ms",
                        "TANDEM_REPLICATION_RETRY_MAX_DELAY", "200ms"));
        nodes.put("f1", node("f1", "f1", FENCE, null));
        nodes.put("f2", node("f2", "f2", FENCE, "fail.failover-completed.from-call=1"));
        nodes.put("i1", node("i1", "i1", ICE, "fail.thaw.from-call=1"));
        scheduler.awaitReady(START_DEADLINE);
        replication.awaitReady(START_DEADLINE);
        nodes.values().forEach(p -> p.awaitReady(START_DEADLINE));
        Eventually.await(
                START_DEADLINE,
                "every member live in etcd",
                () -> stack.membership().liveMembers(FENCE).members().size() == 2
                        && stack.membership().liveMembers(ICE).members().size() == 1);
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aMemberThatCannotSwitchIsFencedAndConvergesAfterRestart() {
        db.update("UPDATE clusters SET disabled = (name <> ?)", FENCE);
        String before = create("fence-before");
        Eventually.await(SETTLE, "volume " + before + " available", () -> db.text(
                        "SELECT status FROM volumes WHERE id = ?::uuid", before)
                .orElse("")
                .equals("available"));
        long id = replication()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(FENCE)
                        .setBackendId(SECONDARY)
                        .build())
                .getFailoverId();
        Eventually.await(SETTLE, "failover " + id + " final", () -> FailoverRows.isFinal(journal(id)));
        Failover row = journal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS, row.getPhase(), row.toString());
        FailoverMember f2 = member(row, "f2@mem");
        assertTrue(f2.getFenced(), row.toString());
        assertEquals(0, f2.getAckedEpoch());
        assertEquals(3, f2.getAttempts());
        assertTrue(!f2.getError().isEmpty(), row.toString());
        assertEquals(row.getEpoch(), member(row, "f1@mem").getAckedEpoch());
        assertEquals(
                "error",
                db.text("SELECT replication_status FROM services WHERE host = 'f2@mem'")
                        .orElseThrow());

        VolumeServiceGetNodeStatusResponse fenced = status(nodes.get("f2"));
        assertTrue(fenced.getFenced(), fenced.toString());
        assertEquals(row.getEpoch() - 1, fenced.getServedEpoch());
        StatusRuntimeException refused =
                assertThrows(StatusRuntimeException.class, () -> VolumeServiceGrpc.newBlockingStub(
                                nodes.get("f2").channel())
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .initializeConnection(VolumeServiceInitializeConnectionRequest.newBuilder()
                                .setVolumeId(before)
                                .build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode(), refused.toString());

        // The scheduler sends work only to the member serving the current epoch.
        for (int i = 0; i < 6; i++) {
            create("fence");
        }
        Eventually.await(
                SETTLE,
                "the creates done",
                () -> db.scalar("SELECT count(*) FROM volumes WHERE project_id = 'fence' AND status = 'available'")
                        == 6);
        assertEquals(
                Map.of("f1@mem", 6L),
                db.countBy("SELECT host, count(*) FROM volumes WHERE project_id = 'fence' GROUP BY host"));

        ServiceProcess f2Process = nodes.get("f2");
        f2Process.terminate();
        f2Process.awaitExit(Duration.ofSeconds(30));
        ServiceProcess restarted = node("f2-restarted", "f2", FENCE, null);
        nodes.put("f2", restarted);
        restarted.awaitReady(START_DEADLINE);
        VolumeServiceGetNodeStatusResponse converged = status(restarted);
        assertEquals(SECONDARY, converged.getActiveBackendId(), converged.toString());
        assertEquals(row.getEpoch(), converged.getServedEpoch());
        assertEquals(false, converged.getFenced(), converged.toString());
        assertEquals(
                "failed-over",
                db.text("SELECT replication_status FROM services WHERE host = 'f2@mem'")
                        .orElseThrow());
    }

    @Test
    void aFrozenClusterRefusesCreatesAndAFailedThawLeavesItFrozen() {
        replication().freeze(FreezeRequest.newBuilder().setCluster(ICE).build());
        assertEquals(
                "t", db.text("SELECT frozen FROM clusters WHERE name = ?", ICE).orElseThrow());

        db.update("UPDATE clusters SET disabled = (name <> ?)", ICE);
        String id = create("ice");
        Eventually.await(
                SETTLE, "the create refused", () -> db.text("SELECT status FROM volumes WHERE id = ?::uuid", id)
                        .orElse("")
                        .equals("error"));

        StatusRuntimeException thaw = assertThrows(StatusRuntimeException.class, () -> replication()
                .thaw(ThawRequest.newBuilder().setCluster(ICE).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, thaw.getStatus().getCode(), thaw.toString());
        assertTrue(
                thaw.getStatus().getDescription().contains("Backend reported error during thaw_host operation."),
                thaw.getStatus().getDescription());
        assertEquals(
                "t", db.text("SELECT frozen FROM clusters WHERE name = ?", ICE).orElseThrow());
        assertEquals(
                List.of("t"),
                List.of(db.text("SELECT bool_and(frozen) FROM services WHERE cluster_name = ?", ICE)
                        .orElseThrow()));
    }

    private static ServiceProcess node(String name, String node, String cluster, String faults) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_VOLUME_DRIVER", "in-memory");
        env.put("TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID", SECONDARY);
        env.put("TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION", "memory://" + SECONDARY);
        if (faults != null) {
            env.put("TANDEM_VOLUME_DRIVER_OPTION_PAIRS", faults);
        }
        return stack.startVolumeNode(name, node, cluster, "mem", env);
    }

    private static String create(String project) {
        var volume = SchedulerServiceGrpc.newBlockingStub(scheduler.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId(project)
                        .setSizeGb(1)
                        .build())
                .getVolume();
        assertTrue(
                volume.getStatus() == VolumeStatus.VOLUME_STATUS_CREATING
                        || volume.getStatus() == VolumeStatus.VOLUME_STATUS_ERROR,
                volume.toString());
        return volume.getId();
    }

    private static VolumeServiceGetNodeStatusResponse status(ServiceProcess node) {
        return VolumeServiceGrpc.newBlockingStub(node.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getNodeStatus(VolumeServiceGetNodeStatusRequest.getDefaultInstance());
    }

    private static FailoverMember member(Failover row, String host) {
        return row.getMembersList().stream()
                .filter(m -> m.getHost().equals(host))
                .findFirst()
                .orElseThrow(() -> new AssertionError(host + " not in " + row));
    }

    private static Failover journal(long id) {
        return replication()
                .getFailover(GetFailoverRequest.newBuilder().setId(id).build())
                .getFailover();
    }

    private static ReplicationServiceGrpc.ReplicationServiceBlockingStub replication() {
        return ReplicationServiceGrpc.newBlockingStub(replication.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
