package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * replication-svc killed with SIGKILL while a failover is held in each phase in turn (draining behind a create the
 * driver holds, promoting while the driver holds the promote, committing while the cluster row is locked, completing
 * while one member's driver holds FailoverCompleted), then started again: the journal row completes, every member
 * acknowledges the new epoch, and no member's driver promoted twice. Each phase has a cluster of its own, with the
 * in-memory driver holding one operation until a release file appears.
 */
class FailoverCrashTest {
    private static final Duration START_DEADLINE = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String SECONDARY = "secondary";

    private static Stack stack;
    private static Db db;
    private static ServiceProcess scheduler;
    private static ServiceProcess replication;
    private static int replicationStarts;
    private static final Map<String, ServiceProcess> nodes = new LinkedHashMap<>();

    @BeforeAll
    static void startTheStack() {
        stack = Stack.create(FailoverCrashTest.class);
        db = new Db(stack.dataSource());
        scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
        replication = startReplication();
        for (String phase : List.of("drain", "promote", "commit", "complete")) {
            // A previous run's release file would let the driver through at once.
            deleteIfExists(release(phase));
        }
        node("d1", "drain@mem", "hang.create.release-file", release("drain"));
        node("p1", "promote@mem", "hang.failover.release-file", release("promote"));
        node("c1", "commit@mem", "hang.failover.release-file", release("commit"));
        node("k1", "complete@mem", null, null);
        node("k2", "complete@mem", "hang.failover-completed.release-file", release("complete"));
        List<ServiceProcess> all = new ArrayList<>(List.of(scheduler, replication));
        all.addAll(nodes.values());
        all.forEach(p -> p.awaitReady(START_DEADLINE));
        Eventually.await(
                START_DEADLINE,
                "every member live in etcd",
                () -> stack.membership().liveMembers("complete@mem").members().size() == 2
                        && stack.membership().liveMembers("drain@mem").members().size() == 1);
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killedWhileDrainingBehindAHeldCreate() throws Exception {
        db.update("UPDATE clusters SET disabled = (name <> 'drain@mem')");
        SchedulerServiceGrpc.newBlockingStub(scheduler.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId("drain")
                        .setSizeGb(1)
                        .build());
        // The node bumps race_preventer when it takes the row, past its management checks, just before the driver
        // call that holds: only then is the failover claimed (a claim first would make the node refuse the create).
        Eventually.await(
                SETTLE,
                "the create taken by d1 and held by its driver",
                () -> db.scalar("SELECT count(*) FROM workers WHERE race_preventer > 0") > 0);

        long id = failover("drain@mem");
        awaitPhase(id, FailoverPhase.FAILOVER_PHASE_DRAINING);
        restartReplicationWithSigkill();
        Files.createFile(release("drain"));

        Failover row = awaitFinal(id);
        assertCompletedByEveryMember(row, List.of("d1@mem"));
        assertPromotedOnce(id);
    }

    @Test
    void killedWhileTheMemberPromotes() throws Exception {
        long id = failover("promote@mem");
        awaitPhase(id, FailoverPhase.FAILOVER_PHASE_PROMOTING);
        Eventually.await(SETTLE, "the promote running on p1", () -> promotions(id) == 1);
        restartReplicationWithSigkill();
        Files.createFile(release("promote"));

        Failover row = awaitFinal(id);
        assertCompletedByEveryMember(row, List.of("p1@mem"));
        assertPromotedOnce(id);
    }

    @Test
    void killedWhileTheCommitWaitsForTheClusterRow() throws Exception {
        // The promote is held until the test has locked the cluster row; released, its answer reaches a commit that
        // waits for the lock, and the owner dies there.
        try (Connection lock = stack.dataSource().getConnection()) {
            lock.setAutoCommit(false);
            long id;
            try (PreparedStatement s =
                    lock.prepareStatement("SELECT * FROM clusters WHERE name = 'commit@mem' FOR UPDATE")) {
                // The claim needs the row too, so it is taken only once the claim is in: the commit then waits.
                id = failover("commit@mem");
                awaitPhase(id, FailoverPhase.FAILOVER_PHASE_PROMOTING);
                Eventually.await(SETTLE, "the promote running on c1", () -> promotions(id) == 1);
                s.executeQuery().close();
            }
            Files.createFile(release("commit"));
            Eventually.await(
                    SETTLE,
                    "the commit waiting for the locked cluster row",
                    () -> promotions(id) == 1
                            && db.scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") > 0);
            restartReplicationWithSigkill();
            lock.rollback();

            Failover row = awaitFinal(id);
            assertCompletedByEveryMember(row, List.of("c1@mem"));
            assertPromotedOnce(id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void killedWhileAMemberCompletes() throws Exception {
        long id = failover("complete@mem");
        awaitPhase(id, FailoverPhase.FAILOVER_PHASE_COMPLETING);
        Eventually.await(
                SETTLE,
                "k1 acknowledged, k2 held by its driver",
                () -> journal(id).getMembersList().stream()
                                .filter(m -> m.getAckedEpoch() > 0)
                                .count()
                        == 1);
        restartReplicationWithSigkill();
        Files.createFile(release("complete"));

        Failover row = awaitFinal(id);
        assertCompletedByEveryMember(row, List.of("k1@mem", "k2@mem"));
        assertPromotedOnce(id);
    }

    private static ServiceProcess startReplication() {
        replicationStarts++;
        return stack.start(
                "replication-" + replicationStarts,
                "replication",
                ServiceKind.REPLICATION,
                Map.of(
                        // Long enough that a held call is still running when the owner is killed, short enough
                        // that the restarted owner picks its rows up at once.
                        "TANDEM_REPLICATION_PROMOTE_CALL_TIMEOUT", "120s",
                        "TANDEM_REPLICATION_COMPLETE_CALL_TIMEOUT", "120s",
                        "TANDEM_REPLICATION_DRAIN_TIMEOUT", "120s",
                        "TANDEM_REPLICATION_RESUME_INTERVAL", "1s"));
    }

    private static void restartReplicationWithSigkill() {
        replication.kill();
        replication.awaitExit(Duration.ofSeconds(30));
        replication = startReplication();
        replication.awaitReady(START_DEADLINE);
    }

    private static void node(String node, String cluster, String faultKey, Path releaseFile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_VOLUME_DRIVER", "in-memory");
        env.put("TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID", SECONDARY);
        env.put("TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION", "memory://" + SECONDARY);
        if (faultKey != null) {
            env.put("TANDEM_VOLUME_DRIVER_OPTION_PAIRS", faultKey + "=" + releaseFile);
        }
        nodes.put(node, stack.startVolumeNode(node, cluster, "mem", env));
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path release(String phase) {
        return stack.siteDirectory("releases").resolve(phase);
    }

    private static long failover(String cluster) {
        return ReplicationServiceGrpc.newBlockingStub(replication.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .failover(FailoverRequest.newBuilder()
                        .setCluster(cluster)
                        .setBackendId(SECONDARY)
                        .build())
                .getFailoverId();
    }

    private static Failover journal(long id) {
        return ReplicationServiceGrpc.newBlockingStub(replication.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .getFailover(GetFailoverRequest.newBuilder().setId(id).build())
                .getFailover();
    }

    private static void awaitPhase(long id, FailoverPhase phase) {
        Eventually.await(SETTLE, "failover " + id + " in phase " + phase, () -> journal(id)
                .getPhase()
                .equals(phase));
    }

    private static Failover awaitFinal(long id) {
        Eventually.await(SETTLE, "failover " + id + " final", () -> FailoverRows.isFinal(journal(id)));
        return journal(id);
    }

    private static void assertCompletedByEveryMember(Failover row, List<String> members) {
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, row.getPhase(), row + stack.diagnostics());
        assertEquals(
                members,
                row.getMembersList().stream()
                        .map(FailoverMember::getHost)
                        .sorted()
                        .toList(),
                row.toString());
        for (FailoverMember member : row.getMembersList()) {
            assertEquals(row.getEpoch(), member.getAckedEpoch(), member.toString());
        }
    }

    /** Exactly one driver promote for the operation, over every member's log (a retry is answered from memory). */
    private static void assertPromotedOnce(long id) {
        assertEquals(1, promotions(id), "driver promotions of failover " + id + "\n" + stack.diagnostics());
    }

    private static long promotions(long id) {
        String marker = "Failover " + id + ": ";
        return nodes.values().stream()
                .flatMap(node -> node.stdoutLines().stream())
                .filter(line -> line.contains(marker) && line.contains(" promotes "))
                .count();
    }
}
