package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.proto.v1.DisableClusterRequest;
import io.tandem.proto.v1.EnableClusterRequest;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ThawRequest;
import io.tandem.testing.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promote issue's story, twice, with real processes and real files (shared-filesystem driver): site A (the
 * primary) replicates to B; known bytes are written at A and replicated; A is destroyed; the cluster fails over to B,
 * where the bytes are read; B is promoted to primary with a new target C, once offline (freeze, disable, stop, edit
 * the configuration, {@code tandem-manage db reset-active-backend}, start: the start-up updateHostReplication) and
 * once online (one Promote call); new bytes are written at B and reach C; the cluster fails over to C, where both
 * generations are.
 */
class PromoteStoryTest {
    private static final Duration START_DEADLINE = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final List<String> NODES = List.of("1", "2");
    private static final long FIRST_AT = 3L * 1024 * 1024 + 17;
    private static final long SECOND_AT = 600L * 1024 * 1024 + 5;
    private static final byte[] FIRST = "generation one, written at site A".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECOND = "generation two, written at site B".getBytes(StandardCharsets.UTF_8);

    private static Stack stack;
    private static Db db;
    private static ServiceProcess scheduler;
    private static ServiceProcess replication;
    private static ReplicationSteps steps;

    @BeforeAll
    static void startTheStack() {
        stack = Stack.create(PromoteStoryTest.class);
        db = new Db(stack.dataSource());
        scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
        replication = stack.start("replication", ServiceKind.REPLICATION);
        scheduler.awaitReady(START_DEADLINE);
        replication.awaitReady(START_DEADLINE);
        steps = new ReplicationSteps(db, scheduler, replication);
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void offlineSiteBIsPromotedWithTandemManageAndTheStartUpUpdate() throws Exception {
        Story story = new Story("offline@fs", "off");
        story.failOverToBAfterSiteADies();

        // Cinder's offline runbook: freeze, disable, stop, edit the configuration, reset, start, thaw, enable.
        steps.replication()
                .freeze(FreezeRequest.newBuilder().setCluster(story.cluster).build());
        steps.replication()
                .disableCluster(DisableClusterRequest.newBuilder()
                        .setName(story.cluster)
                        .setDisabledReason("promoting site B")
                        .build());
        Manage.Result refused = new Manage(stack).run("db", "reset-active-backend", "--cluster", story.cluster);
        assertEquals(1, refused.exitCode(), "refused while the members run: " + refused);
        story.stopMembers();
        Manage.Result reset = new Manage(stack).run("db", "reset-active-backend", "--cluster", story.cluster);
        assertEquals(0, reset.exitCode(), reset.toString());
        assertEquals("disabled", clusterColumn(story.cluster, "replication_status"));
        assertEquals(null, clusterColumn(story.cluster, "active_backend_id"));

        story.startMembers(story.siteB, story.siteC); // both at once, configured with B primary and C the target
        assertEquals(
                1,
                story.members.stream()
                        .filter(m ->
                                m.stdoutLines().stream().anyMatch(l -> l.contains("runs updateHostReplication for ")))
                        .count(),
                "exactly one member ran updateHostReplication:\n" + stack.diagnostics());
        steps.replication()
                .thaw(ThawRequest.newBuilder().setCluster(story.cluster).build());
        steps.replication()
                .enableCluster(
                        EnableClusterRequest.newBuilder().setName(story.cluster).build());

        story.assertBIsPrimaryReplicatingToC();
        story.writeAtBAndFailOverToC();
    }

    @Test
    void onlineSiteBIsPromotedWithOneCall() throws Exception {
        Story story = new Story("online@fs", "on");
        story.failOverToBAfterSiteADies();
        long epochBefore = steps.replication()
                .getCluster(
                        GetClusterRequest.newBuilder().setName(story.cluster).build())
                .getCluster()
                .getEpoch();

        long id = steps.replication()
                .promote(PromoteRequest.newBuilder()
                        .setCluster(story.cluster)
                        .addTargets(
                                ReplicationTarget.newBuilder().setBackendId("c").setLocation(story.siteC.toString()))
                        .build())
                .getFailoverId();
        Failover promote = steps.awaitFinal(id);
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, promote.getPhase(), promote.toString());
        assertEquals(epochBefore + 1, promote.getEpoch());
        assertEquals(NODES.size(), promote.getMembersCount(), "every member acknowledged: " + promote);
        assertTrue(
                story.members.stream().allMatch(ServiceProcess::isAlive),
                "no member was restarted: " + stack.diagnostics());

        story.assertBIsPrimaryReplicatingToC();
        story.restartLastMemberWithItsOldConfiguration();
        story.assertBIsPrimaryReplicatingToC(); // a restart does not undo the online promote
        story.writeAtBAndFailOverToC();
    }

