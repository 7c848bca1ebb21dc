package io.tandem.replication;

import static io.tandem.replication.ReplicationHarness.site;
import static io.tandem.replication.ServicesTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.tandem.membership.EpochRecord;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ReplicationTargetRole;
import io.tandem.proto.v1.TargetScope;
import io.tandem.proto.v1.VolumeModelUpdate;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationRequest;
import io.tandem.replication.RecordingVolumeNode.Rpc;
import io.tandem.runtime.grpc.RequestIds;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A promote after the claim, driven against scripted volume nodes: drain, UpdateHostReplication on one member, the
 * commit (cluster, services, volumes and their sync times, replication_targets, epoch, epoch key), FailoverCompleted
 * to every member, and each way it can end — enabled with new targets, disabled without, reverted (targets the member
 * rejects), failed (driver error, unusable answer, nobody to run it) and retried from error.
 */
class PromoteProtocolTest extends ThreeMemberClusterTest {
    private static final String PRIMARY = "/sites/primary/" + CLUSTER;
    private static final String B1 = "/sites/b1/" + CLUSTER;
    private static final String B2 = "/sites/b2/" + CLUSTER;

    /** The three members, converged on an earlier failover to {@code active} that committed {@code epoch}. */
    private void membersFailedOverAt(String active, long epoch) {
        harness.replicatedCluster(CLUSTER, List.of("b1", "b2"), HOSTS.toArray(String[]::new));
        harness.sql(
                "UPDATE clusters SET replication_status = 'failed-over', active_backend_id = ?, epoch = ?",
                active,
                epoch);
        harness.sql(
                "UPDATE services SET replication_status = 'failed-over', active_backend_id = ?, epoch = ?",
                active,
                epoch);
        for (int i = 0; i < HOSTS.size(); i++) {
            harness.member(nodes.get(i), HOSTS.get(i), CLUSTER, epoch);
        }
    }

    private PromoteResponse promote(List<ReplicationTarget> targets) {
        return harness.promote(CLUSTER, targets);
    }

    private List<VolumeServiceUpdateHostReplicationRequest> updates() {
        return nodes.stream()
                .flatMap(n ->
                        n.<VolumeServiceUpdateHostReplicationRequest>requests(Rpc.UPDATE_HOST_REPLICATION).stream())
                .toList();
    }

    private int completedCalls() {
        return nodes.stream()
                .mapToInt(n -> n.seen(Rpc.FAILOVER_COMPLETED).size())
                .sum();
    }

