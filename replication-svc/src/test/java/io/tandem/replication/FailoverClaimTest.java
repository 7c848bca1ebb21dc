package io.tandem.replication;

import static io.tandem.replication.ServicesTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FailoverResponse;
import io.tandem.proto.v1.TargetScope;
import io.tandem.replication.RecordingVolumeNode.Rpc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Step 1, the claim: every refusal replication.proto lists for Failover, answered at once and changing nothing, and
 * exactly one winner among concurrent requests for one cluster.
 */
class FailoverClaimTest extends TwoNodeHarnessTest {
    private FailoverResponse failover(String cluster, String backendId) {
        return harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(cluster)
                        .setBackendId(backendId)
                        .build());
    }

    /** A two-member cluster c@fs with targets b1 and b2, both members up at epoch 0. */
    private void twoMembers() {
        harness.replicatedCluster("c@fs", List.of("b1", "b2"), "n1@fs", "n2@fs");
        harness.member(nodeA, "n1@fs", "c@fs", 0);
        harness.member(nodeB, "n2@fs", "c@fs", 0);
    }

    private void assertNothingChanged(String status) {
        assertEquals(status, harness.reloadCluster("c@fs").replicationStatus());
        assertEquals(0L, (long) harness.value("SELECT count(*) FROM failovers", r -> r.getLong(1)));
        assertEquals(List.of(), nodeA.seen(Rpc.FAILOVER));
        assertEquals(List.of(), nodeB.seen(Rpc.FAILOVER));
    }

    @Test
    void neitherTargetOrAnUnknownOneIsAnInvalidArgument() {
        twoMembers();
        StatusRuntimeException none = assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .failover(FailoverRequest.newBuilder().setBackendId("b1").build()));
        assertEquals(
                "One and only one of cluster and host must be set.",
                none.getStatus().getDescription());
        StatusRuntimeException cluster = assertCode(Status.Code.INVALID_ARGUMENT, () -> failover("nope@fs", "b1"));
        assertEquals("Cluster nope@fs could not be found.", cluster.getStatus().getDescription());
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setHost("ghost@fs")
                        .setBackendId("b1")
                        .build()));
        assertNothingChanged("enabled");
    }

    @Test
    void aBackendIdThatIsNoTargetOrAnEmptyOneAmongSeveralIsAnInvalidArgument() {
        twoMembers();
        StatusRuntimeException unknown = assertCode(Status.Code.INVALID_ARGUMENT, () -> failover("c@fs", "b9"));
        assertTrue(
                unknown.getStatus().getDescription().contains("b1, b2"),
                unknown.getStatus().getDescription());
        StatusRuntimeException ambiguous = assertCode(Status.Code.INVALID_ARGUMENT, () -> failover("c@fs", ""));
        assertTrue(ambiguous.getStatus().getDescription().contains("several"));
        assertNothingChanged("enabled");
    }

    @Test
    void theActiveBackendIsAFailedPrecondition() {
        twoMembers();
        StatusRuntimeException primary = assertCode(Status.Code.FAILED_PRECONDITION, () -> failover("c@fs", "default"));
        assertEquals(
                "Backend default is already active for c@fs.",
                primary.getStatus().getDescription());
        harness.sql("UPDATE clusters SET replication_status = 'failed-over', active_backend_id = 'b1'");
        assertCode(Status.Code.FAILED_PRECONDITION, () -> failover("c@fs", "b1"));
        assertNothingChanged("failed-over");
    }

    @Test
    void aStatusThatDoesNotAllowItIsAFailedPreconditionInCindersWords() {
        twoMembers();
        for (String status : List.of("disabled", "failing-over", "error", "updating", "enabling", "disabling")) {
            harness.sql("UPDATE clusters SET replication_status = ?", status);
            StatusRuntimeException refused = assertCode(Status.Code.FAILED_PRECONDITION, () -> failover("c@fs", "b1"));
            assertEquals(
                    "replication_status in c@fs must be enabled, failed-over or failover-error and up to failover.",
                    refused.getStatus().getDescription(),
                    status);
            assertNothingChanged(status);
        }
        harness.sql("UPDATE clusters SET replication_status = 'not-capable'");
        StatusRuntimeException notCapable = assertCode(Status.Code.FAILED_PRECONDITION, () -> failover("c@fs", "b1"));
        assertTrue(notCapable.getStatus().getDescription().contains("not capable"));
        assertNothingChanged("not-capable");
    }

    @Test
    void noLiveMemberIsAFailedPrecondition() {
        harness.replicatedCluster("c@fs", List.of("b1"), "n1@fs", "n2@fs");
        StatusRuntimeException refused = assertCode(Status.Code.FAILED_PRECONDITION, () -> failover("c@fs", "b1"));
        assertEquals(
                "No member of c@fs is up to run the failover.",
                refused.getStatus().getDescription());
        assertNothingChanged("enabled");
    }

    @Test
    void anUnfinishedFailoverRefusesANewOneUntilItEnds() {
        twoMembers();
        nodeA.hold(Rpc.FAILOVER);
        nodeB.hold(Rpc.FAILOVER);
        FailoverResponse first = failover("c@fs", "b1");
        StatusRuntimeException second = assertCode(Status.Code.FAILED_PRECONDITION, () -> failover("c@fs", "b2"));
        assertTrue(
                second.getStatus().getDescription().startsWith("An unfinished failover (id " + first.getFailoverId()),
                second.getStatus().getDescription());
        nodeA.release(Rpc.FAILOVER);
        nodeB.release(Rpc.FAILOVER);
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_COMPLETED,
                harness.awaitFinal(first.getFailoverId()).getPhase());
        // Finished rows block nothing: b1 -> b2 is allowed from failed-over.
        FailoverResponse third = failover("c@fs", "b2");
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_COMPLETED,
                harness.awaitFinal(third.getFailoverId()).getPhase());
        assertEquals("b2", harness.reloadCluster("c@fs").activeBackendId());
    }

    @Test
    void aFrozenClusterMayFailOverAndAnEmptyBackendIdNamesTheOnlyTarget() {
        harness.replicatedCluster("solo@fs", List.of("b1"), "s1@fs");
        harness.member(nodeA, "s1@fs", "solo@fs", 0);
        harness.sql("UPDATE clusters SET frozen = true");
        harness.sql("UPDATE services SET frozen = true");

        FailoverResponse claimed = harness.stub()
                .failover(FailoverRequest.newBuilder().setHost("s1@fs").build());

        assertEquals(FailoverKind.FAILOVER_KIND_FAILOVER, claimed.getFailover().getKind());
        assertEquals(
                TargetScope.TARGET_SCOPE_CLUSTER,
                claimed.getFailover().getScope(),
                "a clustered host stands for its cluster");
        assertEquals("solo@fs", claimed.getFailover().getTarget());
        assertEquals("b1", claimed.getFailover().getToBackendId());
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_COMPLETED,
                harness.awaitFinal(claimed.getFailoverId()).getPhase());
        assertTrue(harness.reloadCluster("solo@fs").frozen(), "a failover leaves the frozen flag alone");
    }

    /**
     * 2 to 8 requests for one cluster at once, over 14 rounds (failover and failback in turn): exactly one claims;
     * the others are refused with FAILED_PRECONDITION, and exactly one journal row is added per round.
     */
    @Test
    void concurrentRequestsForOneClusterClaimExactlyOnce() throws Exception {
        twoMembers();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 14; round++) {
                int requests = 2 + round % 7;
                String target = round % 2 == 0 ? "b1" : "default";
                // Holding the promote keeps the winner's row unfinished until every request has been answered.
                nodeA.hold(Rpc.FAILOVER);
                nodeB.hold(Rpc.FAILOVER);
                CyclicBarrier start = new CyclicBarrier(requests);
                List<Future<Object>> answers = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    answers.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        try {
                            return failover("c@fs", target);
                        } catch (StatusRuntimeException e) {
                            return e.getStatus().getCode();
                        }
                    }));
                }
                List<FailoverResponse> won = new ArrayList<>();
                List<Object> refused = new ArrayList<>();
                for (Future<Object> answer : answers) {
                    Object result = answer.get(60, TimeUnit.SECONDS);
                    if (result instanceof FailoverResponse response) {
                        won.add(response);
                    } else {
                        refused.add(result);
                    }
                }
                assertEquals(1, won.size(), "round " + round + " with " + requests + " requests: " + refused);
                assertEquals(
                        Collections.nCopies(requests - 1, Status.Code.FAILED_PRECONDITION), refused, "round " + round);
                assertEquals(
                        round + 1L,
                        (long) harness.value("SELECT count(*) FROM failovers", r -> r.getLong(1)),
                        "one journal row per round");
                nodeA.release(Rpc.FAILOVER);
                nodeB.release(Rpc.FAILOVER);
                assertEquals(
                        FailoverPhase.FAILOVER_PHASE_COMPLETED,
                        harness.awaitFinal(won.get(0).getFailoverId()).getPhase(),
                        "round " + round);
                assertEquals(round + 1L, harness.reloadCluster("c@fs").epoch());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
