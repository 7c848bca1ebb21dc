package io.tandem.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.tandem.membership.EpochRecord;
import io.tandem.membership.Registration;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FailoverResponse;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.TargetScope;
import io.tandem.proto.v1.VolumeModelUpdate;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceFailoverRequest;
import io.tandem.proto.v1.VolumeStatus;
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
 * The protocol after the claim, driven against scripted volume nodes: drain, promote on one member, the commit
 * (cluster, services, volumes, epoch, epoch key), FailoverCompleted to every member, and each way it can end —
 * completed, failback, reverted (invalid target), failed (driver error) and retried, completed with a fenced member.
 */
class FailoverProtocolTest extends ThreeMemberClusterTest {

    /** Every node promotes like the reference driver: replicated volumes move to the target, the others to error. */
    private void promoteLikeTheDriver(Set<UUID> replicated, Set<UUID> notReplicated) {
        for (RecordingVolumeNode node : nodes) {
            node.promoteUpdates(request -> {
                boolean failback = "default".equals(request.getSecondaryBackendId());
                List<VolumeModelUpdate> updates = new ArrayList<>();
                for (UUID id : replicated) {
                    updates.add(VolumeModelUpdate.newBuilder()
                            .setVolumeId(id.toString())
                            .setReplicationStatus(
                                    failback
                                            ? ReplicationStatus.REPLICATION_STATUS_ENABLED
                                            : ReplicationStatus.REPLICATION_STATUS_FAILED_OVER)
                            .setProviderLocation("/sites/" + request.getSecondaryBackendId() + "/" + id)
                            .build());
                }
                if (!failback) {
                    for (UUID id : notReplicated) {
                        updates.add(VolumeModelUpdate.newBuilder()
                                .setVolumeId(id.toString())
                                .setStatus(VolumeStatus.VOLUME_STATUS_ERROR)
                                .build());
                    }
                }
                return updates;
            });
        }
    }

