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
public record VolumeUpdate(String volumeId, String status, String replicationStatus, String providerLocation) {
    /** {@link #status()} of a volume a failover could not bring along (not replicated, or no copy on the site). */
    public static final String STATUS_ERROR = "error";
    /** {@link #replicationStatus()} of a volume promoted on a replication target. */
    public static final String REPLICATION_FAILED_OVER = "failed-over";
    /**
     * {@link #replicationStatus()} of a volume failed back to the primary, or made a primary volume with replication
     * targets by {@link VolumeDriver#updateHostReplication}; also that call's backend status with targets.
     */
    public static final String REPLICATION_ENABLED = "enabled";
    /**
     * {@link #replicationStatus()} of a primary volume on a backend without replication targets after {@link
     * VolumeDriver#updateHostReplication}; also that call's backend status without targets.
     */
    public static final String REPLICATION_DISABLED = "disabled";
}
