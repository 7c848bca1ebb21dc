package io.tandem.volume;

import static io.tandem.volume.VolumeLifecycleTest.create;
import static io.tandem.volume.VolumeLifecycleTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.tandem.core.error.TandemException;
import io.tandem.driver.fs.SharedFilesystemDriver;
import io.tandem.driver.memory.Hang;
import io.tandem.driver.memory.Operation;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.Migrations;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The start sequence of ARCHITECTURE.md ("Volume service start"), observed from outside the node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeStartupTest {
    private static final String CLUSTER = "c1@boot";

    private TestNodes nodes;
    private Scheduler scheduler;

    @BeforeAll
    void setUp() {
        nodes = new TestNodes("boot");
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
    void targetsEnableReplicationAtStartAndABackendWithoutTargetsIsNotCapable() {
        // The clustered refusal of a driver without Active/Active replication is StartupRulesTest's: both reference
        // drivers declare it now.
        TestNodes.Node replicated = nodes.start(
                "r1",
                "c9@boot",
                Map.of(
                        "tandem.volume.replication-targets[0].backend-id", "secondary",
                        "tandem.volume.replication-targets[0].location", "/nowhere"));
        try {
            assertEquals(
                    "enabled",
                    scheduler.text("SELECT replication_status FROM clusters WHERE name = 'c9@boot'"),
                    "not-capable -> enabled with targets");
            assertEquals("enabled", scheduler.text("SELECT replication_status FROM services WHERE host = 'r1@boot'"));
            assertEquals(
                    List.of("secondary"),
                    replicated.stub().getNodeStatus(status()).getCapabilities().getReplicationTargetIdsList());
        } finally {
            replicated.close();
        }

        Migrations.apply(nodes.dataSource());
        scheduler.sql("INSERT INTO clusters (name, binary_name, replication_status) VALUES ('c8@boot', 'volume',"
                + " 'enabled')");
        TestNodes.Node plain = nodes.start("r3", "c8@boot");
        try {
            assertEquals(
                    "not-capable",
                    scheduler.text("SELECT replication_status FROM clusters WHERE name = 'c8@boot'"),
                    "enabled -> not-capable without targets");
            assertEquals(
                    "not-capable", scheduler.text("SELECT replication_status FROM services WHERE host = 'r3@boot'"));
            assertEquals(0, scheduler.count("SELECT count(*) FROM replication_targets WHERE scope = 'c8@boot'"));
        } finally {
            plain.close();
        }
    }

    @Test
    void aTargetNamedDefaultIsRefused() {
        String line = startFailure(
                "r2",
                null,
                Map.of(
                        "tandem.volume.replication-targets[0].backend-id", "default",
                        "tandem.volume.replication-targets[0].location", "/nowhere"));
        assertTrue(line.contains("backend id 'default' names the primary site"), line);
    }

    @Test
    void aNonClusteredNodeBesideAClusterServesItsOwnRow() {
        TestNodes.Node member = nodes.start("m1", CLUSTER);
        Migrations.apply(nodes.dataSource());
        // The solo node's own row is authoritative for it: an epoch from a failover of its own, before this start.
        scheduler.sql("INSERT INTO services (host, binary_name, epoch) VALUES ('solo@boot', 'volume', 4)");
        TestNodes.Node solo = nodes.start("solo", null);
        try {
            List<MemberInfo> alone = nodes.etcd().liveMembers(null).members();
            assertEquals(
                    List.of("solo@boot"), alone.stream().map(MemberInfo::host).toList());
            assertEquals(4, alone.get(0).epoch());
            assertEquals(
                    List.of(member.host),
                    nodes.etcd().liveMembers(CLUSTER).members().stream()
                            .map(MemberInfo::host)
                            .toList());
            VolumeServiceGetNodeStatusResponse status = solo.stub().getNodeStatus(status());
            assertEquals("", status.getClusterName());
            assertEquals(4, status.getServedEpoch());

            UUID own = scheduler.place(null, solo.host, 1, scheduler.serviceId(solo.host));
            UUID clustered = scheduler.place(CLUSTER, member.host, 1, scheduler.serviceId(member.host));
            scheduler.sql("UPDATE clusters SET epoch = epoch + 1 WHERE name = ?", CLUSTER);
            assertEquals(
                    VolumeStatus.VOLUME_STATUS_AVAILABLE,
                    solo.stub().createVolume(create(own)).getVolume().getStatus());
            var stale = assertThrows(
                    StatusRuntimeException.class, () -> member.stub().createVolume(create(clustered)));
            assertEquals(Status.Code.FAILED_PRECONDITION, stale.getStatus().getCode());
            var foreign =
                    assertThrows(StatusRuntimeException.class, () -> solo.stub().createVolume(create(clustered)));
            assertEquals(Status.Code.INVALID_ARGUMENT, foreign.getStatus().getCode());

            UUID later = scheduler.place(null, solo.host, 1, scheduler.serviceId(solo.host));
            scheduler.sql("UPDATE services SET epoch = epoch + 1 WHERE host = 'solo@boot'");
            var soloStale =
                    assertThrows(StatusRuntimeException.class, () -> solo.stub().createVolume(create(later)));
            assertEquals(Status.Code.FAILED_PRECONDITION, soloStale.getStatus().getCode());
            assertTrue(soloStale.getStatus().getDescription().contains("serves epoch 4 but the current epoch is 5"));
        } finally {
            solo.close();
            member.close();
        }
    }

    @Test
    void theVolumeServiceAnswersUnavailableUntilTheNodeHasStarted() throws Exception {
        Hang setup = nodes.faults().hang(Operation.SETUP);
        int port = TestNodes.freePort();
        CompletableFuture<TestNodes.Node> starting =
                CompletableFuture.supplyAsync(() -> nodes.start("late", CLUSTER, Map.of("grpc.server.port", port)));
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
        try {
            var stub = VolumeServiceGrpc.newBlockingStub(channel);
            StatusRuntimeException refused =
                    Eventually.awaitValue(Duration.ofSeconds(20), "the node to be starting", () -> {
                        try {
                            stub.withDeadlineAfter(2, TimeUnit.SECONDS).getNodeStatus(status());
                            return Optional.empty();
                        } catch (StatusRuntimeException e) {
                            String description = String.valueOf(e.getStatus().getDescription());
                            return description.contains("is starting") ? Optional.of(e) : Optional.empty();
                        }
                    });
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
            var create = assertThrows(StatusRuntimeException.class, () -> stub.createVolume(create(UUID.randomUUID())));
            assertEquals(Status.Code.UNAVAILABLE, create.getStatus().getCode());
            assertEquals(ServingStatus.NOT_SERVING, health(channel));

            setup.release();
            TestNodes.Node node = starting.get(30, TimeUnit.SECONDS);
            assertEquals("late@boot", stub.getNodeStatus(status()).getHost());
            assertEquals(ServingStatus.SERVING, health(channel));
            node.close();
        } finally {
            setup.release();
            channel.shutdownNow();
        }
    }

    @Test
    void aNodeStartsOnTheClustersActiveBackendNotOnItsStaleServiceRow(@TempDir Path sites) throws Exception {
        Path primary = Files.createDirectories(sites.resolve("primary"));
        Path secondary = Files.createDirectories(sites.resolve("secondary"));
        try (TestNodes fs = new TestNodes("fsb")) {
            Scheduler db = new Scheduler(fs.dataSource());
            Migrations.apply(fs.dataSource());
            // The cluster failed over to "secondary" (epoch 3) while this member was down: its own row is stale.
            db.sql("INSERT INTO clusters (name, binary_name, replication_status, active_backend_id, epoch)"
                    + " VALUES ('c2@fsb', 'volume', 'failed-over', 'secondary', 3)");
            db.sql("INSERT INTO services (host, binary_name, cluster_name, replication_status, epoch)"
                    + " VALUES ('n1@fsb', 'volume', 'c2@fsb', 'enabled', 0)");
            db.sql(
                    "INSERT INTO replication_targets (scope, backend_id, location, role)"
                            + " VALUES ('c2@fsb', 'secondary', ?, 'target')",
                    secondary.toString());

            // No targets in the configuration: the table is authoritative after the first start.
            TestNodes.Node node = fs.start(
                    "n1",
                    "c2@fsb",
                    Map.of(
                            "tandem.volume.driver",
                            SharedFilesystemDriver.NAME,
                            "tandem.volume.primary-location",
                            primary.toString()));
            VolumeServiceGetNodeStatusResponse status = node.stub().getNodeStatus(status());
            assertEquals("secondary", status.getActiveBackendId());
            assertEquals(secondary.toString(), status.getActiveLocation());
            assertEquals(3, status.getServedEpoch());
            assertFalse(status.getFenced());
            assertEquals(List.of("secondary"), status.getCapabilities().getReplicationTargetIdsList());
            MemberInfo member = fs.etcd().liveMembers("c2@fsb").members().get(0);
            assertEquals("secondary", member.activeBackendId());
            assertEquals(3, member.epoch());

            UUID id = db.place("c2@fsb", node.host, 1, db.serviceId(node.host));
            var volume = node.stub().createVolume(create(id)).getVolume();
            assertEquals(VolumeStatus.VOLUME_STATUS_AVAILABLE, volume.getStatus());
            Path file = secondary.resolve("volumes").resolve("volume-" + id);
            assertEquals(file.toAbsolutePath().toString(), volume.getProviderLocation());
            assertTrue(Files.isRegularFile(file), "the volume landed on the secondary site");
            assertFalse(Files.exists(primary.resolve("volumes").resolve("volume-" + id)));
        }
    }

    /** Starts a node that must refuse; returns the one line TandemApplication would print. */
    private String startFailure(String name, String cluster, Map<String, Object> extra) {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> nodes.start(name, cluster, extra));
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TandemException) {
                return t.getMessage();
            }
        }
        throw new AssertionError("no Tandem exception in the failure", failure);
    }

    private static ServingStatus health(ManagedChannel channel) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(2, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
    }
}
