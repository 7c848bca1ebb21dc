package io.tandem.persistence.volume;

import java.util.Objects;
import java.util.UUID;

/**
 * A driver's change to one volume row (after a failover or promote); a null field leaves that column unchanged.
 *
 * @param status new status as stored (e.g. {@code error}); null = unchanged
 * @param replicationStatus new replication status as stored (e.g. {@code failed-over}); null = unchanged
 * @param providerLocation new provider location; null = unchanged
 * @param replicationDriverData new opaque replication data of the driver; null = unchanged
 */
public record VolumeUpdate(
        UUID volumeId, String status, String replicationStatus, String providerLocation, String replicationDriverData) {
    public VolumeUpdate {
        Objects.requireNonNull(volumeId, "volumeId");
    }
}
