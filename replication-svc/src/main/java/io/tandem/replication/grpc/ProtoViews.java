package io.tandem.replication.grpc;

import com.google.protobuf.Timestamp;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ReplicationTargetRole;
import io.tandem.proto.v1.Service;
import io.tandem.proto.v1.ServiceRef;
import io.tandem.replication.domain.Binaries;
import io.tandem.replication.domain.clusters.ClusterView;
import io.tandem.replication.domain.inventory.ReplicationState;
import io.tandem.replication.domain.services.ServiceView;
import io.tandem.replication.domain.targets.Site;
import io.tandem.runtime.proto.StoredValues;
import java.time.Instant;
import java.util.List;

/**
 * Domain views as proto messages, following common.proto's conventions: empty string for "none" (the primary, no
 * reason, no cluster), unset timestamps for "never", and never the word {@code default} in a response.
 */
final class ProtoViews {
    private static final String DEFAULT_BACKEND = "default";

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

    private static List<ReplicationTarget> targets(List<Site> sites) {
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
