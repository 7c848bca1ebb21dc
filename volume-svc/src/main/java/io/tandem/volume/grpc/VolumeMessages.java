package io.tandem.volume.grpc;

import com.google.protobuf.Timestamp;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeStatus;
import java.time.Instant;
import java.util.Map;

/** Database rows and values as VolumeService messages. Strings absent from the proto enums map to UNSPECIFIED. */
final class VolumeMessages {
    private static final Map<String, VolumeStatus> VOLUME_STATUSES = Map.of(
            "creating", VolumeStatus.VOLUME_STATUS_CREATING,
            "available", VolumeStatus.VOLUME_STATUS_AVAILABLE,
            "deleting", VolumeStatus.VOLUME_STATUS_DELETING,
            "error", VolumeStatus.VOLUME_STATUS_ERROR,
            "error_deleting", VolumeStatus.VOLUME_STATUS_ERROR_DELETING,
            "extending", VolumeStatus.VOLUME_STATUS_EXTENDING,
            "error_extending", VolumeStatus.VOLUME_STATUS_ERROR_EXTENDING);
    private static final Map<String, ReplicationStatus> REPLICATION_STATUSES = Map.of(
            "enabled", ReplicationStatus.REPLICATION_STATUS_ENABLED,
            "disabled", ReplicationStatus.REPLICATION_STATUS_DISABLED,
            "not-capable", ReplicationStatus.REPLICATION_STATUS_NOT_CAPABLE,
            "failing-over", ReplicationStatus.REPLICATION_STATUS_FAILING_OVER,
            "failover-error", ReplicationStatus.REPLICATION_STATUS_FAILOVER_ERROR,
            "failed-over", ReplicationStatus.REPLICATION_STATUS_FAILED_OVER,
            "error", ReplicationStatus.REPLICATION_STATUS_ERROR,
            "enabling", ReplicationStatus.REPLICATION_STATUS_ENABLING,
            "disabling", ReplicationStatus.REPLICATION_STATUS_DISABLING,
            "updating", ReplicationStatus.REPLICATION_STATUS_UPDATING);

    private VolumeMessages() {}

    static Volume volume(VolumeRow row) {
        Volume.Builder volume = Volume.newBuilder()
                .setId(row.id().toString())
                .setProjectId(row.projectId())
                .setUserId(nonNull(row.userId()))
                .setName(nonNull(row.name()))
                .setDescription(nonNull(row.description()))
                .setSizeGb(row.sizeGb())
                .setStatus(VOLUME_STATUSES.getOrDefault(row.status(), VolumeStatus.VOLUME_STATUS_UNSPECIFIED))
                .setClusterName(nonNull(row.clusterName()))
                .setHost(nonNull(row.host()))
                .setReplicationStatus(replicationStatus(row.replicationStatus()))
                .setProviderLocation(nonNull(row.providerLocation()));
        if (row.lastSyncAt() != null) {
            volume.setLastSyncAt(timestamp(row.lastSyncAt()));
        }
        if (row.createdAt() != null) {
            volume.setCreatedAt(timestamp(row.createdAt()));
        }
        if (row.updatedAt() != null) {
            volume.setUpdatedAt(timestamp(row.updatedAt()));
        }
        return volume.build();
    }

    static ReplicationStatus replicationStatus(String stored) {
        return stored == null
                ? ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED
                : REPLICATION_STATUSES.getOrDefault(stored, ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED);
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
