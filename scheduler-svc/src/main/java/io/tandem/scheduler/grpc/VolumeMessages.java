package io.tandem.scheduler.grpc;

import com.google.protobuf.Timestamp;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.volume.VolumeQuery;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.SortDirection;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeSortKey;
import io.tandem.proto.v1.VolumeStatus;
import java.time.Instant;
import java.util.Locale;

/** Volume rows and list parameters between their stored form and the messages of scheduler.proto. */
final class VolumeMessages {
    private static final String STATUS_PREFIX = "VOLUME_STATUS_";
    private static final String REPLICATION_PREFIX = "REPLICATION_STATUS_";

    private VolumeMessages() {}

    static Volume toProto(VolumeRow row) {
        Volume.Builder volume = Volume.newBuilder()
                .setId(row.id().toString())
                .setProjectId(row.projectId())
                .setUserId(text(row.userId()))
                .setName(text(row.name()))
                .setDescription(text(row.description()))
                .setSizeGb(row.sizeGb())
                .setStatus(status(row.status()))
                .setClusterName(text(row.clusterName()))
                .setHost(text(row.host()))
                .setReplicationStatus(replicationStatus(row.replicationStatus()))
                .setProviderLocation(text(row.providerLocation()))
                .setStatusReason(text(row.statusReason()));
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

    /** The stored status, e.g. {@code error_deleting} for VOLUME_STATUS_ERROR_DELETING; null for UNSPECIFIED. */
    static String storedStatus(VolumeStatus status) {
        if (status == VolumeStatus.VOLUME_STATUS_UNSPECIFIED) {
            return null;
        }
        if (status == VolumeStatus.UNRECOGNIZED) {
            throw new InvalidArgumentException("status is not a known volume status");
        }
        return status.name().substring(STATUS_PREFIX.length()).toLowerCase(Locale.ROOT);
    }

    static VolumeQuery.SortKey sortKey(VolumeSortKey key) {
        return switch (key) {
            case VOLUME_SORT_KEY_UNSPECIFIED, VOLUME_SORT_KEY_CREATED_AT -> VolumeQuery.SortKey.CREATED_AT;
            case VOLUME_SORT_KEY_ID -> VolumeQuery.SortKey.ID;
            case VOLUME_SORT_KEY_NAME -> VolumeQuery.SortKey.NAME;
            case VOLUME_SORT_KEY_SIZE -> VolumeQuery.SortKey.SIZE;
            case VOLUME_SORT_KEY_STATUS -> VolumeQuery.SortKey.STATUS;
            case VOLUME_SORT_KEY_UPDATED_AT -> VolumeQuery.SortKey.UPDATED_AT;
            case UNRECOGNIZED -> throw new InvalidArgumentException("sort_key is not a known sort key");
        };
    }

    /** True for ascending; unset means descending (Cinder's default). */
    static boolean ascending(SortDirection direction) {
        return switch (direction) {
            case SORT_DIRECTION_ASC -> true;
            case SORT_DIRECTION_UNSPECIFIED, SORT_DIRECTION_DESC -> false;
            case UNRECOGNIZED -> throw new InvalidArgumentException("sort_dir is not a known sort direction");
        };
    }

    /** Statuses without an enum value (Cinder's attach states, which Tandem does not use yet) are UNSPECIFIED. */
    private static VolumeStatus status(String stored) {
        try {
            return VolumeStatus.valueOf(STATUS_PREFIX + constant(stored));
        } catch (IllegalArgumentException e) {
            return VolumeStatus.VOLUME_STATUS_UNSPECIFIED;
        }
    }

    private static ReplicationStatus replicationStatus(String stored) {
        try {
            return ReplicationStatus.valueOf(REPLICATION_PREFIX + constant(stored));
        } catch (IllegalArgumentException | NullPointerException e) {
            return ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED;
        }
    }

    private static String constant(String stored) {
        return stored.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
