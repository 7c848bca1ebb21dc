package io.tandem.driver;

/**
 * What a driver declares about itself.
 *
 * @param driverName a short name for logs and GetNodeStatus, e.g. {@code shared-filesystem}
 * @param supportsActiveActive several nodes may run this driver against one backend at once (Cinder's
 *     SUPPORTS_ACTIVE_ACTIVE)
 * @param supportsReplication the driver replicates to targets and can fail over ({@code failover}, Cinder v2.1)
 * @param supportsActiveActiveReplication failover works in a cluster: {@code failover} on one member and
 *     {@code failoverCompleted} on every member (Cinder's "a/a" replication feature); a clustered node with
 *     replication targets refuses to start without it
 */
public record DriverCapabilities(
        String driverName,
        boolean supportsActiveActive,
        boolean supportsReplication,
        boolean supportsActiveActiveReplication) {}
