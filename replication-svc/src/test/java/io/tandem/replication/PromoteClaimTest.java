package io.tandem.replication;

import static io.tandem.replication.ReplicationHarness.site;
import static io.tandem.replication.ServicesTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FailoverResponse;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ReplicationTargetRole;
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
 * Step 1 of a promote, the claim: every refusal replication.proto lists for Promote, answered at once and changing
 * nothing; the claimed row with its new targets; and exactly one winner among concurrent requests for one cluster,
 * promotes alone or racing failovers.
 */
class PromoteClaimTest extends TwoNodeHarnessTest {
    private static final String CLUSTER = "c@fs";
    private static final String PRIMARY_LOCATION = "/sites/primary/" + CLUSTER;
    private static final String STATUS_REFUSAL =
            "replication_status in c@fs must be enabled, failed-over or disabled (or error after a failed promote) to"
                    + " promote.";
    private static final List<ReplicationTarget> NEW_TARGETS =
            List.of(site("c1", "/sites/c1"), site("c2", "/sites/c2"));

    /** A two-member cluster c@fs on its primary with targets b1 and b2, both members up at epoch 0. */
    private void twoMembers() {
        harness.replicatedCluster(CLUSTER, List.of("b1", "b2"), "n1@fs", "n2@fs");
        harness.member(nodeA, "n1@fs", CLUSTER, 0);
        harness.member(nodeB, "n2@fs", CLUSTER, 0);
    }

    private PromoteResponse promote(List<ReplicationTarget> targets) {
        return harness.promote(CLUSTER, targets);
    }

    private void assertNothingChanged(String status) {
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals(status, cluster.replicationStatus());
        assertEquals(0, cluster.epoch());
        assertEquals(
                List.of("primary default " + PRIMARY_LOCATION, "target b1 /sites/b1/c@fs", "target b2 /sites/b2/c@fs"),
                harness.siteRows(CLUSTER));
        assertEquals(
                0L, (long) harness.value("SELECT count(*) FROM failovers WHERE kind = 'promote'", r -> r.getLong(1)));
        assertEquals(List.of(), nodeA.seen(Rpc.UPDATE_HOST_REPLICATION));
        assertEquals(List.of(), nodeB.seen(Rpc.UPDATE_HOST_REPLICATION));
    }

    private static String refusal(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertCode(code, call::run);
        return e.getStatus().getDescription();
    }

    @Test
    void neitherTargetOrAnUnknownOneIsAnInvalidArgument() {
        twoMembers();
        assertEquals(
                "One and only one of cluster and host must be set.",
                refusal(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                        .promote(PromoteRequest.newBuilder()
                                .addAllTargets(NEW_TARGETS)
                                .build())));
        assertEquals(
                "Cluster nope@fs could not be found.",
                refusal(Status.Code.INVALID_ARGUMENT, () -> harness.promote("nope@fs", NEW_TARGETS)));
        assertEquals("Host ghost@fs could not be found.", refusal(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .promote(PromoteRequest.newBuilder()
                        .setHost("ghost@fs")
                        .addAllTargets(NEW_TARGETS)
                        .build())));
        assertNothingChanged("enabled");
    }

