package io.tandem.driver;

import java.util.List;

/**
 * What {@link VolumeDriver#updateHostReplication} reports.
 *
 * @param replicationStatus the service's (cluster's) replication status afterwards
 * @param activeBackendId the site serving afterwards; null for the primary
 * @param volumeUpdates per-volume changes
 */
public record HostReplicationUpdate(
        String replicationStatus, String activeBackendId, List<VolumeUpdate> volumeUpdates) {
    public HostReplicationUpdate {
        volumeUpdates = List.copyOf(volumeUpdates);
    }
}