    private FailoverResponse failover(String backendId) {
        return harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId(backendId)
                        .build());
    }

    private List<VolumeServiceFailoverRequest> promotes() {
        return nodes.stream()
                .flatMap(n -> n.<VolumeServiceFailoverRequest>requests(Rpc.FAILOVER).stream())
                .toList();
    }

    private static long millis(com.google.protobuf.Timestamp t) {
        return Timestamps.toMillis(t);
    }

    @Test
    void aFailoverPromotesOnOneMemberCommitsOnceAndEveryMemberAcknowledges() {
        threeMembers();
        UUID r1 = harness.volume(CLUSTER, "n1@fs", "enabled");
        UUID r2 = harness.volume(CLUSTER, "n2@fs", "enabled");
        UUID plain = harness.volume(CLUSTER, "n1@fs", "disabled");
        UUID elsewhere = harness.volume("other@fs", "m1@fs", "enabled");
        promoteLikeTheDriver(Set.of(r1, r2), Set.of(plain));

        Metadata headers = new Metadata();
        String requestId = RequestIds.generate();
        headers.put(RequestIds.METADATA_KEY, requestId);
        headers.put(Metadata.Key.of("x-tandem-user", Metadata.ASCII_STRING_MARSHALLER), "alice");
        FailoverResponse claimed = harness.stub()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .failover(FailoverRequest.newBuilder()
                        .setCluster(CLUSTER)
                        .setBackendId("b1")
                        .build());

        Failover atClaim = claimed.getFailover();
        assertEquals(claimed.getFailoverId(), atClaim.getId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_CLAIMED, atClaim.getPhase());
        assertEquals(FailoverKind.FAILOVER_KIND_FAILOVER, atClaim.getKind());
        assertEquals(TargetScope.TARGET_SCOPE_CLUSTER, atClaim.getScope());
        assertEquals(CLUSTER, atClaim.getTarget());
        assertEquals("", atClaim.getFromBackendId(), "the primary is the empty string");
        assertEquals("b1", atClaim.getToBackendId());
        assertEquals(0, atClaim.getEpoch(), "no epoch before the commit");
        assertEquals("replication-test", atClaim.getOwner());
        assertEquals("alice", atClaim.getRequestedBy());
        assertEquals(requestId, atClaim.getRequestId());
        assertEquals(0, atClaim.getMembersCount());

        Failover done = harness.awaitFinal(claimed.getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(1, done.getEpoch());
        assertEquals("", done.getOwner(), "a final row has no owner");
        assertEquals("", done.getError());
        assertTrue(millis(done.getClaimedAt()) <= millis(done.getPromotedAt()));
        assertTrue(millis(done.getPromotedAt()) <= millis(done.getCommittedAt()));
        assertTrue(millis(done.getCommittedAt()) <= millis(done.getCompletedAt()));
        assertEquals(Timestamps.between(done.getClaimedAt(), done.getCompletedAt()), done.getDuration());

        // Promote: on exactly one member, serving the claim's epoch, with the journal id, a deadline and the request
        // id.
        List<VolumeServiceFailoverRequest> promotes = promotes();
        assertEquals(1, promotes.size(), "the promote ran once");
        assertEquals(claimed.getFailoverId(), promotes.get(0).getFailoverId());
        assertEquals("b1", promotes.get(0).getSecondaryBackendId());
        assertEquals(0, promotes.get(0).getExpectedEpoch());
        RecordingVolumeNode promoter = nodes.get(HOSTS.indexOf(done.getPromoterHost()));
        assertTrue(promoter.seen(Rpc.FAILOVER).get(0).hadDeadline());
        assertEquals(requestId, promoter.seen(Rpc.FAILOVER).get(0).requestId());

        // Commit: cluster, every service, the volumes of this cluster only, the epoch key.
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals("failed-over", cluster.replicationStatus());
        assertEquals("b1", cluster.activeBackendId());
        assertEquals(1, cluster.epoch());
        for (String host : HOSTS) {
            ServiceRow service = harness.reloadService(host, "volume");
            assertEquals(
                    List.of("failed-over", "b1", 1L),
                    List.of(service.replicationStatus(), service.activeBackendId(), service.epoch()),
                    host);
        }
        assertEquals(
                "failed-over|/sites/b1/" + r1 + "|available",
                volume(r1),
                "a replicated volume takes the driver's update");
        assertEquals("failed-over|/sites/b1/" + r2 + "|available", volume(r2));
        assertEquals("disabled|/sites/primary/" + plain + "|error", volume(plain), "not replicated: error");
        assertTrue(harness.value("SELECT status_reason FROM volumes WHERE id = ?", r -> r.getString(1), plain)
                .startsWith("Not replicated"));
        assertEquals("enabled|/sites/primary/" + elsewhere + "|available", volume(elsewhere), "another cluster's");
        assertEquals(
                new EpochRecord(1, "b1"), harness.etcd().epochs().read(CLUSTER).orElseThrow());

        // Complete: every member told once, after the commit, and each acknowledgement recorded.
        for (int i = 0; i < HOSTS.size(); i++) {
            List<VolumeServiceFailoverCompletedRequest> told = nodes.get(i).requests(Rpc.FAILOVER_COMPLETED);
            assertEquals(1, told.size(), HOSTS.get(i));
            assertEquals(1, told.get(0).getEpoch());
            assertEquals("b1", told.get(0).getActiveBackendId());
            assertEquals(claimed.getFailoverId(), told.get(0).getFailoverId());
            assertTrue(nodes.get(i).seen(Rpc.FAILOVER_COMPLETED).get(0).hadDeadline());
        }
        assertEquals(
                HOSTS,
                done.getMembersList().stream().map(FailoverMember::getHost).toList());
        for (FailoverMember member : done.getMembersList()) {
            assertEquals(1, member.getAckedEpoch(), member.getHost());
            assertEquals(1, member.getAttempts());
            assertFalse(member.getFenced());
            assertEquals("", member.getError());
            assertTrue(millis(member.getAckedAt()) >= millis(done.getCommittedAt()));
        }

        // Failback: the same protocol to "default", back to enabled on the primary.
        FailoverResponse back = failover("default");
        assertEquals(FailoverKind.FAILOVER_KIND_FAILBACK, back.getFailover().getKind());
        assertEquals("b1", back.getFailover().getFromBackendId());
        assertEquals("", back.getFailover().getToBackendId());
        Failover backDone = harness.awaitFinal(back.getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, backDone.getPhase(), backDone.getError());
        assertEquals(2, backDone.getEpoch());
        ClusterRow primary = harness.reloadCluster(CLUSTER);
        assertEquals("enabled", primary.replicationStatus());
        assertNull(primary.activeBackendId(), "the primary is NULL, never 'default'");
        assertEquals(2, primary.epoch());
        for (String host : HOSTS) {
            ServiceRow service = harness.reloadService(host, "volume");
            assertEquals("enabled", service.replicationStatus());
            assertNull(service.activeBackendId());
            assertEquals(2, service.epoch());
        }
        assertEquals("enabled|/sites/default/" + r1 + "|available", volume(r1));
        assertEquals(
                new EpochRecord(2, null), harness.etcd().epochs().read(CLUSTER).orElseThrow());
        assertEquals(2, promotes().size());
        assertEquals("default", promotes().get(1).getSecondaryBackendId());
        assertEquals(1, promotes().get(1).getExpectedEpoch(), "members serve the epoch they acknowledged");
        assertTrue(backDone.getMembersList().stream().allMatch(m -> m.getAckedEpoch() == 2));
    }

    private String volume(UUID id) {
        return harness.value(
                "SELECT replication_status || '|' || provider_location || '|' || status FROM volumes WHERE id = ?",
                r -> r.getString(1),
                id);
    }

    @Test
    void aPromoteRejectedAsAnInvalidTargetRevertsTheClaim() {
        // From failed-over at b1, so that "back to the status before the claim" is not simply enabled.
        membersFailedOverAt("b1", 3);
        nodes.forEach(n -> n.fail(Rpc.FAILOVER, Status.INVALID_ARGUMENT.withDescription("b2 is not configured")));

        Failover done = harness.awaitFinal(failover("b2").getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_REVERTED, done.getPhase());
        assertTrue(done.getError().contains("b2 is not configured"), done.getError());
        assertEquals(0, done.getEpoch());
        assertEquals(1, promotes().size(), "a rejected target is not asked of another member");
        assertEquals(3, promotes().get(0).getExpectedEpoch());
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals(
                List.of("failed-over", "b1", 3L),
                List.of(cluster.replicationStatus(), cluster.activeBackendId(), cluster.epoch()));
        for (String host : HOSTS) {
            assertEquals("failed-over", harness.reloadService(host, "volume").replicationStatus());
        }
        assertTrue(nodes.stream().allMatch(n -> n.seen(Rpc.FAILOVER_COMPLETED).isEmpty()));
        assertEquals(0, done.getMembersCount());
    }

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

    @Test
    void aDriverErrorFailsTheFailoverAndANewRequestRetriesIt() {
        threeMembers();
        nodes.forEach(n -> n.fail(Rpc.FAILOVER, Status.INTERNAL.withDescription("site b1 is unreachable")));

        Failover failed = harness.awaitFinal(failover("b1").getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_FAILED, failed.getPhase());
        assertTrue(failed.getError().contains("site b1 is unreachable"), failed.getError());
        assertEquals(1, promotes().size(), "a driver error is final for this request");
        ClusterRow cluster = harness.reloadCluster(CLUSTER);
        assertEquals(List.of("failover-error", 0L), List.of(cluster.replicationStatus(), cluster.epoch()));
        assertNull(cluster.activeBackendId());
        HOSTS.forEach(h -> assertEquals(
                "failover-error", harness.reloadService(h, "volume").replicationStatus()));

        nodes.forEach(n -> n.heal(Rpc.FAILOVER));
        Failover retried = harness.awaitFinal(failover("b1").getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, retried.getPhase(), retried.getError());
        assertEquals("failed-over", harness.reloadCluster(CLUSTER).replicationStatus());
        assertEquals(1, harness.reloadCluster(CLUSTER).epoch());
    }

    @Test
    void unreachableMembersAreSkippedAndAPromoteToAnotherBackendIsNotCommitted() {
        threeMembers();
        // The member asked first (by host name) is unreachable once; the next member promotes.
        nodes.get(0).fail(Rpc.FAILOVER, Status.UNAVAILABLE.withDescription("restarting"), 1);
        Failover done = harness.awaitFinal(failover("b1").getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        assertEquals(2, promotes().size());
        assertEquals(promotes().get(0).getFailoverId(), promotes().get(1).getFailoverId());
        assertEquals("n2@fs", done.getPromoterHost());

        // A driver that promotes something else than asked is a driver error: nothing is committed.
        nodes.forEach(n -> n.promotesTo("b1"));
        Failover wrong = harness.awaitFinal(failover("b2").getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_FAILED, wrong.getPhase());
        assertTrue(wrong.getError().contains("not b2"), wrong.getError());
        assertEquals(
                List.of("failover-error", "b1", 1L),
                List.of(
                        harness.reloadCluster(CLUSTER).replicationStatus(),
                        harness.reloadCluster(CLUSTER).activeBackendId(),
                        harness.reloadCluster(CLUSTER).epoch()));
    }

    @Test
    void aMemberWhoseFailoverCompletedKeepsFailingIsFencedAndTheRestProceed() {
        threeMembers();
        RecordingVolumeNode broken = nodes.get(2);
        broken.fail(Rpc.FAILOVER_COMPLETED, Status.INTERNAL.withDescription("cannot mount site b1"));

        Failover done = harness.awaitFinal(failover("b1").getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS, done.getPhase());
        assertTrue(done.getError().contains("n3@fs"), done.getError());
        FailoverMember fenced = done.getMembersList().get(2);
        assertEquals("n3@fs", fenced.getHost());
        assertTrue(fenced.getFenced());
        assertEquals(0, fenced.getAckedEpoch());
        assertEquals(3, fenced.getAttempts(), "complete-attempts is 3 in this test");
        assertTrue(fenced.getError().contains("cannot mount site b1"), fenced.getError());
        assertEquals(3, broken.seen(Rpc.FAILOVER_COMPLETED).size());
        for (FailoverMember member : done.getMembersList().subList(0, 2)) {
            assertEquals(1, member.getAckedEpoch(), member.getHost());
            assertFalse(member.getFenced());
        }
        assertEquals("error", harness.reloadService("n3@fs", "volume").replicationStatus(), "fenced member");
        assertEquals("failed-over", harness.reloadService("n1@fs", "volume").replicationStatus());
        assertEquals("failed-over", harness.reloadCluster(CLUSTER).replicationStatus(), "the cluster proceeds");

        // The fence survives a claim that commits nothing, and a commit clears it (every member is told again).
        broken.heal(Rpc.FAILOVER_COMPLETED);
        nodes.forEach(n -> n.fail(Rpc.FAILOVER, Status.INVALID_ARGUMENT.withDescription("no"), 1));
        Failover reverted = harness.awaitFinal(failover("b2").getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_REVERTED, reverted.getPhase());
        assertEquals("error", harness.reloadService("n3@fs", "volume").replicationStatus());
    }

    @Test
    void aMemberThatGoesDownBeforeAcknowledgingIsNotFenced() {
        List<Registration> members = threeMembers();
        RecordingVolumeNode leaving = nodes.get(1);
        leaving.hold(Rpc.FAILOVER_COMPLETED);
        leaving.fail(Rpc.FAILOVER_COMPLETED, Status.UNAVAILABLE.withDescription("shutting down"));
        long id = failover("b1").getFailoverId();
        Eventually.await(Duration.ofSeconds(10), "n2 to be told", () -> !leaving.seen(Rpc.FAILOVER_COMPLETED)
                .isEmpty());
        members.get(1).close();
        leaving.release(Rpc.FAILOVER_COMPLETED);

        Failover done = harness.awaitFinal(id);

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        FailoverMember gone = done.getMembersList().get(1);
        assertEquals("n2@fs", gone.getHost());
        assertFalse(gone.getFenced());
        assertEquals(0, gone.getAckedEpoch());
        assertTrue(gone.getError().contains("went down"), gone.getError());
        assertEquals("failed-over", harness.reloadService("n2@fs", "volume").replicationStatus());
    }

    @Test
    void inFlightOperationsAreDrainedBeforeThePromote() {
        threeMembers();
        UUID busy = harness.volume(CLUSTER, "n1@fs", "enabled");
        int n1 = harness.reloadService("n1@fs", "volume").id();
        harness.sql(
                "INSERT INTO workers (resource_type, resource_id, status, service_id) VALUES ('Volume', ?, 'extending', ?)",
                busy.toString(),
                n1);

        long id = failover("b1").getFailoverId();
        harness.awaitPhase(id, FailoverPhase.FAILOVER_PHASE_DRAINING);
        assertEquals(List.of(), promotes(), "no promote while an operation is in flight");
        harness.sql("DELETE FROM workers");

        assertEquals(
                FailoverPhase.FAILOVER_PHASE_COMPLETED, harness.awaitFinal(id).getPhase());

        // A row that never goes (its node died) holds the failover only until the drain timeout (3 s here).
        harness.workersRow(n1, "creating");
        long started = System.nanoTime();
        Failover late = harness.awaitFinal(failover("default").getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, late.getPhase());
        assertTrue(System.nanoTime() - started >= Duration.ofSeconds(3).toNanos());
    }

    @Test
    void aNonClusteredHostFailsOverAsItsOwnScope() {
        harness.replicatedHost("solo@fs", List.of("b1"));
        RecordingVolumeNode node = nodes.get(0);
        harness.member(node, "solo@fs", null, 0);
        UUID vol = harness.volume(null, "solo@fs", "enabled");
        UUID clustered = harness.volume(CLUSTER, "solo@fs", "enabled");
        promoteLikeTheDriver(Set.of(vol, clustered), Set.of());

        FailoverResponse claimed = harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setHost("solo@fs")
                        .setBackendId("b1")
                        .build());

        assertEquals(TargetScope.TARGET_SCOPE_HOST, claimed.getFailover().getScope());
        assertEquals("solo@fs", claimed.getFailover().getTarget());
        Failover done = harness.awaitFinal(claimed.getFailoverId());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        ServiceRow row = harness.reloadService("solo@fs", "volume");
        assertEquals(
                List.of("failed-over", "b1", 1L), List.of(row.replicationStatus(), row.activeBackendId(), row.epoch()));
        assertEquals("failed-over|/sites/b1/" + vol + "|available", volume(vol));
        assertEquals("enabled|/sites/primary/" + clustered + "|available", volume(clustered), "not this host's scope");
        assertEquals(
                new EpochRecord(1, "b1"),
                harness.etcd().epochs().read("solo@fs").orElseThrow());
        assertEquals(
                List.of("solo@fs"),
                done.getMembersList().stream().map(FailoverMember::getHost).toList());
    }

    @Test
    void tenThousandVolumesCommitInWellUnderASecond() {
        harness.replicatedCluster("big@fs", List.of("b1"), "b-n1@fs");
        harness.member(nodes.get(0), "b-n1@fs", "big@fs", 0);
        harness.sql("INSERT INTO volumes (id, project_id, size_gb, status, cluster_name, host, replication_status)"
                + " SELECT gen_random_uuid(), 'p', 1, 'available', 'big@fs', 'b-n1@fs', 'enabled'"
                + " FROM generate_series(1, 10000)");
        List<UUID> ids = Transactions.withConnection(
                harness.dataSource(), c -> Queries.list(c, "SELECT id FROM volumes", r -> r.getObject(1, UUID.class)));
        promoteLikeTheDriver(Set.copyOf(ids), Set.of());

        Failover done = harness.awaitFinal(harness.stub()
                .failover(FailoverRequest.newBuilder()
                        .setCluster("big@fs")
                        .setBackendId("b1")
                        .build())
                .getFailoverId());

        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED, done.getPhase(), done.getError());
        long commitMillis = millis(done.getCommittedAt()) - millis(done.getPromotedAt());
        assertTrue(commitMillis < 1000, "the commit of 10,000 volumes took " + commitMillis + " ms");
        assertEquals(10_000L, (long) harness.value(
                "SELECT count(*) FROM volumes WHERE replication_status = 'failed-over' AND provider_location LIKE"
                        + " '/sites/b1/%'",
                r -> r.getLong(1)));
        System.out.println("10,000-volume failover: commit " + commitMillis + " ms, claim to completed "
                + (millis(done.getCompletedAt()) - millis(done.getClaimedAt())) + " ms");
        assertEquals(1, done.getMembersCount());
    }
}