    @Test
    void everyInvalidTargetIsAnInvalidArgumentNamingIt() {
        twoMembers();
        List<List<Object>> cases = List.of(
                List.of(List.of(site("", "/x")), "targets[0].backend_id must not be empty."),
                List.of(List.of(site(" ", "/x")), "targets[0].backend_id must not be empty."),
                List.of(
                        List.of(site("c1", "/x"), site("default", "/y")),
                        "targets[1].backend_id \"default\" is reserved: it names the primary site."),
                List.of(List.of(site("c1", "")), "targets[0].location must not be empty."),
                List.of(
                        List.of(site("c1", "/x"), site("c2", "/y"), site("c1", "/z")),
                        "targets[0] and targets[2] have the same backend_id c1."),
                List.of(
                        List.of(site("c1", "/x"), site("c2", "/x")),
                        "targets[0] and targets[1] have the same location /x."),
                List.of(
                        List.of(site("c1", "/x"), site("c2", PRIMARY_LOCATION)),
                        "targets[1].location " + PRIMARY_LOCATION
                                + " is the location of the site being promoted, which becomes the primary of c@fs."));
        for (List<Object> c : cases) {
            @SuppressWarnings("unchecked")
            List<ReplicationTarget> targets = (List<ReplicationTarget>) c.get(0);
            assertEquals(c.get(1), refusal(Status.Code.INVALID_ARGUMENT, () -> promote(targets)), targets.toString());
        }
        assertNothingChanged("enabled");

        // Failed over to b1: b1 is the site being promoted, by backend id and by location.
        harness.sql("UPDATE clusters SET replication_status = 'failed-over', active_backend_id = 'b1'");
        assertEquals(
                "targets[0].backend_id b1 is the backend id of the site being promoted, which becomes the primary of"
                        + " c@fs.",
                refusal(Status.Code.INVALID_ARGUMENT, () -> promote(List.of(site("b1", "/new")))));
        assertEquals(
                "targets[0].location /sites/b1/c@fs is the location of the site being promoted, which becomes the"
                        + " primary of c@fs.",
                refusal(Status.Code.INVALID_ARGUMENT, () -> promote(List.of(site("b9", "/sites/b1/c@fs")))));
        assertNothingChanged("failed-over");
    }