    /** Every node answers like a driver that re-protects the replicated volumes from the promoted site. */
    private void reprotectLikeTheDriver(Set<UUID> replicated) {
        for (RecordingVolumeNode node : nodes) {
            node.hostReplicationUpdates(request -> {
                List<VolumeModelUpdate> updates = new ArrayList<>();
                for (UUID id : replicated) {
                    updates.add(VolumeModelUpdate.newBuilder()
                            .setVolumeId(id.toString())
                            .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_ENABLED)
                            .setReplicationDriverData("targets=" + request.getNewTargetsCount())
                            .build());
                }
                return updates;
            });
        }
    }

    /** replication_status|replication_driver_data|provider_location|status|last_sync_at is null. */
    private String volume(UUID id) {
        return harness.value(
                "SELECT replication_status || '|' || COALESCE(replication_driver_data, '-') || '|' || provider_location"
                        + " || '|' || status || '|' || (last_sync_at IS NULL) FROM volumes WHERE id = ?",
                r -> r.getString(1),
                id);
    }

    private static long millis(com.google.protobuf.Timestamp t) {
        return Timestamps.toMillis(t);
    }

    @Test
    void aPromoteAfterAFailoverMakesTheServedSiteThePrimaryWithNewTargetsAndEveryMemberAcknowledges() {
        threeMembers();
        UUID r1 = harness.volume(CLUSTER, "n1@fs", "enabled");
        UUID r2 = harness.volume(CLUSTER, "n2@fs", "enabled");
        UUID plain = harness.volume(CLUSTER, "n1@fs", "disabled");
        UUID elsewhere = harness.volume("other@fs", "m1@fs", "enabled");
        harness.sql("UPDATE volumes SET last_sync_at = now()");

        // A -> B: fail over to b1 first (enabled -> failing-over -> failed-over).
        Failover failedOver = harness.awaitFinal(harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId("b1")
                        .build())
                .getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, failedOver.getPhase(), failedOver.getError());
        assertEquals("failed-over", harness.reloadCluster(CLUSTER).replicationStatus());

        // B becomes the primary; C (c9) and the old primary A become its targets (failed-over -> updating -> enabled).
        reprotectLikeTheDriver(Set.of(r1, r2));
        Metadata headers = new Metadata();
        String requestId = RequestIds.generate();
        headers.put(RequestIds.METADATA_KEY, requestId);
        headers.put(Metadata.Key.of("x-tandem-user", Metadata.ASCII_STRING_MARSHALLER), "carol");
        List<ReplicationTarget> targets = List.of(site("c9", "/sites/c9/" + CLUSTER), site("a", PRIMARY));
        PromoteResponse claimed = harness.stub()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .promote(PromoteRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .addAllTargets(targets)
                        .build());

        Failover atClaim = claimed.getFailover();
        assertEquals(FailoverKind.FAILOVER_KIND_PROMOTE, atClaim.getKind());
        assertEquals(FailoverPhase.FAILOVER_PHASE_CLAIMED, atClaim.getPhase());
        assertEquals("b1", atClaim.getFromBackendId());
        assertEquals("", atClaim.getToBackendId());
        assertEquals("carol", atClaim.getRequestedBy());
        assertEquals(requestId, atClaim.getRequestId());
        assertEquals(0, atClaim.getEpoch());

        Failover done = harness.awaitFinal(claimed.getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(2, done.getEpoch());
        assertEquals("", done.getOwner());
        assertEquals("", done.getError());
        assertTrue(millis(done.getClaimedAt()) <= millis(done.getPromotedAt()));
        assertTrue(millis(done.getPromotedAt()) <= millis(done.getCommittedAt()));
        assertTrue(millis(done.getCommittedAt()) <= millis(done.getCompletedAt()));
        assertEquals(2, done.getNewTargetsCount());

        // UpdateHostReplication: on exactly one member serving the claim's epoch, with the journal id, the targets
        // (role unset) in request order, a deadline and the request id.
        List<VolumeServiceUpdateHostReplicationRequest> asked = updates();
        assertEquals(1, asked.size(), "the member's update ran once");
        assertEquals(claimed.getFailoverId(), asked.get(0).getFailoverId());
        assertEquals(1, asked.get(0).getExpectedEpoch());
        assertEquals(targets, asked.get(0).getNewTargetsList());
        RecordingVolumeNode promoter = nodes.get(HOSTS.indexOf(done.getPromoterHost()));
        assertTrue(promoter.seen(Rpc.UPDATE_HOST_REPLICATION).get(0).hadDeadline());
        assertEquals(
                requestId, promoter.seen(Rpc.UPDATE_HOST_REPLICATION).get(0).requestId());

        // Commit: cluster and every service on the primary at epoch 2, the sites replaced, the volumes updated and
        // their sync times forgotten (the new targets hold no copy yet), another cluster's untouched.
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals("enabled", cluster.replicationStatus());
        assertNull(cluster.activeBackendId(), "the promoted site is the primary");
        assertEquals(2, cluster.epoch());
        for (String host : HOSTS) {
            ServiceRow service = harness.reloadService(host, "volume");
            assertEquals("enabled", service.replicationStatus(), host);
            assertNull(service.activeBackendId(), host);
            assertEquals(2, service.epoch(), host);
        }
        assertEquals(
                List.of("primary b1 " + B1, "target c9 /sites/c9/" + CLUSTER, "target a " + PRIMARY),
                harness.siteRows(CLUSTER));
        assertEquals("enabled|targets=2|/sites/primary/" + r1 + "|available|true", volume(r1));
        assertEquals("enabled|targets=2|/sites/primary/" + r2 + "|available|true", volume(r2));
        assertEquals("disabled|-|/sites/primary/" + plain + "|available|true", volume(plain));
        assertEquals("enabled|-|/sites/primary/" + elsewhere + "|available|false", volume(elsewhere));
        assertEquals(
                new EpochRecord(2, null), harness.etcd().epochs().read(CLUSTER).orElseThrow());

        // Complete: every member told once, with no active backend and the new epoch.
        for (int i = 0; i < HOSTS.size(); i++) {
            List<VolumeServiceFailoverCompletedRequest> told = nodes.get(i).requests(Rpc.FAILOVER_COMPLETED);
            assertEquals(2, told.size(), HOSTS.get(i) + ": the failover's and the promote's");
            assertEquals(claimed.getFailoverId(), told.get(1).getFailoverId());
            assertEquals(2, told.get(1).getEpoch());
            assertEquals("", told.get(1).getActiveBackendId());
        }
        assertEquals(
                HOSTS,
                done.getMembersList().stream().map(FailoverMember::getHost).toList());
        assertTrue(done.getMembersList().stream().allMatch(m -> m.getAckedEpoch() == 2 && !m.getFenced()));

        // What the API shows, and that the new sites are the ones a failover may now name.
        Cluster shown = harness.stub()
                .getCluster(GetClusterRequest.newBuilder().setName(CLUSTER).build())
                .getCluster();
        assertEquals(ReplicationStatus.REPLICATION_STATUS_ENABLED, shown.getReplicationStatus());
        assertEquals("", shown.getActiveBackendId());
        assertEquals(
                List.of("b1 PRIMARY", "a TARGET", "c9 TARGET"),
                shown.getReplicationTargetsList().stream()
                        .map(t -> t.getBackendId() + " " + t.getRole().name().replace("REPLICATION_TARGET_ROLE_", ""))
                        .toList());
        StatusRuntimeException gone = assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId("b2")
                        .build()));
        assertTrue(
                gone.getStatus().getDescription().contains("a, c9"),
                gone.getStatus().getDescription());
        Failover toC = harness.awaitFinal(harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId("c9")
                        .build())
                .getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, toC.getPhase(), toC.getError());
        assertEquals("c9", harness.reloadCluster(CLUSTER).activeBackendId());
        assertEquals(3, harness.reloadCluster(CLUSTER).epoch());
    }

    @Test
    void aPromoteWithoutTargetsDrainsFirstAndLeavesReplicationDisabled() {
        threeMembers();
        UUID busy = harness.volume(CLUSTER, "n1@fs", "enabled");
        harness.sql("UPDATE volumes SET last_sync_at = now()");
        int n1 = harness.reloadService("n1@fs", "volume").id();
        harness.sql(
                "INSERT INTO workers (resource_type, resource_id, status, service_id) VALUES ('Volume', ?, 'extending',"
                        + " ?)",
                busy.toString(),
                n1);

        long id = promote(List.of()).getFailoverId();
        harness.awaitPhase(id, FailoverPhase.FAILOVER_PHASE_DRAINING);
        assertEquals(List.of(), updates(), "no update while an operation is in flight");
        harness.sql("DELETE FROM workers");
        Failover done = harness.awaitFinal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(0, updates().get(0).getNewTargetsCount());
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals(List.of("disabled", 1L), List.of(cluster.replicationStatus(), cluster.epoch()));
        assertNull(cluster.activeBackendId());
        HOSTS.forEach(
                h -> assertEquals("disabled", harness.reloadService(h, "volume").replicationStatus()));
        assertEquals(List.of("primary default " + PRIMARY), harness.siteRows(CLUSTER), "no target is left");
        assertTrue(volume(busy).endsWith("|true"), "sync time forgotten");
        assertEquals(0, done.getNewTargetsCount());

        // Without targets there is nothing to fail over to; a promote on the primary gives it targets again, online.
        assertCode(Status.Code.FAILED_PRECONDITION, () -> harness.stub()
                .failover(FailoverRequest.newBuilder().setCluster(CLUSTER).build()));
        Failover again = harness.awaitFinal(promote(List.of(site("b1", B1))).getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, again.getPhase(), again.getError());
        cluster = harness.reloadCluster(CLUSTER);
        assertEquals(List.of("enabled", 2L), List.of(cluster.replicationStatus(), cluster.epoch()));
        assertEquals(List.of("primary default " + PRIMARY, "target b1 " + B1), harness.siteRows(CLUSTER));
    }

    @Test
    void targetsTheMemberRejectsRevertTheClaimAndChangeNothing() {
        membersFailedOverAt("b1", 3);
        UUID vol = harness.volume(CLUSTER, "n1@fs", "failed-over");
        harness.sql("UPDATE volumes SET last_sync_at = now()");
        nodes.forEach(n -> n.fail(
                Rpc.UPDATE_HOST_REPLICATION, Status.INVALID_ARGUMENT.withDescription("site /sites/c9 is not mounted")));

        Failover done =
                harness.awaitFinal(promote(List.of(site("c9", "/sites/c9"))).getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_REVERTED, done.getPhase());
        assertTrue(done.getError().contains("site /sites/c9 is not mounted"), done.getError());
        assertEquals(0, done.getEpoch());
        assertEquals(1, updates().size(), "rejected targets are not asked of another member");
        assertEquals(3, updates().get(0).getExpectedEpoch());
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals(
                List.of("failed-over", "b1", 3L),
                List.of(cluster.replicationStatus(), cluster.activeBackendId(), cluster.epoch()));
        HOSTS.forEach(h ->
                assertEquals("failed-over", harness.reloadService(h, "volume").replicationStatus()));
        assertEquals(
                List.of("primary default " + PRIMARY, "target b1 " + B1, "target b2 " + B2), harness.siteRows(CLUSTER));
        assertTrue(volume(vol).endsWith("|false"), "sync times kept");
        assertEquals(0, completedCalls());
        assertEquals(0, done.getMembersCount());
    }

    @Test
    void aDriverErrorLeavesTheClusterInErrorItsMembersUnfencedAndANewPromoteRetriesIt() {
        threeMembers();
        nodes.forEach(n -> n.fail(Rpc.UPDATE_HOST_REPLICATION, Status.INTERNAL.withDescription("cannot reach c9")));

        Failover failed =
                harness.awaitFinal(promote(List.of(site("c9", "/sites/c9"))).getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_FAILED, failed.getPhase());
        assertTrue(failed.getError().contains("cannot reach c9"), failed.getError());
        assertEquals(1, updates().size(), "a driver error is final for this request");
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals(List.of("error", 0L), List.of(cluster.replicationStatus(), cluster.epoch()));
        assertNull(cluster.activeBackendId());
        HOSTS.forEach(h -> assertEquals(
                "enabled",
                harness.reloadService(h, "volume").replicationStatus(),
                "nothing was done to the members: they stay unfenced, serving the primary"));
        assertEquals(3, harness.siteRows(CLUSTER).size(), "sites unchanged");
        assertEquals(0, completedCalls());
        // A failover does not start from a promote's error; a new promote does.
        assertCode(Status.Code.FAILED_PRECONDITION, () -> harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId("b1")
                        .build()));

        nodes.forEach(n -> n.heal(Rpc.UPDATE_HOST_REPLICATION));
        PromoteResponse retry = promote(List.of(site("c9", "/sites/c9")));
        assertEquals(
                "error",
                harness.value(
                        "SELECT previous_status FROM failovers WHERE id = ?",
                        r -> r.getString(1),
                        retry.getFailoverId()));
        Failover retried = harness.awaitFinal(retry.getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, retried.getPhase(), retried.getError());
        cluster = harness.reloadCluster(CLUSTER);
        assertEquals(List.of("enabled", 1L), List.of(cluster.replicationStatus(), cluster.epoch()));
        assertEquals(List.of("primary default " + PRIMARY, "target c9 /sites/c9"), harness.siteRows(CLUSTER));
    }

    @Test
    void unreachableMembersAreSkippedAndUnusableAnswersAreNotCommitted() {
        threeMembers();
        // The member asked first (by host name) is stale once; the next member runs the update.
        nodes.get(0).fail(Rpc.UPDATE_HOST_REPLICATION, Status.FAILED_PRECONDITION.withDescription("stale"), 1);
        Failover done = harness.awaitFinal(promote(List.of(site("c9", "/c9"))).getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(2, updates().size());
        assertEquals("n2@fs", done.getPromoterHost());

        // Answers a promote cannot commit: an active backend, a status other than enabled/disabled, enabled without
        // targets. Each ends the row failed with nothing committed; the next request retries from error.
        List<Object[]> unusable = List.of(
                new Object[] {ReplicationStatus.REPLICATION_STATUS_ENABLED, "c9", List.of(site("c8", "/c8")), "c9"},
                new Object[] {
                    ReplicationStatus.REPLICATION_STATUS_NOT_CAPABLE, "", List.of(site("c8", "/c8")), "not-capable"
                },
                new Object[] {ReplicationStatus.REPLICATION_STATUS_ENABLED, "", List.of(), "no target"});
        for (Object[] answer : unusable) {
            nodes.forEach(n -> n.hostReplicationAnswers((ReplicationStatus) answer[0], (String) answer[1]));
            @SuppressWarnings("unchecked")
            List<ReplicationTarget> targets = (List<ReplicationTarget>) answer[2];
            Failover wrong = harness.awaitFinal(promote(targets).getFailoverId());
            assertEquals(FailoverPhase.FAILOVER_PHASE_FAILED, wrong.getPhase(), (String) answer[3]);
            assertTrue(wrong.getError().contains((String) answer[3]), wrong.getError());
            assertTrue(wrong.getError().contains("nothing was committed"), wrong.getError());
            ClusterRow cluster = harness.reloadCluster(CLUSTER);
            assertEquals(List.of("error", 1L), List.of(cluster.replicationStatus(), cluster.epoch()));
            assertEquals(List.of("primary default " + PRIMARY, "target c9 /c9"), harness.siteRows(CLUSTER));
        }

        // Nobody can run it: every member refuses in every round.
        nodes.forEach(n -> n.hostReplicationAnswers(null, ""));
        nodes.forEach(n -> n.fail(Rpc.UPDATE_HOST_REPLICATION, Status.UNAVAILABLE.withDescription("restarting")));
        Failover nobody = harness.awaitFinal(promote(List.of(site("c8", "/c8"))).getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_FAILED, nobody.getPhase());
        assertTrue(nobody.getError().startsWith("No member of c1@fs could run the promote after 2 round(s)"));
        assertEquals("error", harness.reloadCluster(CLUSTER).replicationStatus());
    }

    @Test
    void aServedSiteRemovedBeforeTheCommitFailsThePromoteAndReleasesTheCluster() {
        threeMembers();
        nodes.forEach(n -> n.hold(Rpc.UPDATE_HOST_REPLICATION));
        long id = promote(List.of(site("c9", "/c9"))).getFailoverId();
        Eventually.await(
                Duration.ofSeconds(10),
                "the update to reach a member",
                () -> updates().size() == 1);
        harness.sql("DELETE FROM replication_targets WHERE role = 'primary'");
        nodes.forEach(n -> n.release(Rpc.UPDATE_HOST_REPLICATION));

        Failover done = harness.awaitFinal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_FAILED, done.getPhase());
        assertTrue(
                done.getError().contains("the primary site of c1@fs is gone from replication_targets"),
                done.getError());
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals(List.of("error", 0L), List.of(cluster.replicationStatus(), cluster.epoch()), "not left updating");
        assertEquals(List.of("target b1 " + B1, "target b2 " + B2), harness.siteRows(CLUSTER), "nothing committed");
        assertEquals(0, completedCalls());
    }

    @Test
    void aNonClusteredHostIsPromotedAsItsOwnScope() {
        harness.replicatedHost("solo@fs", List.of("b1"));
        harness.sql("UPDATE services SET replication_status = 'failed-over', active_backend_id = 'b1', epoch = 2");
        RecordingVolumeNode node = nodes.get(0);
        harness.member(node, "solo@fs", null, 2);
        UUID vol = harness.volume(null, "solo@fs", "failed-over");
        UUID clustered = harness.volume(CLUSTER, "solo@fs", "enabled");
        harness.sql("UPDATE volumes SET last_sync_at = now()");

        PromoteResponse claimed = harness.stub()
                .promote(PromoteRequest.newBuilder()
                        .setHost("solo@fs")
                        .addTargets(site("c9", "/sites/c9/solo"))
                        .build());

        assertEquals(TargetScope.TARGET_SCOPE_HOST, claimed.getFailover().getScope());
        Failover done = harness.awaitFinal(claimed.getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        ServiceRow row = harness.reloadService("solo@fs", "volume");
        assertEquals(List.of("enabled", 3L), List.of(row.replicationStatus(), row.epoch()));
        assertNull(row.activeBackendId());
        assertEquals(List.of("primary b1 /sites/b1/solo@fs", "target c9 /sites/c9/solo"), harness.siteRows("solo@fs"));
        assertTrue(volume(vol).endsWith("|true"));
        assertTrue(volume(clustered).endsWith("|false"), "not this host's scope");
        assertEquals(
                new EpochRecord(3, null),
                harness.etcd().epochs().read("solo@fs").orElseThrow());
        assertEquals(
                List.of("solo@fs"),
                done.getMembersList().stream().map(FailoverMember::getHost).toList());
        assertFalse(done.getMembersList().get(0).getFenced());
        assertEquals(
                ReplicationTargetRole.REPLICATION_TARGET_ROLE_TARGET,
                done.getNewTargets(0).getRole());
    }
}
