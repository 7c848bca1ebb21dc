package io.tandem.runtime.proto;

import static io.tandem.runtime.proto.StoredValues.text;
import static io.tandem.runtime.proto.StoredValues.timestamp;

import io.tandem.persistence.volume.VolumeRow;
import io.tandem.proto.v1.Volume;

/** A volume row as the {@code tandem.v1.Volume} message every service returns. */
public final class VolumeMessages {
    private VolumeMessages() {}

    public static Volume toProto(VolumeRow row) {
        Volume.Builder volume = Volume.newBuilder()
                .setId(row.id().toString())
                .setProjectId(row.projectId())
                .setUserId(text(row.userId()))
                .setName(text(row.name()))
                .setDescription(text(row.description()))
                .setSizeGb(row.sizeGb())
                .setStatus(StoredValues.volumeStatus(row.status()))
                .setStatusReason(text(row.statusReason()))
                .setClusterName(text(row.clusterName()))
                .setHost(text(row.host()))
                .setReplicationStatus(StoredValues.replicationStatus(row.replicationStatus()))
                .setProviderLocation(text(row.providerLocation()));
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
}
