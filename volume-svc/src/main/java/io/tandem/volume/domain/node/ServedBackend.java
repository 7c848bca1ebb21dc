package io.tandem.volume.domain.node;

/**
 * What the node's driver serves, as read from the cluster row (the service row when not clustered) before the driver
 * was built, and again each time the node converged on a failover ({@link NodeConvergence}). Every management write of
 * the node carries {@link #epoch} as a compare-and-swap filter.
 *
 * @param epoch the cluster epoch served
 * @param activeBackendId the replication target served, or null for the primary site
 * @param replicationStatus the replication status read with them (Cinder's value)
 */
public record ServedBackend(long epoch, String activeBackendId, String replicationStatus) {}
