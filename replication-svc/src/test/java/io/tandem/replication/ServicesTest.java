package io.tandem.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.membership.Registration;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.DisableServiceRequest;
import io.tandem.proto.v1.EnableServiceRequest;
import io.tandem.proto.v1.ListServicesRequest;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTargetRole;
import io.tandem.proto.v1.Service;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * os-services over gRPC against a running replication-svc: listing with its filters, up/down read from the etcd keys
 * the services hold, the replication fields taken from the cluster row for clustered services, and enable/disable
 * checked on the reloaded rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServicesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

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

    /** Two clustered volume nodes (n1 up), a standalone one (up), a scheduler (up) and an api service (down). */
    private void deployment() {
        harness.cluster("c1@fs");
        harness.service("n1@fs", "volume", "c1@fs");
        harness.service("n2@fs", "volume", "c1@fs");
        harness.service("solo@fs2", "volume", null);
        harness.service("ctl", "scheduler", null);
        harness.service("ctl", "api", null);
        harness.sql("UPDATE clusters SET epoch = 3 WHERE name = 'c1@fs'");
        harness.memberUp("n1@fs", "c1@fs", "127.0.0.1:1", 3);
        // n2's key under the non-clustered segment does not make the clustered n2 up: the key path must match.
        harness.memberUp("n2@fs", null, "127.0.0.1:1", 3);
        harness.memberUp("solo@fs2", null, "127.0.0.1:1", 0);
        harness.serviceUp("scheduler", "ctl");
    }

    private List<Service> list(ListServicesRequest request) {
        return harness.stub().listServices(request).getServicesList();
    }

    private static List<String> names(List<Service> services) {
        return services.stream().map(s -> s.getHost() + "/" + s.getBinary()).toList();
    }

    @Test
    void listsEveryServiceByHostThenBinaryWithUpAndDownFromEtcd() {
        deployment();
        List<Service> services = list(ListServicesRequest.getDefaultInstance());

        assertEquals(
                List.of("ctl/api", "ctl/scheduler", "n1@fs/volume", "n2@fs/volume", "solo@fs2/volume"),
                names(services));
        assertEquals(
                List.of(false, true, true, false, true),
                services.stream().map(Service::getIsUp).toList());
        Service n1 = services.get(2);
        assertEquals("c1@fs", n1.getClusterName());
        assertEquals(3, n1.getServedEpoch(), "the epoch n1 says it serves, from its member key");
        assertEquals(0, services.get(3).getServedEpoch(), "a down node serves nothing");
        assertEquals("", services.get(4).getClusterName());
        assertTrue(n1.hasCreatedAt() && n1.hasUpdatedAt());
        assertEquals(harness.reloadService("n1@fs", "volume").id(), n1.getId());
    }

    @Test
    void filtersByHostAndByBinaryInEitherSpelling() {
        deployment();
        assertEquals(List.of("n1@fs/volume"), names(list(req("n1@fs", null))));
        assertEquals(List.of("n1@fs/volume", "n2@fs/volume", "solo@fs2/volume"), names(list(req(null, "volume"))));
        assertEquals(
                List.of("n1@fs/volume", "n2@fs/volume", "solo@fs2/volume"), names(list(req(null, "cinder-volume"))));
        assertEquals(List.of("ctl/scheduler"), names(list(req(null, "cinder-scheduler"))));
        assertEquals(List.of("ctl/scheduler"), names(list(req("ctl", "scheduler"))));
        assertEquals(List.of(), names(list(req(null, "cinder-backup"))), "a binary Tandem does not have");
        assertEquals(List.of(), names(list(req("nobody", null))));
    }

    @Test
    void upAndDownFollowTheKeysAsTheyComeAndGo() {
        harness.service("n9@fs", "volume", "c9@fs");
        harness.cluster("c9@fs");
        assertFalse(list(req("n9@fs", null)).get(0).getIsUp());

        Registration n9 = harness.memberUp("n9@fs", "c9@fs", "127.0.0.1:1", 0);
        assertTrue(list(req("n9@fs", null)).get(0).getIsUp());

        n9.close(); // revokes the lease: the key goes at once, as when a node stops cleanly
        Eventually.await(DEADLINE, "n9 shown down after its lease was revoked", () -> !list(req("n9@fs", null))
                .get(0)
                .getIsUp());
    }

    @Test
    void replicationFieldsComeFromTheClusterRowForClusteredServicesAndFromTheirOwnRowOtherwise() {
        deployment();
        // The cluster failed over while n1's own copy still says enabled (as for a member that was down then).
        harness.sql("UPDATE clusters SET replication_status = 'failed-over', active_backend_id = 'sec', frozen = true"
                + " WHERE name = 'c1@fs'");
        harness.sql("UPDATE services SET replication_status = 'enabled' WHERE host = 'n1@fs'");
        harness.sql("UPDATE services SET replication_status = 'failover-error', active_backend_id = 'site2',"
                + " frozen = true WHERE host = 'solo@fs2'");
        harness.sql("INSERT INTO replication_targets (scope, backend_id, location, role) VALUES"
                + " ('solo@fs2', 'default', '/sites/a', 'primary'), ('solo@fs2', 'site2', '/sites/b', 'target'),"
                + " ('c1@fs', 'sec', '/sites/c', 'target')");

        List<Service> services = list(ListServicesRequest.getDefaultInstance());
        Service scheduler = services.get(1);
        Service n1 = services.get(2);
        Service solo = services.get(4);

        assertEquals(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER, n1.getReplicationStatus());
        assertEquals("sec", n1.getActiveBackendId());
        assertTrue(n1.getFrozen());
        assertEquals(0, n1.getReplicationTargetsCount(), "a clustered service's sites are its cluster's");

        assertEquals(ReplicationStatus.REPLICATION_STATUS_FAILOVER_ERROR, solo.getReplicationStatus());
        assertEquals("site2", solo.getActiveBackendId());
        assertTrue(solo.getFrozen());
        assertEquals(2, solo.getReplicationTargetsCount());
        assertEquals("", solo.getReplicationTargets(0).getBackendId(), "the primary is never called 'default'");
        assertEquals(
                ReplicationTargetRole.REPLICATION_TARGET_ROLE_PRIMARY,
                solo.getReplicationTargets(0).getRole());
        assertEquals("site2", solo.getReplicationTargets(1).getBackendId());

        assertEquals(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED, scheduler.getReplicationStatus());
        assertEquals("", scheduler.getActiveBackendId());
    }

    @Test
    void disableAndEnableReallyChangeTheRow() {
        deployment();
        Service disabled = harness.stub()
                .disableService(DisableServiceRequest.newBuilder()
                        .setHost("n1@fs")
                        .setBinary("cinder-volume")
                        .setDisabledReason("maintenance")
                        .build())
                .getService();
        assertTrue(disabled.getDisabled());
        assertEquals("maintenance", disabled.getDisabledReason());
        assertTrue(disabled.getIsUp());
        ServiceRow row = harness.reloadService("n1@fs", "volume");
        assertTrue(row.disabled());
        assertEquals("maintenance", row.disabledReason());
        assertFalse(harness.reloadCluster("c1@fs").disabled(), "the cluster row is not touched");

        Service enabled = harness.stub()
                .enableService(EnableServiceRequest.newBuilder()
                        .setHost("n1@fs")
                        .setBinary("volume")
                        .build())
                .getService();
        assertFalse(enabled.getDisabled());
        assertEquals("", enabled.getDisabledReason());
        row = harness.reloadService("n1@fs", "volume");
        assertFalse(row.disabled());
        assertNull(row.disabledReason());

        harness.stub()
                .disableService(DisableServiceRequest.newBuilder()
                        .setHost("ctl")
                        .setBinary("scheduler")
                        .build());
        assertTrue(harness.reloadService("ctl", "scheduler").disabled());
        assertNull(harness.reloadService("ctl", "scheduler").disabledReason(), "no reason given, none stored");
        assertFalse(harness.reloadService("ctl", "api").disabled(), "only the named binary on that host");
    }

    @Test
    void anUnknownServiceIsNotFound() {
        deployment();
        StatusRuntimeException unknownHost = assertCode(Status.Code.NOT_FOUND, () -> harness.stub()
                .enableService(EnableServiceRequest.newBuilder()
                        .setHost("ghost@fs")
                        .setBinary("volume")
                        .build()));
        assertEquals(
                "Service volume could not be found on host ghost@fs.",
                unknownHost.getStatus().getDescription());
        assertCode(Status.Code.NOT_FOUND, () -> harness.stub()
                .disableService(DisableServiceRequest.newBuilder()
                        .setHost("n1@fs")
                        .setBinary("scheduler")
                        .build()));
        assertCode(Status.Code.NOT_FOUND, () -> harness.stub()
                .disableService(DisableServiceRequest.newBuilder()
                        .setHost("n1@fs")
                        .setBinary("cinder-backup")
                        .build()));
    }

    @Test
    void malformedRequestsAreInvalidArgument() {
        deployment();
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .enableService(
                        EnableServiceRequest.newBuilder().setBinary("volume").build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .enableService(
                        EnableServiceRequest.newBuilder().setHost("n1@fs").build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .disableService(DisableServiceRequest.newBuilder()
                        .setHost("n1@fs")
                        .setBinary("volume")
                        .setDisabledReason("x".repeat(256))
                        .build()));
        assertFalse(harness.reloadService("n1@fs", "volume").disabled(), "a refused disable changes nothing");
    }

    private static ListServicesRequest req(String host, String binary) {
        ListServicesRequest.Builder request = ListServicesRequest.newBuilder();
        if (host != null) {
            request.setHost(host);
        }
        if (binary != null) {
            request.setBinary(binary);
        }
        return request.build();
    }

    static StatusRuntimeException assertCode(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), () -> "status " + e.getStatus());
        return e;
    }
}