    @Test
    void aMemberKilledDuringTheStartUpUpdateIsTakenOverAndNothingIsLeftUpdating() {
        String cluster = "takeover@mem";
        List<ServiceProcess> first = List.of(memoryNode("t1", cluster, null), memoryNode("t2", cluster, null));
        first.forEach(m -> m.awaitReady(START_DEADLINE));
        String volume = steps.createVolume(cluster, "takeover");
        steps.replication()
                .freeze(FreezeRequest.newBuilder().setCluster(cluster).build());
        steps.replication()
                .disableCluster(
                        DisableClusterRequest.newBuilder().setName(cluster).build());
        first.forEach(ServiceProcess::terminate);
        first.forEach(m -> m.awaitExit(Duration.ofSeconds(30)));
        Eventually.await(
                SETTLE,
                "members of " + cluster + " gone",
                () -> stack.membership().liveMembers(cluster).members().isEmpty());
        Manage.Result reset = new Manage(stack).run("db", "reset-active-backend", "--cluster", cluster);
        assertEquals(0, reset.exitCode(), reset.toString());

        ServiceProcess stuck = memoryNode("t1-hangs", cluster, "hang.update-host-replication=true");
        Eventually.await(
                START_DEADLINE,
                "t1 runs the update and hangs in its driver",
                () -> logged(stuck, "runs updateHostReplication for ")
                        && "updating".equals(clusterColumn(cluster, "replication_status")));
        ServiceProcess waiting = memoryNode("t2-waits", cluster, null);
        Eventually.await(
                START_DEADLINE, "t2 waits for t1", () -> logged(waiting, "waits: t1@mem runs updateHostReplication"));

        stuck.kill(); // SIGKILL in the middle of the driver call: its claim lives on until the lease expires
        stuck.awaitExit(Duration.ofSeconds(30));
        waiting.awaitReady(START_DEADLINE);
        assertTrue(
                logged(waiting, "runs updateHostReplication for "),
                "t2 took the update over:\n" + waiting.diagnostics());
        assertEquals("enabled", clusterColumn(cluster, "replication_status"));
        assertEquals(
                "enabled",
                db.text("SELECT replication_status FROM volumes WHERE id = ?::uuid", volume)
                        .orElseThrow());
        assertTrue(stack.etcdValue("updating/" + cluster).isEmpty(), "the claim is gone");

        ServiceProcess again = memoryNode("t1-again", cluster, null);
        again.awaitReady(START_DEADLINE);
        assertTrue(
                !logged(again, "runs updateHostReplication for "), "nothing left to update:\n" + again.diagnostics());
    }

