package io.tandem.volume;

import static io.tandem.volume.VolumeLifecycleTest.connect;
import static io.tandem.volume.VolumeLifecycleTest.create;
import static io.tandem.volume.VolumeLifecycleTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Client;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.driver.memory.Operation;
import io.tandem.membership.EpochRecord;
import io.tandem.membership.MemberInfo;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedResponse;
import io.tandem.proto.v1.VolumeServiceFreezeRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import io.tandem.testing.TestEtcd;
import io.tandem.volume.domain.node.NodeConvergence;
import io.tandem.volume.domain.node.NodeState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Steps 4 and 5 of the failover protocol on members of one cluster (in-memory driver with one replication target):
 * FailoverCompleted, the epoch-key watch, fencing by epoch and by replication-svc's {@code error} on the member's own
 * service row, and convergence at restart. replication-svc's commit is played by writing the rows (and the epoch key)
 * directly; every effect is read back from the RPCs, PostgreSQL and etcd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverConvergenceTest {
    private static final Duration CONVERGED = Duration.ofSeconds(15);
    private static final Map<String, Object> TARGETS = Map.of(
            "tandem.volume.replication-targets[0].backend-id", "secondary",
            "tandem.volume.replication-targets[0].location", "/site-b");

    private TestNodes nodes;
    private Scheduler scheduler;

    @BeforeAll
    void setUp() {
        nodes = new TestNodes("conv");
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
    void failoverCompletedSwitchesSiteEpochAndMemberKeyAndARepeatAnswersWithoutTheDriver() {
        String cluster = "c1@conv";
        try (TestNodes.Node n1 = nodes.start("n1", cluster, TARGETS);
                TestNodes.Node n2 = nodes.start("n2", cluster, TARGETS)) {
            scheduler.commit(cluster, 1, "secondary", "failed-over");

            VolumeServiceFailoverCompletedResponse acked = n1.stub().failoverCompleted(completed(7, "secondary", 1));
            assertEquals(1, acked.getServedEpoch());
            assertEquals("secondary", acked.getActiveBackendId());
            assertEquals(1, nodes.faults().calls(Operation.FAILOVER_COMPLETED));
            VolumeServiceGetNodeStatusResponse status = n1.stub().getNodeStatus(status());
            assertEquals(1, status.getServedEpoch());
            assertEquals("secondary", status.getActiveBackendId());
            assertEquals("/site-b", status.getActiveLocation());
            assertFalse(status.getFenced());
            MemberInfo key = nodes.etcd().member(cluster, n1.host).orElseThrow();
            assertEquals(1, key.epoch());
            assertEquals("secondary", key.activeBackendId());

            UUID id = scheduler.place(cluster, n1.host, 1, scheduler.serviceId(n1.host));
            assertEquals(
                    VolumeStatus.VOLUME_STATUS_AVAILABLE,
                    n1.stub().createVolume(create(id)).getVolume().getStatus());
            var connection = n1.stub().initializeConnection(connect(id));
            assertEquals("secondary", connection.getDataMap().get("site"));
            assertEquals(1, connection.getServedEpoch());

            VolumeServiceFailoverCompletedResponse again = n1.stub().failoverCompleted(completed(7, "secondary", 1));
            assertEquals(acked, again);
            assertEquals(1, nodes.faults().calls(Operation.FAILOVER_COMPLETED), "a repeat does not call the driver");

            // n2 has not heard of the commit (no epoch key was written): it is stale, until its own call.
            assertTrue(n2.stub().getNodeStatus(status()).getFenced());
            assertEquals(0, nodes.etcd().member(cluster, n2.host).orElseThrow().epoch());
            n2.stub().failoverCompleted(completed(7, "secondary", 1));
            assertFalse(n2.stub().getNodeStatus(status()).getFenced());
            assertEquals(1, nodes.etcd().member(cluster, n2.host).orElseThrow().epoch());
        }
    }

    @Test
    void aStaleOrUncommittedCallIsRefusedAndAStaleMemberRefusesManagementUntilItConverges() {
        String cluster = "c2@conv";
        try (TestNodes.Node n1 = nodes.start("n3", cluster, TARGETS)) {
            UUID before = scheduler.place(cluster, n1.host, 1, scheduler.serviceId(n1.host));
            scheduler.commit(cluster, 1, "secondary", "failed-over");

            // Committed but not yet completed here: the member is stale and refuses management calls.
            assertCode(Status.Code.FAILED_PRECONDITION, () -> n1.stub().createVolume(create(before)));
            assertCode(Status.Code.FAILED_PRECONDITION, () -> n1.stub()
                    .freeze(VolumeServiceFreezeRequest.getDefaultInstance()));
            assertTrue(n1.stub().getNodeStatus(status()).getFenced());

            assertCode(Status.Code.INVALID_ARGUMENT, () -> n1.stub().failoverCompleted(completed(1, "secondary", 0)));
            var otherSite = assertCode(
                    Status.Code.FAILED_PRECONDITION, () -> n1.stub().failoverCompleted(completed(1, "tertiary", 1)));
            assertTrue(
                    otherSite.getStatus().getDescription().contains("database holds epoch 1 on target secondary"),
                    otherSite.getStatus().getDescription());
            assertCode(
                    Status.Code.FAILED_PRECONDITION,
                    () -> n1.stub().failoverCompleted(completed(2, "secondary", 2)),
                    "an epoch not committed");
            assertCode(Status.Code.FAILED_PRECONDITION, () -> n1.stub().failoverCompleted(completed(1, "", 1)));
            assertEquals(0, nodes.faults().calls(Operation.FAILOVER_COMPLETED), "no refused call reached the driver");
            assertEquals(0, n1.stub().getNodeStatus(status()).getServedEpoch());

            n1.stub().failoverCompleted(completed(1, "secondary", 1));
            UUID after = scheduler.place(cluster, n1.host, 1, scheduler.serviceId(n1.host));
            assertEquals(
                    VolumeStatus.VOLUME_STATUS_AVAILABLE,
                    n1.stub().createVolume(create(after)).getVolume().getStatus());

            // A failback commits epoch 2; the member completes it; a late retry of epoch 1 is then refused.
            scheduler.commit(cluster, 2, null, "enabled");
            assertEquals(
                    2, n1.stub().failoverCompleted(completed(2, "default", 2)).getServedEpoch());
            var late = assertCode(
                    Status.Code.FAILED_PRECONDITION, () -> n1.stub().failoverCompleted(completed(1, "secondary", 1)));
            assertTrue(late.getStatus().getDescription().contains("already serves epoch 2"));
            assertEquals("", n1.stub().getNodeStatus(status()).getActiveBackendId());
        }
    }

    @Test
    void membersConvergeByThemselvesWhenTheEpochKeyMoves() {
        String cluster = "c3@conv";
        try (TestNodes.Node n1 = nodes.start("n4", cluster, TARGETS);
                TestNodes.Node n2 = nodes.start("n5", cluster, TARGETS)) {
            scheduler.commit(cluster, 1, "secondary", "failed-over");
            nodes.etcd().epochs().write(cluster, new EpochRecord(1, "secondary"));
            for (TestNodes.Node member : new TestNodes.Node[] {n1, n2}) {
                awaitServing(member, 1, "secondary");
                Eventually.await(CONVERGED, member.host + "'s key to carry epoch 1", () -> nodes.etcd()
                        .member(cluster, member.host)
                        .filter(m -> m.epoch() == 1 && "secondary".equals(m.activeBackendId()))
                        .isPresent());
            }
            assertEquals(2, nodes.faults().calls(Operation.FAILOVER_COMPLETED), "each member switched once");

            scheduler.commit(cluster, 2, null, "enabled");
            nodes.etcd().epochs().write(cluster, new EpochRecord(2, null));
            awaitServing(n1, 2, "");
            awaitServing(n2, 2, "");
            assertNull(nodes.etcd().member(cluster, n2.host).orElseThrow().activeBackendId());
        }
    }

    @Test
    void aDriverFailureInFailoverCompletedIsInternalAndLeavesTheMemberStaleUntilARetry() {
        String cluster = "c4@conv";
        try (TestNodes.Node n1 = nodes.start("n6", cluster, TARGETS)) {
            scheduler.commit(cluster, 1, "secondary", "failed-over");
            nodes.faults().failOnCall(Operation.FAILOVER_COMPLETED, 1);

            var failed =
                    assertCode(Status.Code.INTERNAL, () -> n1.stub().failoverCompleted(completed(3, "secondary", 1)));
            String message = failed.getStatus().getDescription();
            assertTrue(message.contains("Injected failure of failover-completed"), message);
            assertFalse(message.contains("\tat "), "no stack trace crosses the wire");
            VolumeServiceGetNodeStatusResponse status = n1.stub().getNodeStatus(status());
            assertEquals(0, status.getServedEpoch());
            assertTrue(status.getFenced());
            UUID id = scheduler.place(cluster, n1.host, 1, scheduler.serviceId(n1.host));
            assertCode(Status.Code.FAILED_PRECONDITION, () -> n1.stub().createVolume(create(id)));

            assertEquals(
                    1, n1.stub().failoverCompleted(completed(3, "secondary", 1)).getServedEpoch());
            assertEquals(
                    VolumeStatus.VOLUME_STATUS_AVAILABLE,
                    n1.stub().createVolume(create(id)).getVolume().getStatus());
        }
    }

    @Test
    void aFencedMemberRefusesManagementIgnoresTheEpochKeyAndConvergesOnRestart() {
        String cluster = "c5@conv";
        TestNodes.Node n1 = nodes.start("n7", cluster, TARGETS);
        TestNodes.Node n2 = nodes.start("n8", cluster, TARGETS);
        try {
            // replication-svc gave up on n2's acknowledgement (say the answer was lost): its row goes to error.
            scheduler.sql("UPDATE services SET replication_status = 'error' WHERE host = ?", n2.host);
            UUID id = scheduler.place(cluster, n2.host, 1, scheduler.serviceId(n2.host));
            var refused =
                    assertCode(Status.Code.FAILED_PRECONDITION, () -> n2.stub().createVolume(create(id)));
            assertTrue(
                    refused.getStatus().getDescription().contains("is fenced"),
                    refused.getStatus().getDescription());
            assertCode(Status.Code.FAILED_PRECONDITION, () -> n2.stub()
                    .freeze(VolumeServiceFreezeRequest.getDefaultInstance()));
            assertTrue(n2.stub().getNodeStatus(status()).getFenced());

            // A failover commits; n1 converges on the epoch key, the fenced n2 does not.
            scheduler.commit(cluster, 1, "secondary", "failed-over");
            scheduler.sql("UPDATE services SET replication_status = 'error' WHERE host = ?", n2.host);
            nodes.etcd().epochs().write(cluster, new EpochRecord(1, "secondary"));
            awaitServing(n1, 1, "secondary");
            Eventually.await(
                    CONVERGED,
                    "n2 to have seen epoch 1",
                    () -> n2.bean(NodeConvergence.class).newestEpochSeen() == 1);
            VolumeServiceGetNodeStatusResponse fenced = n2.stub().getNodeStatus(status());
            assertEquals(0, fenced.getServedEpoch());
            assertEquals("", fenced.getActiveBackendId());
            assertTrue(fenced.getFenced());
            assertEquals(0, nodes.etcd().member(cluster, n2.host).orElseThrow().epoch());
            assertEquals("error", scheduler.text("SELECT replication_status FROM services WHERE host = ?", n2.host));

            n2.close();
            TestNodes.Node restarted = nodes.start("n8", cluster, TARGETS);
            VolumeServiceGetNodeStatusResponse after = restarted.stub().getNodeStatus(status());
            assertEquals(1, after.getServedEpoch());
            assertEquals("secondary", after.getActiveBackendId());
            assertFalse(after.getFenced());
            assertEquals(
                    "failed-over", scheduler.text("SELECT replication_status FROM services WHERE host = ?", n2.host));
            assertEquals(1, nodes.etcd().member(cluster, n2.host).orElseThrow().epoch());
            // (The refused create's row was this member's leftover: its restart cleaned it up, to error.)
            UUID later = scheduler.place(cluster, n2.host, 1, scheduler.serviceId(n2.host));
            assertEquals(
                    VolumeStatus.VOLUME_STATUS_AVAILABLE,
                    restarted.stub().createVolume(create(later)).getVolume().getStatus());
            restarted.close();
        } finally {
            n1.close();
            n2.close();
        }
    }

    @Test
    void aMemberThatLostItsLeaseConvergesBeforeItRegistersAgain() throws Exception {
        String cluster = "c6@conv";
        try (TestNodes.Node n1 = nodes.start("n9", cluster, TARGETS);
                Client etcd =
                        Client.builder().endpoints(TestEtcd.shared().endpoint()).build()) {
            // Committed while nobody told n1 (no epoch key, no FailoverCompleted); then n1's lease goes.
            scheduler.commit(cluster, 1, "secondary", "failed-over");
            long lease = n1.bean(NodeState.class).registration().orElseThrow().leaseId();
            etcd.getLeaseClient().revoke(lease).get(10, TimeUnit.SECONDS);

            awaitServing(n1, 1, "secondary");
            MemberInfo key = Eventually.awaitValue(CONVERGED, "n1 registered again", () -> nodes.etcd()
                    .member(cluster, n1.host)
                    .filter(m -> n1.bean(NodeState.class)
                            .registration()
                            .map(r -> r.leaseId() != lease)
                            .orElse(false)));
            assertEquals(1, key.epoch(), "the new registration carries the epoch converged on");
            assertEquals("secondary", key.activeBackendId());
        }
    }

    private void awaitServing(TestNodes.Node member, long epoch, String active) {
        Eventually.awaitValue(CONVERGED, member.host + " to serve epoch " + epoch, () -> Optional.of(
                        member.stub().getNodeStatus(status()))
                .filter(s ->
                        s.getServedEpoch() == epoch && s.getActiveBackendId().equals(active) && !s.getFenced()));
    }

    static VolumeServiceFailoverCompletedRequest completed(long failoverId, String active, long epoch) {
        return VolumeServiceFailoverCompletedRequest.newBuilder()
                .setFailoverId(failoverId)
                .setActiveBackendId(active)
                .setEpoch(epoch)
                .build();
    }

    static StatusRuntimeException assertCode(Status.Code code, Executable call) {
        return assertCode(code, call, "");
    }

    static StatusRuntimeException assertCode(Status.Code code, Executable call, String why) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run, why);
        assertEquals(code, e.getStatus().getCode(), why + ": " + e.getStatus().getDescription());
        return e;
    }

    /** A call that may throw; JUnit's Executable declares Throwable, which stubs never need. */
    @FunctionalInterface
    interface Executable {
        void run();
    }
}