    @Test
    void aServedSiteWithoutARowIsAFailedPrecondition() {
        twoMembers();
        harness.sql("UPDATE clusters SET replication_status = 'failed-over', active_backend_id = 'b9'");
        assertEquals(
                "c@fs has no row for the site with backend id b9, the site it serves, in replication_targets: a"
                        + " backend without sites cannot be promoted.",
                refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)));
        assertNothingChanged("failed-over");

        harness.sql("UPDATE clusters SET replication_status = 'enabled', active_backend_id = NULL");
        harness.sql("DELETE FROM replication_targets WHERE role = 'primary'");
        assertEquals(
                "c@fs has no row for the primary site, the site it serves, in replication_targets: a backend without"
                        + " sites cannot be promoted.",
                refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)));
        assertEquals(0L, (long) harness.value("SELECT count(*) FROM failovers", r -> r.getLong(1)));
    }

    @Test
    void aStatusThatDoesNotAllowItIsAFailedPreconditionInCindersWords() {
        twoMembers();
        for (String status : List.of(
                "not-capable", "failing-over", "failover-error", "updating", "enabling", "disabling", "error")) {
            harness.sql("UPDATE clusters SET replication_status = ?", status);
            assertEquals(STATUS_REFUSAL, refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)), status);
            assertNothingChanged(status);
        }
        // disabled promotes only on the primary: a backend serving a target is failed over, not disabled.
        harness.sql("UPDATE clusters SET replication_status = 'disabled', active_backend_id = 'b1'");
        harness.sql(
                "INSERT INTO replication_targets (scope, backend_id, location, role) VALUES (?, 'b1', '/b1',"
                        + " 'target') ON CONFLICT DO NOTHING",
                CLUSTER);
        assertEquals(STATUS_REFUSAL, refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)));
        assertNothingChanged("disabled");
    }

    @Test
    void errorIsPromotableOnlyWhenAPromoteLeftIt() {
        twoMembers();
        harness.sql("UPDATE clusters SET replication_status = 'error'");
        // Newest rows that did not leave error behind through a promote: a failed failover, a completed promote, a
        // promote reverted to enabled.
        journalRow("failover", "failed", "enabled", null);
        assertEquals(STATUS_REFUSAL, refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)));
        journalRow("promote", "completed", "enabled", "[]");
        assertEquals(STATUS_REFUSAL, refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)));
        journalRow("promote", "reverted", "enabled", "[]");
        assertEquals(STATUS_REFUSAL, refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)));
        assertEquals("error", harness.reloadCluster(CLUSTER).replicationStatus());

        // A failed promote, and a retry of it that was reverted back to error: both may be retried.
        journalRow("promote", "reverted", "error", "[]");
        nodeA.hold(Rpc.UPDATE_HOST_REPLICATION);
        nodeB.hold(Rpc.UPDATE_HOST_REPLICATION);
        PromoteResponse fromReverted = promote(NEW_TARGETS);
        assertEquals("updating", harness.reloadCluster(CLUSTER).replicationStatus());
        assertEquals(
                "error",
                harness.value(
                        "SELECT previous_status FROM failovers WHERE id = ?",
                        r -> r.getString(1),
                        fromReverted.getFailoverId()));
        nodeA.fail(Rpc.UPDATE_HOST_REPLICATION, Status.INTERNAL.withDescription("disk gone"));
        nodeB.fail(Rpc.UPDATE_HOST_REPLICATION, Status.INTERNAL.withDescription("disk gone"));
        nodeA.release(Rpc.UPDATE_HOST_REPLICATION);
        nodeB.release(Rpc.UPDATE_HOST_REPLICATION);
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_FAILED,
                harness.awaitFinal(fromReverted.getFailoverId()).getPhase());
        assertEquals("error", harness.reloadCluster(CLUSTER).replicationStatus());

        nodeA.heal(Rpc.UPDATE_HOST_REPLICATION);
        nodeB.heal(Rpc.UPDATE_HOST_REPLICATION);
        Failover retried = harness.awaitFinal(promote(NEW_TARGETS).getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, retried.getPhase(), retried.getError());
        assertEquals("enabled", harness.reloadCluster(CLUSTER).replicationStatus());
    }

    /** A finished journal row of c@fs, as an earlier operation left it. */
    private void journalRow(String kind, String phase, String previousStatus, String newTargets) {
        harness.sql(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, previous_status,"
                        + " claim_epoch, finished_at, completed_at, new_targets)"
                        + " VALUES (?, 'cluster', ?, 'default', 'default', ?, ?, 0, now(), now(), CAST(? AS jsonb))",
                kind,
                CLUSTER,
                phase,
                previousStatus,
                newTargets);
    }

    @Test
    void noLiveMemberIsAFailedPrecondition() {
        harness.replicatedCluster(CLUSTER, List.of("b1", "b2"), "n1@fs", "n2@fs");
        assertEquals(
                "No member of c@fs is up to run the promote.",
                refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS)));
        assertNothingChanged("enabled");
    }

    @Test
    void anUnfinishedFailoverRefusesAPromoteAndAnUnfinishedPromoteAFailover() {
        twoMembers();
        nodeA.hold(Rpc.FAILOVER);
        nodeB.hold(Rpc.FAILOVER);
        FailoverResponse failover = harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId("b1")
                        .build());
        String refused = refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS));
        assertTrue(refused.startsWith("An unfinished failover (id " + failover.getFailoverId() + ", phase "), refused);
        nodeA.release(Rpc.FAILOVER);
        nodeB.release(Rpc.FAILOVER);
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_COMPLETED,
                harness.awaitFinal(failover.getFailoverId()).getPhase());

        nodeA.hold(Rpc.UPDATE_HOST_REPLICATION);
        nodeB.hold(Rpc.UPDATE_HOST_REPLICATION);
        PromoteResponse promote = promote(NEW_TARGETS);
        String refusedFailover = refusal(Status.Code.FAILED_PRECONDITION, () -> harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId("b2")
                        .build()));
        assertTrue(
                refusedFailover.startsWith("An unfinished promote (id " + promote.getFailoverId() + ", phase "),
                refusedFailover);
        String refusedPromote = refusal(Status.Code.FAILED_PRECONDITION, () -> promote(NEW_TARGETS));
        assertTrue(refusedPromote.startsWith("An unfinished promote"), refusedPromote);
        nodeA.release(Rpc.UPDATE_HOST_REPLICATION);
        nodeB.release(Rpc.UPDATE_HOST_REPLICATION);
        assertEquals(
                FailoverPhase.FAILOVER_PHASE_COMPLETED,
                harness.awaitFinal(promote.getFailoverId()).getPhase());
        assertEquals(2, harness.reloadCluster(CLUSTER).epoch());
    }

    @Test
    void theClaimHoldsTheClusterInUpdatingAndStoresTheNewTargetsEvenWhenFrozen() {
        twoMembers();
        harness.sql("UPDATE clusters SET frozen = true");
        harness.sql("UPDATE services SET frozen = true");
        nodeA.hold(Rpc.UPDATE_HOST_REPLICATION);
        nodeB.hold(Rpc.UPDATE_HOST_REPLICATION);

        PromoteResponse claimed = harness.stub()
                .promote(PromoteRequest.newBuilder()
                        .setHost("n2@fs")
                        .addAllTargets(NEW_TARGETS)
                        .build());

        Failover row = claimed.getFailover();
        assertEquals(claimed.getFailoverId(), row.getId());
        assertEquals(FailoverKind.FAILOVER_KIND_PROMOTE, row.getKind());
        assertEquals(FailoverPhase.FAILOVER_PHASE_CLAIMED, row.getPhase());
        assertEquals(TargetScope.TARGET_SCOPE_CLUSTER, row.getScope(), "a clustered host stands for its cluster");
        assertEquals(CLUSTER, row.getTarget());
        assertEquals("", row.getFromBackendId(), "promoting the primary");
        assertEquals("", row.getToBackendId(), "the promoted site becomes the primary");
        assertEquals(
                List.of("c1 /sites/c1 TARGET", "c2 /sites/c2 TARGET"),
                row.getNewTargetsList().stream()
                        .map(t -> t.getBackendId() + " " + t.getLocation() + " "
                                + t.getRole().name().replace("REPLICATION_TARGET_ROLE_", ""))
                        .toList());
        assertTrue(row.getNewTargetsList().stream()
                .allMatch(t -> t.getRole() == ReplicationTargetRole.REPLICATION_TARGET_ROLE_TARGET));

        // The row as stored: kind, backends, previous status, claim epoch and the targets in request order.
        assertEquals(
                "promote|default|default|enabled|0|[{\"location\": \"/sites/c1\", \"backend_id\": \"c1\"},"
                        + " {\"location\": \"/sites/c2\", \"backend_id\": \"c2\"}]",
                harness.value(
                        "SELECT kind || '|' || from_backend_id || '|' || to_backend_id || '|' || previous_status"
                                + " || '|' || claim_epoch || '|' || new_targets FROM failovers WHERE id = ?",
                        r -> r.getString(1),
                        claimed.getFailoverId()));
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals("updating", cluster.replicationStatus());
        assertTrue(cluster.frozen());
        for (String host : List.of("n1@fs", "n2@fs")) {
            assertEquals("updating", harness.reloadService(host, "volume").replicationStatus(), host);
        }

        nodeA.release(Rpc.UPDATE_HOST_REPLICATION);
        nodeB.release(Rpc.UPDATE_HOST_REPLICATION);
        Failover done = harness.awaitFinal(claimed.getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertTrue(harness.reloadCluster(CLUSTER).frozen(), "a promote leaves the frozen flag alone");
        assertEquals(2, done.getNewTargetsCount(), "a finished row still shows its targets");
    }

    /**
     * 2 to 8 promotes of one cluster at once, over 12 rounds: exactly one claims; the others are refused with
     * FAILED_PRECONDITION, exactly one journal row is added per round, and each round commits one epoch.
     */
    @Test
    void concurrentPromotesOfOneClusterClaimExactlyOnce() throws Exception {
        twoMembers();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 12; round++) {
                int requests = 2 + round % 7;
                List<ReplicationTarget> targets = round % 2 == 0 ? NEW_TARGETS : List.of(site("c3", "/sites/c3"));
                // Holding the member's call keeps the winner's row unfinished until every request has been answered.
                nodeA.hold(Rpc.UPDATE_HOST_REPLICATION);
                nodeB.hold(Rpc.UPDATE_HOST_REPLICATION);
                List<Object> answers = race(pool, requests, i -> promote(targets));
                List<PromoteResponse> won = answers.stream()
                        .filter(PromoteResponse.class::isInstance)
                        .map(PromoteResponse.class::cast)
                        .toList();
                List<Object> refused = answers.stream()
                        .filter(a -> !(a instanceof PromoteResponse))
                        .toList();
                assertEquals(1, won.size(), "round " + round + " with " + requests + " requests: " + refused);
                assertEquals(
                        Collections.nCopies(requests - 1, Status.Code.FAILED_PRECONDITION), refused, "round " + round);
                assertEquals(
                        round + 1L,
                        (long) harness.value("SELECT count(*) FROM failovers", r -> r.getLong(1)),
                        "one journal row per round");
                nodeA.release(Rpc.UPDATE_HOST_REPLICATION);
                nodeB.release(Rpc.UPDATE_HOST_REPLICATION);
                Failover done = harness.awaitFinal(won.get(0).getFailoverId());
                assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), "round " + round);
                ClusterRow cluster = harness.reloadCluster(CLUSTER);
                assertEquals(round + 1L, cluster.epoch());
                assertEquals("enabled", cluster.replicationStatus());
                assertEquals(1 + targets.size(), harness.siteRows(CLUSTER).size(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Promotes and failovers of one cluster at once (a fresh cluster each round, so that each starts from enabled on
     * its primary): one journal row and one claim per round, whichever kind wins; the others are refused.
     */
    @Test
    void aPromoteAndFailoversRacingForOneClusterClaimExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<String> winners = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                String cluster = "race" + round + "@fs";
                harness.replicatedCluster(cluster, List.of("b1", "b2"), "r" + round + "a@fs", "r" + round + "b@fs");
                harness.memberUp("r" + round + "a@fs", cluster, nodeA.address(), 0);
                harness.memberUp("r" + round + "b@fs", cluster, nodeB.address(), 0);
                for (Rpc rpc : List.of(Rpc.FAILOVER, Rpc.UPDATE_HOST_REPLICATION)) {
                    nodeA.hold(rpc);
                    nodeB.hold(rpc);
                }
                List<Object> answers = race(
                        pool,
                        6,
                        i -> i % 2 == 0
                                ? harness.promote(cluster, NEW_TARGETS).getFailover()
                                : harness.stub()
                                        .failover(FailoverRequest.newBuilder()
                                                .setCluster(cluster)
                                                .setBackendId("b1")
                                                .build())
                                        .getFailover());
                List<Failover> won = answers.stream()
                        .filter(Failover.class::isInstance)
                        .map(Failover.class::cast)
                        .toList();
                assertEquals(1, won.size(), "round " + round + ": " + answers);
                assertEquals(5, Collections.frequency(answers, Status.Code.FAILED_PRECONDITION), "round " + round);
                assertEquals(1L, (long)
                        harness.value("SELECT count(*) FROM failovers WHERE target = ?", r -> r.getLong(1), cluster));
                winners.add(won.get(0).getKind().name());
                for (Rpc rpc : List.of(Rpc.FAILOVER, Rpc.UPDATE_HOST_REPLICATION)) {
                    nodeA.release(rpc);
                    nodeB.release(rpc);
                }
                Failover done = harness.awaitFinal(won.get(0).getId());
                assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
                assertEquals(1, harness.reloadCluster(cluster).epoch());
            }
            System.out.println("Promote/failover race winners: " + winners);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code requests} calls at once; each answer is the call's result or the status code it failed with. */
    private static List<Object> race(ExecutorService pool, int requests, Call call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(requests);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                try {
                    return call.run(index);
                } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode();
                }
            }));
        }
        List<Object> answers = new ArrayList<>();
        for (Future<Object> future : futures) {
            answers.add(future.get(60, TimeUnit.SECONDS));
        }
        return answers;
    }

    @FunctionalInterface
    private interface Call {
        Object run(int index);
    }
}
