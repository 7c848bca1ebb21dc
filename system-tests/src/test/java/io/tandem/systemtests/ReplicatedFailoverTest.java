package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.testing.Eventually;
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
    private static ReplicationSteps steps;

    @BeforeAll
    static void startTheStack() {
        stack = Stack.create(ReplicatedFailoverTest.class);
        db = new Db(stack.dataSource());
        scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
        replication = stack.start("replication", ServiceKind.REPLICATION);
        steps = new ReplicationSteps(db, scheduler, replication);
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
        Path atPrimary = ReplicationSteps.connectionPath(nodes.get("a1"), volume);
        assertTrue(atPrimary.startsWith(site(AB, "primary")), atPrimary + " is not on the primary site");
        byte[] first = "generation one, written at the primary".getBytes(StandardCharsets.UTF_8);
        steps.writeAndAwaitReplication(volume, atPrimary, 5L * 1024 * 1024 + 123, first);

        Failover over = steps.failOverAndAwait(AB, SECONDARY);
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, over.getPhase(), over.toString());
        assertEquals(AB_NODES.size(), over.getMembersCount(), "every live member acknowledged: " + over);
        for (FailoverMember member : over.getMembersList()) {
            assertEquals(over.getEpoch(), member.getAckedEpoch(), member.toString());
        }
        var cluster = steps.replication()
                .getCluster(GetClusterRequest.newBuilder().setName(AB).build())
                .getCluster();
        assertEquals(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER, cluster.getReplicationStatus());
        assertEquals(SECONDARY, cluster.getActiveBackendId());
        assertEquals(over.getEpoch(), cluster.getEpoch());
        for (String node : AB_NODES) {
            assertServes(nodes.get(node), SECONDARY, over.getEpoch());
            Path atSecondary = ReplicationSteps.connectionPath(nodes.get(node), volume);
            assertTrue(atSecondary.startsWith(site(AB, SECONDARY)), node + " hands out " + atSecondary);
            assertArrayEquals(first, ReplicationSteps.read(atSecondary, 5L * 1024 * 1024 + 123, first.length), node);
        }
        assertEquals(
                "failed-over",
                db.text("SELECT replication_status FROM volumes WHERE id = ?::uuid", volume)
                        .orElseThrow());

        byte[] second = "generation two, written at the secondary".getBytes(StandardCharsets.UTF_8);
        ReplicationSteps.write(ReplicationSteps.connectionPath(nodes.get("a2"), volume), 700L * 1024 * 1024, second);
        Failover back = steps.failOverAndAwait(AB, "default");
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, back.getPhase(), back.toString());
        assertEquals(over.getEpoch() + 1, back.getEpoch());
        for (String node : AB_NODES) {
            assertServes(nodes.get(node), "", back.getEpoch());
            Path again = ReplicationSteps.connectionPath(nodes.get(node), volume);
            assertTrue(again.startsWith(site(AB, "primary")), node + " hands out " + again);
            assertArrayEquals(first, ReplicationSteps.read(again, 5L * 1024 * 1024 + 123, first.length), node);
            assertArrayEquals(second, ReplicationSteps.read(again, 700L * 1024 * 1024, second.length), node);
        }
        cluster = steps.replication()
                .getCluster(GetClusterRequest.newBuilder().setName(AB).build())
                .getCluster();
        assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, cluster.getReplicationStatus());
        assertEquals("", cluster.getActiveBackendId());
    }

    @Test
    void aMemberDownDuringTheFailoverStartsOnTheSecondarySite() throws Exception {
        String volume = createReplicatedVolume(LATE, "late");
        byte[] bytes = "written before the failover".getBytes(StandardCharsets.UTF_8);
        steps.writeAndAwaitReplication(volume, ReplicationSteps.connectionPath(nodes.get("l1"), volume), 4096, bytes);
        ServiceProcess down = nodes.get("l2");
        down.terminate();
        down.awaitExit(Duration.ofSeconds(30));
        Eventually.await(
                SETTLE,
                "l2 gone from etcd",
                () -> stack.membership().liveMembers(LATE).members().size() == 1);

        Failover over = steps.failOverAndAwait(LATE, SECONDARY);
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, over.getPhase(), over.toString());
        assertEquals(
                List.of("l1@fs"),
                over.getMembersList().stream().map(FailoverMember::getHost).toList());

        ServiceProcess back = startReplicatedNode("l2-restarted", LATE, "l2");
        nodes.put("l2", back);
        back.awaitReady(START_DEADLINE);
        assertServes(back, SECONDARY, over.getEpoch());
        Path path = ReplicationSteps.connectionPath(back, volume);
        assertTrue(path.startsWith(site(LATE, SECONDARY)), "the late member hands out " + path);
        assertArrayEquals(bytes, ReplicationSteps.read(path, 4096, bytes.length));
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
        String id = steps.createVolume(cluster, project);
        assertEquals(
                "enabled",
                db.text("SELECT replication_status FROM volumes WHERE id = ?::uuid", id)
                        .orElseThrow(),
                "a volume on a backend with targets is replicated");
        return id;
    }

    private static void assertServes(ServiceProcess node, String activeBackendId, long epoch) {
        VolumeServiceGetNodeStatusResponse status = VolumeServiceGrpc.newBlockingStub(node.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getNodeStatus(VolumeServiceGetNodeStatusRequest.getDefaultInstance());
        assertEquals(activeBackendId, status.getActiveBackendId(), status.toString());
        assertEquals(epoch, status.getServedEpoch(), status.toString());
        assertEquals(false, status.getFenced(), status.toString());
    }
}
