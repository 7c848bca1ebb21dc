package io.tandem.replication.domain.cleanup;

/**
 * A service whose workers rows a cleanup covers, as WorkCleanup reports it (Cinder's {@code {id, host, binary,
 * cluster_name}}).
 *
 * @param binary stored name
 * @param clusterName null when not clustered
 */
public record ServiceRef(int id, String host, String binary, String clusterName) {}
