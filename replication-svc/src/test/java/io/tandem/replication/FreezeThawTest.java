package io.tandem.replication;

import static io.tandem.replication.ServicesTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.ThawRequest;
import io.tandem.proto.v1.VolumeServiceFreezeRequest;
import io.tandem.proto.v1.VolumeServiceThawRequest;
import io.tandem.replication.RecordingVolumeNode.Rpc;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Freeze (the flag first, then one member's driver) and thaw (one member's driver first, the flag only if it
 * succeeded, so a failed thaw leaves the database frozen), for a cluster and a non-clustered host.
 */
class FreezeThawTest extends TwoNodeHarnessTest {
    @BeforeEach
    void setUpCluster() {
        harness.replicatedCluster("c@fs", List.of("b1"), "n1@fs", "n2@fs");
        harness.sql("UPDATE clusters SET epoch = 4");
        harness.sql("UPDATE services SET epoch = 4");
    }

    private void freeze() {
        harness.stub().freeze(FreezeRequest.newBuilder().setCluster("c@fs").build());
    }

    private void thaw() {
        harness.stub().thaw(ThawRequest.newBuilder().setCluster("c@fs").build());
    }

    private boolean frozen() {
        boolean cluster = harness.reloadCluster("c@fs").frozen();
        assertEquals(cluster, harness.reloadService("n1@fs", "volume").frozen(), "services follow the cluster");
        assertEquals(cluster, harness.reloadService("n2@fs", "volume").frozen(), "services follow the cluster");
        return cluster;
    }

    @Test
    void freezeSetsTheFlagOnTheClusterAndItsServicesThenTellsOneMemberAndIsNotIdempotent() {
        harness.memberUp("n1@fs", "c@fs", nodeA.address(), 4);
        harness.memberUp("n2@fs", "c@fs", nodeB.address(), 4);

        freeze();

        assertTrue(frozen());
        List<VolumeServiceFreezeRequest> told = nodeA.requests(Rpc.FREEZE);
        assertEquals(1, told.size() + nodeB.requests(Rpc.FREEZE).size(), "one member's driver is told");
        assertEquals(4, told.get(0).getExpectedEpoch());
        assertTrue(nodeA.seen(Rpc.FREEZE).get(0).hadDeadline());
        StatusRuntimeException again = assertCode(Status.Code.FAILED_PRECONDITION, this::freeze);
        assertEquals(
                "frozen in c@fs must be False to freeze.", again.getStatus().getDescription());
    }

    @Test
    void freezeSucceedsWhenTheDriverFailsOrNoMemberIsUpBecauseTheFlagIsWhatRefuses() {
        harness.memberUp("n1@fs", "c@fs", nodeA.address(), 4);
        nodeA.fail(Rpc.FREEZE, Status.INTERNAL.withDescription("array busy"));
        freeze();
        assertTrue(frozen());

        harness.reset();
        harness.replicatedCluster("c@fs", List.of("b1"), "n1@fs", "n2@fs");
        freeze();
        assertTrue(frozen());
    }

    @Test
    void aFailedThawLeavesTheDatabaseFrozen() {
        harness.memberUp("n1@fs", "c@fs", nodeA.address(), 4);
        freeze();
        nodeA.fail(Rpc.THAW, Status.INTERNAL.withDescription("array refused"));

        StatusRuntimeException failed = assertCode(Status.Code.FAILED_PRECONDITION, this::thaw);

        assertEquals(
                "Backend reported error during thaw_host operation.",
                failed.getStatus().getDescription());
        assertTrue(frozen());
        nodeA.heal(Rpc.THAW);
        thaw();
        assertFalse(frozen());
        List<VolumeServiceThawRequest> calls = nodeA.requests(Rpc.THAW);
        assertEquals(2, calls.size());
        assertEquals(4, calls.get(1).getExpectedEpoch());
        StatusRuntimeException again = assertCode(Status.Code.FAILED_PRECONDITION, this::thaw);
        assertEquals("frozen in c@fs must be True to thaw.", again.getStatus().getDescription());
    }

    @Test
    void thawAsksTheNextMemberWhenOneIsUnavailableAndIsUnavailableWithoutAnyWhileStayingFrozen() {
        freeze();
        StatusRuntimeException nobody = assertCode(Status.Code.UNAVAILABLE, this::thaw);
        assertTrue(nobody.getStatus().getDescription().contains("still frozen"));
        assertTrue(frozen());

        harness.memberUp("n1@fs", "c@fs", nodeA.address(), 4);
        harness.memberUp("n2@fs", "c@fs", nodeB.address(), 4);
        nodeA.fail(Rpc.THAW, Status.UNAVAILABLE.withDescription("not serving"));
        thaw();
        assertFalse(frozen());
        assertEquals(1, nodeA.seen(Rpc.THAW).size());
        assertEquals(1, nodeB.seen(Rpc.THAW).size());
    }

    @Test
    void aNonClusteredHostAndAClusteredHostAreTheirScopes() {
        harness.replicatedHost("solo@fs", List.of("b1"));
        harness.memberUp("solo@fs", null, nodeA.address(), 0);
        harness.stub().freeze(FreezeRequest.newBuilder().setHost("solo@fs").build());
        assertTrue(harness.reloadService("solo@fs", "volume").frozen());
        assertFalse(harness.reloadCluster("c@fs").frozen());
        harness.stub().thaw(ThawRequest.newBuilder().setHost("solo@fs").build());
        assertFalse(harness.reloadService("solo@fs", "volume").frozen());
        assertEquals(1, nodeA.seen(Rpc.THAW).size());

        harness.stub().freeze(FreezeRequest.newBuilder().setHost("n2@fs").build());
        assertTrue(frozen(), "a clustered host stands for its cluster");
    }

    @Test
    void neitherTargetOrAnUnknownOneIsAnInvalidArgument() {
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub().freeze(FreezeRequest.getDefaultInstance()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub().thaw(ThawRequest.getDefaultInstance()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .freeze(FreezeRequest.newBuilder().setCluster("nope@fs").build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .thaw(ThawRequest.newBuilder().setHost("ghost@fs").build()));
        assertFalse(frozen());
    }
}
