package io.tandem.cli;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.tandem.proto.v1.Capabilities;
import io.tandem.proto.v1.CapacityStats;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ReplicationTargetRole;
import io.tandem.proto.v1.Service;
import io.tandem.proto.v1.TargetScope;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import java.time.Instant;

/** The messages the tests render and the fake server answers with. */
final class Messages {
    private Messages() {}

    static Timestamp at(String instant) {
        Instant i = Instant.parse(instant);
        return Timestamp.newBuilder()
                .setSeconds(i.getEpochSecond())
                .setNanos(i.getNano())
                .build();
    }

    static Cluster cluster1() {
        return Cluster.newBuilder()
                .setName("cluster1@fs1")
                .setBinary("volume")
                .setIsUp(true)
                .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER)
                .setActiveBackendId("rep1")
                .setEpoch(3)
                .setNumHosts(3)
                .setNumDownHosts(1)
                .setLastHeartbeat(at("2025-03-01T10:00:05Z"))
                .setCreatedAt(at("2025-03-01T09:00:00Z"))
                .setUpdatedAt(at("2025-03-01T10:00:00.250Z"))
                .addReplicationTargets(ReplicationTarget.newBuilder()
                        .setLocation("/sites/fs1/primary")
                        .setRole(ReplicationTargetRole.REPLICATION_TARGET_ROLE_PRIMARY))
                .addReplicationTargets(ReplicationTarget.newBuilder()
                        .setBackendId("rep1")
                        .setLocation("/sites/fs1/secondary")
                        .setRole(ReplicationTargetRole.REPLICATION_TARGET_ROLE_TARGET))
                .build();
    }

    static Cluster cluster2() {
        return Cluster.newBuilder()
                .setName("cluster2@mem")
                .setBinary("volume")
                .setDisabled(true)
                .setDisabledReason("maintenance\nuntil Monday")
                .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_NOT_CAPABLE)
                .setFrozen(true)
                .setNumHosts(1)
                .setNumDownHosts(1)
                .build();
    }

    static Service node1() {
        return Service.newBuilder()
                .setId(4)
                .setHost("node1@fs1")
                .setBinary("volume")
                .setClusterName("cluster1@fs1")
                .setIsUp(true)
                .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER)
                .setActiveBackendId("rep1")
                .setEpoch(3)
                .setServedEpoch(3)
                .setUpdatedAt(at("2025-03-01T10:00:04Z"))
                .build();
    }

    static Service scheduler() {
        return Service.newBuilder()
                .setId(1)
                .setHost("scheduler")
                .setBinary("scheduler")
                .setIsUp(true)
                .setUpdatedAt(at("2025-03-01T09:00:00Z"))
                .build();
    }

    /** Failover 42 of cluster1@fs1 to rep1, in {@code phase}, with what the journal holds by then. */
    static Failover failover42(FailoverPhase phase) {
        Failover.Builder f = Failover.newBuilder()
                .setId(42)
                .setKind(FailoverKind.FAILOVER_KIND_FAILOVER)
                .setScope(TargetScope.TARGET_SCOPE_CLUSTER)
                .setTarget("cluster1@fs1")
                .setToBackendId("rep1")
                .setPhase(phase)
                .setOwner("replication")
                .setRequestedBy("alice")
                .setRequestId("req-5f0c2a5e-0000-4000-8000-000000000042")
                .setClaimedAt(at("2025-03-01T10:00:00Z"));
        if (phase.getNumber() >= FailoverPhase.FAILOVER_PHASE_PROMOTING_VALUE) {
            f.setPromoterHost("node1@fs1");
        }
        if (phase.getNumber() >= FailoverPhase.FAILOVER_PHASE_COMPLETING_VALUE) {
            f.setPromotedAt(at("2025-03-01T10:00:02.100Z"))
                    .setCommittedAt(at("2025-03-01T10:00:02.300Z"))
                    .setEpoch(3)
                    .addMembers(FailoverMember.newBuilder()
                            .setHost("node1@fs1")
                            .setAckedEpoch(3)
                            .setAckedAt(at("2025-03-01T10:00:02.400Z"))
                            .setAttempts(1))
                    .addMembers(FailoverMember.newBuilder()
                            .setHost("node3@fs1")
                            .setAttempts(phase == FailoverPhase.FAILOVER_PHASE_COMPLETING ? 1 : 5)
                            .setError("UNAVAILABLE: node3@fs1\nunreachable")
                            .setFenced(phase == FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS));
        }
        if (phase.getNumber() >= FailoverPhase.FAILOVER_PHASE_COMPLETED_VALUE) {
            f.setOwner("")
                    .setCompletedAt(at("2025-03-01T10:00:04.200Z"))
                    .setDuration(Duration.newBuilder().setSeconds(4).setNanos(200_000_000));
        }
        if (phase == FailoverPhase.FAILOVER_PHASE_FAILED || phase == FailoverPhase.FAILOVER_PHASE_REVERTED) {
            f.clearMembers()
                    .clearCommittedAt()
                    .clearPromotedAt()
                    .setEpoch(0)
                    .setError("driver failed: site rep1 unreachable");
        }
        if (phase == FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS) {
            f.setError("fenced: node3@fs1");
        }
        return f.build();
    }

    /** Journal row 45: a promote of cluster1@fs1, whose active site rep1 becomes the primary, in {@code phase}. */
    static Failover promote45(FailoverPhase phase) {
        return failover42(phase).toBuilder()
                .setId(45)
                .setKind(FailoverKind.FAILOVER_KIND_PROMOTE)
                .setFromBackendId("rep1")
                .setToBackendId("")
                .build();
    }

    static VolumeServiceGetNodeStatusResponse node1Status() {
        return VolumeServiceGetNodeStatusResponse.newBuilder()
                .setHost("node1@fs1")
                .setClusterName("cluster1@fs1")
                .setBackendName("fs1")
                .setDriverName("shared_fs")
                .setActiveBackendId("rep1")
                .setActiveLocation("/sites/fs1/secondary")
                .setServedEpoch(3)
                .setLeaseAlive(true)
                .setReplicator(true)
                .setCapabilities(Capabilities.newBuilder()
                        .setSupportsActiveActive(true)
                        .setSupportsReplication(true)
                        .setSupportsActiveActiveReplication(true)
                        .addReplicationTargetIds("rep1"))
                .setCapacity(CapacityStats.newBuilder().setTotalCapacityGb(100).setFreeCapacityGb(87.5))
                .setStartedAt(at("2025-03-01T08:59:59Z"))
                .build();
    }
}
