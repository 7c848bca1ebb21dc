package io.tandem.scheduler.domain.placement;

import io.tandem.membership.EtcdKeys;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import java.util.Optional;

/**
 * A placement target: a volume cluster, or a non-clustered volume service (a target of one member). The fields are
 * the authoritative ones: the cluster row for a cluster, the service's own row when it is not clustered.
 *
 * @param clusterName the cluster, or null for a non-clustered service
 * @param host the non-clustered service's host, or null for a cluster
 * @param epoch the current epoch; only members serving exactly this one get work
 */
public record Target(
        String clusterName,
        String host,
        boolean disabled,
        String disabledReason,
        boolean frozen,
        String replicationStatus,
        long epoch) {

    /** Replication statuses during which the target takes no management operation (a failover or promote holds it). */
    private static final String FAILING_OVER = "failing-over";

    private static final String UPDATING = "updating";

    public static Target of(ClusterRow row) {
        return new Target(
                row.name(),
                null,
                row.disabled(),
                row.disabledReason(),
                row.frozen(),
                row.replicationStatus(),
                row.epoch());
    }

    /** A non-clustered volume service as a target of its own. */
    public static Target of(ServiceRow row) {
        return new Target(
                null,
                row.host(),
                row.disabled(),
                row.disabledReason(),
                row.frozen(),
                row.replicationStatus(),
                row.epoch());
    }

    public boolean isClustered() {
        return clusterName != null;
    }

    /** The cluster name, or the host of a non-clustered service: how messages and logs name it. */
    public String name() {
        return isClustered() ? clusterName : host;
    }

    /** The {@code <cluster>} segment of its etcd member and stats keys ({@code _} when not clustered). */
    public String etcdSegment() {
        return EtcdKeys.clusterSegment(clusterName);
    }

    /** Why no management operation may run on it now (a failover or promote holds it); empty when none. */
    public Optional<String> busyReason() {
        if (FAILING_OVER.equals(replicationStatus)) {
            return Optional.of("failing over");
        }
        if (UPDATING.equals(replicationStatus)) {
            return Optional.of("updating (promote in progress)");
        }
        return Optional.empty();
    }

    /**
     * The replication status of a volume created here: replicated when the backend has targets (Cinder's rule, while
     * Tandem has no volume types), not-capable without targets, disabled when replication is switched off.
     */
    public String newVolumeReplicationStatus() {
        return switch (replicationStatus) {
            case "not-capable" -> "not-capable";
            case "enabled" -> "enabled";
            default -> "disabled";
        };
    }

    /** True when it still takes a new volume placed at {@code placedEpoch}: re-checked under a lock at insert time. */
    public boolean acceptsNewVolume(long placedEpoch) {
        return !disabled && !frozen && busyReason().isEmpty() && epoch == placedEpoch;
    }
}
