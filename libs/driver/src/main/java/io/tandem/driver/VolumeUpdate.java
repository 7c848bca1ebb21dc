package io.tandem.driver;

/**
 * A driver's per-volume result of a failover or a replication update, applied by the control plane in one
 * transaction (Cinder's volume_update dictionaries, typed). Null fields are left unchanged.
 *
 * @param volumeId the volume
 * @param status a new volume status, e.g. {@code error}
 * @param replicationStatus a new replication status, e.g. {@code failed-over}
 * @param providerLocation where the volume lives now
 */
public record VolumeUpdate(String volumeId, String status, String replicationStatus, String providerLocation) {}
