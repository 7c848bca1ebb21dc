package io.tandem.replication.grpc;

import com.google.protobuf.Timestamp;
import io.tandem.core.BackendIds;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.failover.FailoverMemberRow;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.failover.NewTarget;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.targets.SiteRow;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ReplicationTargetRole;
import io.tandem.proto.v1.Service;
import io.tandem.proto.v1.ServiceRef;
import io.tandem.proto.v1.TargetScope;
import io.tandem.replication.domain.Binaries;
import io.tandem.replication.domain.clusters.ClusterView;
import io.tandem.replication.domain.failover.FailoverView;
import io.tandem.replication.domain.inventory.ReplicationState;
import io.tandem.replication.domain.services.ServiceView;
import io.tandem.runtime.proto.StoredValues;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Domain views as proto messages, following common.proto's conventions: empty string for "none" (the primary, no
 * reason, no cluster), unset timestamps for "never", and never the word {@code default} in a response.
 */
final class ProtoViews {
    private static final String DEFAULT_BACKEND = BackendIds.PRIMARY;

    private ProtoViews() {}

    static Service service(ServiceView view) {
        ServiceRow row = view.record().row();
        Service.Builder service = Service.newBuilder()
                .setId(row.id())
                .setHost(row.host())
                .setBinary(row.binary())
                .setClusterName(text(row.clusterName()))
                .setDisabled(row.disabled())
                .setDisabledReason(text(row.disabledReason()))
                .setIsUp(view.up())
                .setEpoch(row.epoch())
                .setServedEpoch(view.servedEpoch())
                .addAllReplicationTargets(targets(view.sites()));
        if (Binaries.VOLUME.equals(row.binary())) {
            // Replication fields only mean something for volume services; the others leave them unset.
            ReplicationState state = view.record().effective();
            service.setReplicationStatus(StoredValues.replicationStatus(state.status()))
                    .setActiveBackendId(text(state.activeBackendId()))
                    .setFrozen(state.frozen());
        } else {
            service.setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED);
        }
        setIfPresent(row.updatedAt(), service::setUpdatedAt);
        setIfPresent(row.createdAt(), service::setCreatedAt);
        return service.build();
    }

    static Cluster cluster(ClusterView view) {
        ClusterRow row = view.row();
        Cluster.Builder cluster = Cluster.newBuilder()
                .setName(row.name())
                .setBinary(row.binary())
                .setDisabled(row.disabled())
                .setDisabledReason(text(row.disabledReason()))
                .setReplicationStatus(StoredValues.replicationStatus(row.replicationStatus()))
                .setActiveBackendId(text(row.activeBackendId()))
                .setFrozen(row.frozen())
                .setEpoch(row.epoch())
                .setNumHosts(view.numHosts())
                .setNumDownHosts(view.numDownHosts())
                .setIsUp(view.up())
                .addAllReplicationTargets(targets(view.sites()));
        setIfPresent(view.lastHeartbeat(), cluster::setLastHeartbeat);
        setIfPresent(row.createdAt(), cluster::setCreatedAt);
        setIfPresent(row.updatedAt(), cluster::setUpdatedAt);
        return cluster.build();
    }

    static ServiceRef serviceRef(io.tandem.replication.domain.cleanup.ServiceRef ref) {
        return ServiceRef.newBuilder()
                .setId(ref.id())
                .setHost(ref.host())
                .setBinary(ref.binary())
                .setClusterName(text(ref.clusterName()))
                .build();
    }

    static Failover failover(FailoverView view) {
        FailoverRow row = view.row();
        Failover.Builder failover = Failover.newBuilder()
                .setId(row.id())
                .setKind(FailoverKind.valueOf("FAILOVER_KIND_" + constant(row.kind())))
                .setScope(TargetScope.valueOf("TARGET_SCOPE_" + constant(row.scope())))
                .setTarget(row.target())
                .setFromBackendId(backend(row.fromBackendId()))
                .setToBackendId(backend(row.toBackendId()))
                .setEpoch(row.epoch() == null ? 0 : row.epoch())
                .setPhase(FailoverPhase.valueOf("FAILOVER_PHASE_" + constant(row.phase())))
                .setOwner(text(row.owner()))
                .setRequestedBy(text(row.requestedBy()))
                .setRequestId(text(row.requestId()))
                .setError(text(row.error()))
                .setPromoterHost(text(row.promoterHost()));
        if (row.newTargets() != null) {
            for (NewTarget target : row.newTargets()) {
                failover.addNewTargets(ReplicationTarget.newBuilder()
                        .setBackendId(target.backendId())
                        .setLocation(target.location())
                        .setRole(ReplicationTargetRole.REPLICATION_TARGET_ROLE_TARGET));
            }
        }
        setIfPresent(row.claimedAt(), failover::setClaimedAt);
        setIfPresent(row.promotedAt(), failover::setPromotedAt);
        setIfPresent(row.committedAt(), failover::setCommittedAt);
        setIfPresent(row.completedAt(), failover::setCompletedAt);
        Duration duration = view.duration();
        if (duration != null) {
            failover.setDuration(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(duration.getSeconds())
                    .setNanos(duration.getNano()));
        }
        for (FailoverMemberRow member : view.members()) {
            FailoverMember.Builder out = FailoverMember.newBuilder()
                    .setHost(member.host())
                    .setAckedEpoch(member.ackedEpoch() == null ? 0 : member.ackedEpoch())
                    .setAttempts(member.attempts())
                    .setError(text(member.error()))
                    .setFenced(member.fenced());
            setIfPresent(member.ackedAt(), out::setAckedAt);
            failover.addMembers(out);
        }
        return failover.build();
    }

    /** {@code completed-with-fenced-members} → {@code COMPLETED_WITH_FENCED_MEMBERS}, the enum name's suffix. */
    private static String constant(String stored) {
        return stored.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** A journal backend id in a response: the primary ({@code default}) is the empty string. */
    private static String backend(String backendId) {
        return backendId == null || DEFAULT_BACKEND.equals(backendId) ? "" : backendId;
    }

    private static List<ReplicationTarget> targets(List<SiteRow> sites) {
        return sites.stream()
                .map(site -> ReplicationTarget.newBuilder()
                        // The configured primary may be stored as "default"; responses say "" for it.
                        .setBackendId(DEFAULT_BACKEND.equals(site.backendId()) ? "" : site.backendId())
                        .setLocation(site.location())
                        .setRole(
                                site.primary()
                                        ? ReplicationTargetRole.REPLICATION_TARGET_ROLE_PRIMARY
                                        : ReplicationTargetRole.REPLICATION_TARGET_ROLE_TARGET)
                        .build())
                .toList();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static void setIfPresent(Instant instant, java.util.function.Consumer<Timestamp> setter) {
        if (instant != null) {
            setter.accept(Timestamp.newBuilder()
                    .setSeconds(instant.getEpochSecond())
                    .setNanos(instant.getNano())
                    .build());
        }
    }
}
