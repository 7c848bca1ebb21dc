package io.tandem.replication;

import static io.tandem.replication.ServicesTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.DisableClusterRequest;
import io.tandem.proto.v1.EnableClusterRequest;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.ListClustersRequest;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTargetRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cinder's clusters API over gRPC against a running replication-svc: membership counts from the services rows, liveness
 * from the member keys in etcd, every filter of ListClusters, show, and enable/disable checked on the reloaded rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClustersTest {
    private ReplicationHarness harness;

    @BeforeAll
    void start() {
        harness = ReplicationHarness.start(Map.of());
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        harness.reset();
    }

    /**
     * c1: two members, n1 up. c2: one member, down, disabled, failed over to "sec" and frozen. c3: no member at all.
     * A standalone node and a scheduler exist too and belong to no cluster.
     */
    private void deployment() {
        harness.cluster("c1@fs");
        harness.cluster("c2@fs");
        harness.cluster("c3@fs");
        harness.service("n1@fs", "volume", "c1@fs");
        harness.service("n2@fs", "volume", "c1@fs");
        harness.service("m1@fs", "volume", "c2@fs");
        harness.service("solo@fs", "volume", null);
        harness.service("ctl", "scheduler", null);
        harness.sql("UPDATE clusters SET disabled = true, disabled_reason = 'maintenance',"
                + " replication_status = 'failed-over', active_backend_id = 'sec', frozen = true, epoch = 2"
                + " WHERE name = 'c2@fs'");
        harness.sql("UPDATE clusters SET replication_status = 'enabled' WHERE name = 'c1@fs'");
        harness.memberUp("n1@fs", "c1@fs", "127.0.0.1:1", 0);
        harness.memberUp("solo@fs", null, "127.0.0.1:1", 0);
    }

    private List<String> names(UnaryOperator<ListClustersRequest.Builder> filter) {
        return harness
                .stub()
                .listClusters(filter.apply(ListClustersRequest.newBuilder()).build())
                .getClustersList()
                .stream()
                .map(Cluster::getName)
                .toList();
    }

    @Test
    void listsEveryClusterWithMembersCountedFromRowsAndLivenessFromEtcd() {
        deployment();
        Instant before = Instant.now();
        List<Cluster> clusters = harness.stub()
                .listClusters(ListClustersRequest.getDefaultInstance())
                .getClustersList();

        assertEquals(
                List.of("c1@fs", "c2@fs", "c3@fs"),
                clusters.stream().map(Cluster::getName).toList());
        Cluster c1 = clusters.get(0);
        Cluster c2 = clusters.get(1);
        Cluster c3 = clusters.get(2);
        assertEquals(
                List.of(2, 1, 0), clusters.stream().map(Cluster::getNumHosts).toList());
        assertEquals(
                List.of(1, 1, 0),
                clusters.stream().map(Cluster::getNumDownHosts).toList());
        assertEquals(
                List.of(true, false, false),
                clusters.stream().map(Cluster::getIsUp).toList());

        assertFalse(toInstant(c1.getLastHeartbeat()).isBefore(before.minusSeconds(1)), "up: seen alive just now");
        ServiceRow m1 = harness.reloadService("m1@fs", "volume");
        assertEquals(m1.updatedAt(), toInstant(c2.getLastHeartbeat()), "down: its member's last registration");
        assertFalse(c3.hasLastHeartbeat(), "never seen");

        assertEquals("volume", c1.getBinary());
        assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, c1.getReplicationStatus());
        assertEquals("", c1.getActiveBackendId());
        assertTrue(c2.getDisabled());
        assertEquals("maintenance", c2.getDisabledReason());
        assertEquals(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER, c2.getReplicationStatus());
        assertEquals("sec", c2.getActiveBackendId());
        assertTrue(c2.getFrozen());
        assertEquals(2, c2.getEpoch());
        assertTrue(c2.hasCreatedAt() && c2.hasUpdatedAt());
    }

    @Test
    void everyFilterSelects() {
        deployment();
        assertEquals(List.of("c2@fs"), names(r -> r.setName("c2@fs")));
        assertEquals(List.of(), names(r -> r.setName("c9@fs")));
        assertEquals(List.of("c1@fs", "c2@fs", "c3@fs"), names(r -> r.setBinary("volume")));
        assertEquals(List.of("c1@fs", "c2@fs", "c3@fs"), names(r -> r.setBinary("cinder-volume")));
        assertEquals(List.of(), names(r -> r.setBinary("scheduler")));
        assertEquals(List.of("c1@fs"), names(r -> r.setIsUp(true)));
        assertEquals(List.of("c2@fs", "c3@fs"), names(r -> r.setIsUp(false)));
        assertEquals(List.of("c2@fs"), names(r -> r.setDisabled(true)));
        assertEquals(List.of("c1@fs", "c3@fs"), names(r -> r.setDisabled(false)));
        assertEquals(List.of("c1@fs"), names(r -> r.setNumHosts(2)));
        assertEquals(List.of("c3@fs"), names(r -> r.setNumHosts(0)));
        assertEquals(List.of("c1@fs", "c2@fs"), names(r -> r.setNumDownHosts(1)));
        assertEquals(List.of("c3@fs"), names(r -> r.setNumDownHosts(0)));
        assertEquals(
                List.of("c2@fs"), names(r -> r.setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER)));
        assertEquals(
                List.of("c3@fs"), names(r -> r.setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_NOT_CAPABLE)));
        assertEquals(
                List.of("c1@fs", "c2@fs", "c3@fs"),
                names(r -> r.setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED)),
                "UNSPECIFIED is no filter");
        assertEquals(List.of("c2@fs"), names(r -> r.setFrozen(true)));
        assertEquals(List.of("c1@fs", "c3@fs"), names(r -> r.setFrozen(false)));
        assertEquals(List.of("c2@fs"), names(r -> r.setActiveBackendId("sec")));
        assertEquals(List.of("c1@fs", "c3@fs"), names(r -> r.setActiveBackendId("")), "\"\" = the primary site");
        assertEquals(List.of("c1@fs"), names(r -> r.setIsUp(true).setNumHosts(2).setFrozen(false)), "filters AND");
        assertEquals(List.of(), names(r -> r.setIsUp(true).setDisabled(true)));
    }

    @Test
    void negativeCountsAreInvalidArgument() {
        assertCode(Status.Code.INVALID_ARGUMENT, () -> names(r -> r.setNumHosts(-1)));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> names(r -> r.setNumDownHosts(-1)));
    }

    @Test
    void showsOneClusterWithItsSites() {
        deployment();
        harness.sql("INSERT INTO replication_targets (scope, backend_id, location, role) VALUES"
                + " ('c1@fs', 'default', '/sites/a', 'primary'), ('c1@fs', 'sec', '/sites/b', 'target')");
        Cluster c1 = harness.stub()
                .getCluster(GetClusterRequest.newBuilder().setName("c1@fs").build())
                .getCluster();
        assertEquals("volume", c1.getBinary(), "binary defaults to volume");
        assertEquals(2, c1.getNumHosts());
        assertEquals(1, c1.getNumDownHosts());
        assertTrue(c1.getIsUp());
        assertEquals(2, c1.getReplicationTargetsCount());
        assertEquals(
                ReplicationTargetRole.REPLICATION_TARGET_ROLE_PRIMARY,
                c1.getReplicationTargets(0).getRole());
        assertEquals("", c1.getReplicationTargets(0).getBackendId());
        assertEquals("/sites/b", c1.getReplicationTargets(1).getLocation());

        Cluster byCinderName = harness.stub()
                .getCluster(GetClusterRequest.newBuilder()
                        .setName("c2@fs")
                        .setBinary("cinder-volume")
                        .build())
                .getCluster();
        assertEquals("c2@fs", byCinderName.getName());
    }

    @Test
    void anUnknownClusterIsNotFoundAndAMissingNameInvalid() {
        deployment();
        var e = assertCode(Status.Code.NOT_FOUND, () -> harness.stub()
                .getCluster(GetClusterRequest.newBuilder().setName("nope@fs").build()));
        assertEquals("Cluster nope@fs could not be found.", e.getStatus().getDescription());
        assertCode(Status.Code.NOT_FOUND, () -> harness.stub()
                .getCluster(GetClusterRequest.newBuilder()
                        .setName("c1@fs")
                        .setBinary("scheduler")
                        .build()));
        assertCode(Status.Code.NOT_FOUND, () -> harness.stub()
                .enableCluster(
                        EnableClusterRequest.newBuilder().setName("nope@fs").build()));
        assertCode(Status.Code.NOT_FOUND, () -> harness.stub()
                .disableCluster(
                        DisableClusterRequest.newBuilder().setName("nope@fs").build()));
        assertCode(
                Status.Code.INVALID_ARGUMENT, () -> harness.stub().getCluster(GetClusterRequest.getDefaultInstance()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .disableCluster(DisableClusterRequest.newBuilder()
                        .setName("c1@fs")
                        .setDisabledReason("x".repeat(256))
                        .build()));
        assertFalse(harness.reloadCluster("c1@fs").disabled(), "a refused disable changes nothing");
    }

    @Test
    void disableAndEnableChangeOnlyTheClusterRow() {
        deployment();
        Cluster disabled = harness.stub()
                .disableCluster(DisableClusterRequest.newBuilder()
                        .setName("c1@fs")
                        .setBinary("cinder-volume")
                        .setDisabledReason("for testing")
                        .build())
                .getCluster();
        assertTrue(disabled.getDisabled());
        assertEquals("for testing", disabled.getDisabledReason());
        assertEquals(2, disabled.getNumHosts(), "the answer is the full cluster view");
        ClusterRow row = harness.reloadCluster("c1@fs");
        assertTrue(row.disabled());
        assertEquals("for testing", row.disabledReason());
        assertFalse(harness.reloadService("n1@fs", "volume").disabled(), "members are not touched, as Cinder");
        assertFalse(harness.reloadService("n2@fs", "volume").disabled());

        Cluster enabled = harness.stub()
                .enableCluster(
                        EnableClusterRequest.newBuilder().setName("c1@fs").build())
                .getCluster();
        assertFalse(enabled.getDisabled());
        assertEquals("", enabled.getDisabledReason());
        row = harness.reloadCluster("c1@fs");
        assertFalse(row.disabled());
        assertNull(row.disabledReason());

        Cluster again = harness.stub()
                .enableCluster(
                        EnableClusterRequest.newBuilder().setName("c1@fs").build())
                .getCluster();
        assertFalse(again.getDisabled(), "enabling an enabled cluster is fine");
    }

    private static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
