package io.tandem.driver;

/**
 * One replication target of a backend, as Cinder's {@code replication_device}.
 *
 * @param backendId the id operators fail over to; never {@code default}, which names the primary
 * @param location where the target site lives (for the shared-filesystem driver: its directory)
 */
public record ReplicationTarget(String backendId, String location) {}