    private static ServiceProcess memoryNode(String name, String cluster, String faults) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("TANDEM_VOLUME_DRIVER", "in-memory");
        env.put("TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID", "far");
        env.put("TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION", "memory://far");
        if (faults != null) {
            env.put("TANDEM_VOLUME_DRIVER_OPTION_PAIRS", faults);
        }
        return stack.startVolumeNode(name, name.substring(0, 2), cluster, "mem", env);
    }

    private static boolean logged(ServiceProcess process, String text) {
        return process.stdoutLines().stream().anyMatch(line -> line.contains(text));
    }

    /** One cluster's sites and members. */
    private static final class Story {
        final String cluster;
        final String project;
        final Path siteA;
        final Path siteB;
        final Path siteC;
        final List<ServiceProcess> members = new ArrayList<>();
        String volume;
        int generation;

        Story(String cluster, String project) {
            this.cluster = cluster;
            this.project = project;
            this.siteA = stack.siteDirectory(cluster + "-a");
            this.siteB = stack.siteDirectory(cluster + "-b");
            this.siteC = stack.siteDirectory(cluster + "-c");
            startMembers(siteA, siteB);
        }

        /** Starts every member at once with {@code primary} and one target, and waits until all are up. */
        void startMembers(Path primary, Path target) {
            generation++;
            members.clear();
            for (String node : NODES) {
                members.add(startMember(node, primary, target));
            }
            members.forEach(m -> m.awaitReady(START_DEADLINE));
            Eventually.await(
                    START_DEADLINE,
                    "every member of " + cluster + " live",
                    () -> stack.membership().liveMembers(cluster).members().size() == NODES.size());
        }

        /** Member {@code node} configured with {@code primary} and one target; does not wait for it. */
        ServiceProcess startMember(String node, Path primary, Path target) {
            return stack.startVolumeNode(
                    cluster.replace("@fs", "") + node + "-" + generation,
                    cluster.replace("@fs", "") + node,
                    cluster,
                    "fs",
                    Map.of(
                            "TANDEM_VOLUME_DRIVER",
                            "shared-filesystem",
                            "TANDEM_VOLUME_PRIMARY_LOCATION",
                            primary.toString(),
                            "TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID",
                            target.equals(siteB) ? "b" : "c",
                            "TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION",
                            target.toString(),
                            "TANDEM_VOLUME_REPLICATION_INTERVAL",
                            "300ms"));
        }

        /**
         * Restarts the last member with the configuration it was first started with (A primary, B target): the
         * database, not the configuration, says what the sites are after an online promote.
         */
        void restartLastMemberWithItsOldConfiguration() {
            ServiceProcess last = members.remove(members.size() - 1);
            last.terminate();
            last.awaitExit(Duration.ofSeconds(30));
            generation++;
            ServiceProcess restarted = startMember(NODES.get(NODES.size() - 1), siteA, siteB);
            restarted.awaitReady(START_DEADLINE);
            members.add(restarted);
        }

        void stopMembers() {
            members.forEach(ServiceProcess::terminate);
            members.forEach(m -> m.awaitExit(Duration.ofSeconds(30)));
            Eventually.await(
                    SETTLE,
                    "every member of " + cluster + " gone from etcd",
                    () -> stack.membership().liveMembers(cluster).members().isEmpty());
        }

        /** A volume with known bytes, replicated to B; site A destroyed; failed over to B; the bytes read there. */
        void failOverToBAfterSiteADies() throws IOException {
            volume = steps.createVolume(cluster, project);
            Path atA = connectionPath(volume);
            assertTrue(atA.startsWith(siteA), atA + " is not on site A");
            steps.writeAndAwaitReplication(volume, atA, FIRST_AT, FIRST);

            Files.move(siteA, siteA.resolveSibling(siteA.getFileName() + ".burnt")); // the data centre burns

            Failover over = steps.failOverAndAwait(cluster, "b");
            assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, over.getPhase(), over.toString());
            for (ServiceProcess member : members) {
                Path atB = ReplicationSteps.connectionPath(member, volume);
                assertTrue(atB.startsWith(siteB), member + " hands out " + atB + ", not a path on site B");
                assertArrayEquals(FIRST, ReplicationSteps.read(atB, FIRST_AT, FIRST.length));
            }
        }

        /** B is the primary (no active backend), replication enabled, the sites table says B primary and C target. */
        void assertBIsPrimaryReplicatingToC() throws IOException {
            var row = steps.replication()
                    .getCluster(GetClusterRequest.newBuilder().setName(cluster).build())
                    .getCluster();
            assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, row.getReplicationStatus(), row.toString());
            assertEquals("", row.getActiveBackendId(), row.toString());
            assertEquals(
                    List.of("primary " + siteB, "target c " + siteC),
                    db.texts(
                            "SELECT role || CASE WHEN role = 'target' THEN ' ' || backend_id ELSE '' END || ' '"
                                    + " || location FROM replication_targets WHERE scope = ? ORDER BY role",
                            cluster));
            assertEquals(
                    "enabled",
                    db.text("SELECT replication_status FROM volumes WHERE id = ?::uuid", volume)
                            .orElseThrow());
            Path atB = connectionPath(volume);
            assertTrue(atB.startsWith(siteB), atB + " is not on site B");
            assertArrayEquals(FIRST, ReplicationSteps.read(atB, FIRST_AT, FIRST.length));
        }

        /** New bytes at B reach C with the old ones (a full initial sync); a failover to C serves both. */
        void writeAtBAndFailOverToC() throws IOException {
            steps.writeAndAwaitReplication(volume, connectionPath(volume), SECOND_AT, SECOND);
            Path copyAtC = siteC.resolve("volumes").resolve("volume-" + volume);
            assertArrayEquals(
                    FIRST, ReplicationSteps.read(copyAtC, FIRST_AT, FIRST.length), "generation one reached C");
            assertArrayEquals(
                    SECOND, ReplicationSteps.read(copyAtC, SECOND_AT, SECOND.length), "generation two reached C");

            Failover over = steps.failOverAndAwait(cluster, "c");
            assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, over.getPhase(), over.toString());
            for (ServiceProcess member : members) {
                Path atC = ReplicationSteps.connectionPath(member, volume);
                assertTrue(atC.startsWith(siteC), member + " hands out " + atC);
                assertArrayEquals(FIRST, ReplicationSteps.read(atC, FIRST_AT, FIRST.length));
                assertArrayEquals(SECOND, ReplicationSteps.read(atC, SECOND_AT, SECOND.length));
            }
        }

        private Path connectionPath(String volume) {
            return ReplicationSteps.connectionPath(members.get(0), volume);
        }
    }

    private static String clusterColumn(String cluster, String column) {
        return db.text("SELECT " + column + " FROM clusters WHERE name = ?", cluster)
                .orElse(null);
    }
}
