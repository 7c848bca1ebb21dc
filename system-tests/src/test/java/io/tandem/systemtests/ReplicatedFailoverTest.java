package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceInitializeConnectionRequest;
import io.tandem.testing.Eventually;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failover issue's end-to-end promise, with real processes and real files (shared-filesystem driver): bytes
 * written into a volume at the primary site are replicated, the cluster fails over, every member serves the secondary
 * site at the new epoch and hands out connection info that points there, where the bytes read back; failback brings
 * the cluster and the bytes written meanwhile back to the primary. A member that was down during the failover starts
 * on the secondary site.
 */
class ReplicatedFailoverTest {
    private static final Duration START_DEADLINE = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String SECONDARY = "secondary";

    private static final String AB = "ab@fs";
    private static final List<String> AB_NODES = List.of("a1", "a2", "a3");
    private static final String LATE = "late@fs";

    private static Stack stack;
    private static Db db;
    private static ServiceProcess scheduler;
    private static ServiceProcess replication;
    private static final Map<String, ServiceProcess> nodes = new LinkedHashMap<>();

    @BeforeAll
    static void startTheStack() {
        stack = Stack.create(ReplicatedFailoverTest.class);
        db = new Db(stack.dataSource());
        scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
        replication = stack.start("replication", ServiceKind.REPLICATION);
        for (String node : AB_NODES) {
            nodes.put(node, startReplicatedNode(node, AB, node));
        }
        nodes.put("l1", startReplicatedNode("l1", LATE, "l1"));
        nodes.put("l2", startReplicatedNode("l2", LATE, "l2"));
        List<ServiceProcess> all = new ArrayList<>(List.of(scheduler, replication));
        all.addAll(nodes.values());
        all.forEach(p -> p.awaitReady(START_DEADLINE));
        Eventually.await(
                START_DEADLINE,
                "every member live in etcd",
                () -> stack.membership().liveMembers(AB).members().size() == AB_NODES.size()
                        && stack.membership().liveMembers(LATE).members().size() == 2);
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void bytesWrittenAtThePrimaryAreReadAtTheSecondaryOnEveryMemberAndComeBackOnFailback() throws Exception {
        String volume = createReplicatedVolume(AB, "ab");
        Path atPrimary = connectionPath(nodes.get("a1"), volume);
        assertTrue(atPrimary.startsWith(site(AB, "primary")), atPrimary + " is not on the primary site");
        byte[] first = "generation one, written at the primary".getBytes(StandardCharsets.UTF_8);
        writeAndAwaitReplication(volume, atPrimary, 5L * 1024 * 1024 + 123, first);

        Failover over = failOverAndAwait(AB, SECONDARY);
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, over.getPhase(), over.toString());
        assertEquals(AB_NODES.size(), over.getMembersCount(), "every live member acknowledged: " + over);
        for (FailoverMember member : over.getMembersList()) {
            assertEquals(over.getEpoch(), member.getAckedEpoch(), member.toString());
        }
        var cluster = replication()
                .getCluster(GetClusterRequest.newBuilder().setName(AB).build())
                .getCluster();
        assertEquals(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER, cluster.getReplicationStatus());
        assertEquals(SECONDARY, cluster.getActiveBackendId());
        assertEquals(over.getEpoch(), cluster.getEpoch());
        for (String node : AB_NODES) {
            assertServes(nodes.get(node), SECONDARY, over.getEpoch());
            Path atSecondary = connectionPath(nodes.get(node), volume);
            assertTrue(atSecondary.startsWith(site(AB, SECONDARY)), node + " hands out " + atSecondary);
            assertArrayEquals(first, read(atSecondary, 5L * 1024 * 1024 + 123, first.length), node);
        }
        assertEquals(
                "failed-over",
                db.text("SELECT replication_status FROM volumes WHERE id = ?::uuid", volume)
                        .orElseThrow());

        byte[] second = "generation two, written at the secondary".getBytes(StandardCharsets.UTF_8);
        write(connectionPath(nodes.get("a2"), volume), 700L * 1024 * 1024, second);
        Failover back = failOverAndAwait(AB, "default");
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, back.getPhase(), back.toString());
        assertEquals(over.getEpoch() + 1, back.getEpoch());
        for (String node : AB_NODES) {
            assertServes(nodes.get(node), "", back.getEpoch());
            Path again = connectionPath(nodes.get(node), volume);
            assertTrue(again.startsWith(site(AB, "primary")), node + " hands out " + again);
            assertArrayEquals(first, read(again, 5L * 1024 * 1024 + 123, first.length), node);
            assertArrayEquals(second, read(again, 700L * 1024 * 1024, second.length), node);
        }
        cluster = replication()
                .getCluster(GetClusterRequest.newBuilder().setName(AB).build())
                .getCluster();
        assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, cluster.getReplicationStatus());
        assertEquals("", cluster.getActiveBackendId());
    }

    @Test
    void aMemberDownDuringTheFailoverStartsOnTheSecondarySite() throws Exception {
        String volume = createReplicatedVolume(LATE, "late");
        byte[] bytes = "written before the failover".getBytes(StandardCharsets.UTF_8);
        writeAndAwaitReplication(volume, connectionPath(nodes.get("l1"), volume), 4096, bytes);
        ServiceProcess down = nodes.get("l2");
        down.terminate();
        down.awaitExit(Duration.ofSeconds(30));
        Eventually.await(
                SETTLE,
                "l2 gone from etcd",
                () -> stack.membership().liveMembers(LATE).members().size() == 1);

        Failover over = failOverAndAwait(LATE, SECONDARY);
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, over.getPhase(), over.toString());
        assertEquals(
                List.of("l1@fs"),
                over.getMembersList().stream().map(FailoverMember::getHost).toList());

        ServiceProcess back = startReplicatedNode("l2-restarted", LATE, "l2");
        nodes.put("l2", back);
        back.awaitReady(START_DEADLINE);
        assertServes(back, SECONDARY, over.getEpoch());
        Path path = connectionPath(back, volume);
        assertTrue(path.startsWith(site(LATE, SECONDARY)), "the late member hands out " + path);
        assertArrayEquals(bytes, read(path, 4096, bytes.length));
        assertTrue(
                back.stdoutLines().stream().noneMatch(line -> line.contains("serves site 'default'")),
                "the late member served the primary site at some point:\n" + back.diagnostics());
    }

    /** Node {@code node@fs} of {@code cluster}: primary site as the stack lays it out, one target, fast replication. */
    private static ServiceProcess startReplicatedNode(String name, String cluster, String node) {
        return stack.startVolumeNode(
                name,
                node,
                cluster,
                "fs",
                Map.of(
                        "TANDEM_VOLUME_DRIVER",
                        "shared-filesystem",
                        "TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID",
                        SECONDARY,
                        "TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION",
                        site(cluster, SECONDARY).toString(),
                        "TANDEM_VOLUME_REPLICATION_INTERVAL",
                        "300ms"));
    }

    /** Where {@link Stack#startVolumeNode} puts a cluster's primary site, and this test its secondary. */
    private static Path site(String cluster, String name) {
        return stack.siteDirectory(cluster + "-" + name);
    }

    private static String createReplicatedVolume(String cluster, String project) {
        db.update("UPDATE clusters SET disabled = (name <> ?)", cluster);
        String id = SchedulerServiceGrpc.newBlockingStub(scheduler.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId(project)
                        .setSizeGb(1)
                        .build())
                .getVolume()
                .getId();
        Eventually.await(SETTLE, "volume " + id + " available", () -> db.text(
                        "SELECT status FROM volumes WHERE id = ?::uuid", id)
                .orElse("")
                .equals("available"));
        assertEquals(
                "enabled",
                db.text("SELECT replication_status FROM volumes WHERE id = ?::uuid", id)
                        .orElseThrow(),
                "a volume on a backend with targets is replicated");
        return id;
    }

    /** Writes at the primary, then waits until the replicator has recorded a sync that started after the write. */
    private static void writeAndAwaitReplication(String volume, Path file, long offset, byte[] bytes)
            throws IOException {
        String before = db.text("SELECT now()::text").orElseThrow();
        write(file, offset, bytes);
        Eventually.await(
                SETTLE,
                "volume " + volume + " synced after the write",
                () -> db.scalar(
                                "SELECT count(*) FROM volumes WHERE id = ?::uuid AND last_sync_at > ?::timestamptz",
                                volume,
                                before)
                        == 1);
    }

    private static Failover failOverAndAwait(String cluster, String backendId) {
        long id = replication()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(cluster)
                        .setBackendId(backendId)
                        .build())
                .getFailoverId();
        Eventually.await(
                SETTLE, "failover " + id + " of " + cluster + " final", () -> FailoverRows.isFinal(journal(id)));
        return journal(id);
    }

    private static Failover journal(long id) {
        return replication()
                .getFailover(GetFailoverRequest.newBuilder().setId(id).build())
                .getFailover();
    }

    private static void assertServes(ServiceProcess node, String activeBackendId, long epoch) {
        VolumeServiceGetNodeStatusResponse status = VolumeServiceGrpc.newBlockingStub(node.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getNodeStatus(VolumeServiceGetNodeStatusRequest.getDefaultInstance());
        assertEquals(activeBackendId, status.getActiveBackendId(), status.toString());
        assertEquals(epoch, status.getServedEpoch(), status.toString());
        assertEquals(false, status.getFenced(), status.toString());
    }

    private static Path connectionPath(ServiceProcess node, String volume) {
        var info = VolumeServiceGrpc.newBlockingStub(node.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .initializeConnection(VolumeServiceInitializeConnectionRequest.newBuilder()
                        .setVolumeId(volume)
                        .build());
        return Path.of(info.getDataOrThrow("path"));
    }

    private static ReplicationServiceGrpc.ReplicationServiceBlockingStub replication() {
        return ReplicationServiceGrpc.newBlockingStub(replication.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(offset);
            out.write(bytes);
            out.getFD().sync();
        }
    }

    private static byte[] read(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[length];
            in.seek(offset);
            in.readFully(bytes);
            return bytes;
        }
    }
}
