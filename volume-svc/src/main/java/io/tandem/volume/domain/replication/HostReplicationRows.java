package io.tandem.volume.domain.replication;

import io.tandem.driver.HostReplicationUpdate;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.VolumeUpdate;
import io.tandem.persistence.volume.VolumeUpdates;
import io.tandem.volume.domain.node.NodeIdentity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The rows a start-up {@code updateHostReplication} writes, each a compare-and-swap on the scope row (the cluster's,
 * or the host's own when not clustered) whose row count decides, with a cluster's volume services following in the
 * same transaction: the claim ({@code → updating}), then the commit of the driver's result or the error.
 */
public final class HostReplicationRows {
    public static final String UPDATING = "updating";
    public static final String ERROR = "error";

    private static final String UNFINISHED_JOURNAL_ROW =
            "SELECT EXISTS (SELECT 1 FROM failovers WHERE target = ? AND finished_at IS NULL)";

    private final DataSource dataSource;

    public HostReplicationRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * True when replication-svc has an unfinished failover or promote for the scope: it owns the replication status
     * until the row ends, and the node converges through it rather than updating anything itself.
     */
    public boolean journalBusy(NodeIdentity node) {
        return Transactions.withConnection(
                dataSource, c -> Queries.one(c, UNFINISHED_JOURNAL_ROW, r -> r.getBoolean(1), node.scope())
                        .orElse(false));
    }

    /**
     * The claim's fence: {@code from} at {@code epoch} → {@code updating}. False when the scope changed meanwhile (the
     * caller looks again). Claiming a scope that is already {@code updating} (a dead member's claim taken over)
     * changes nothing and succeeds.
     */
    public boolean claim(NodeIdentity node, String from, long epoch) {
        if (UPDATING.equals(from)) {
            return Transactions.withConnection(dataSource, c -> scopeRow(node)
                            .eq("replication_status", UPDATING)
                            .eq("epoch", epoch)
                            .keepUpdatedAt()
                            .set("replication_status", UPDATING)
                            .execute(c))
                    == 1;
        }
        return Transactions.inTransaction(dataSource, c -> {
            int moved = scopeRow(node)
                    .eq("replication_status", from)
                    .eq("epoch", epoch)
                    .set("replication_status", UPDATING)
                    .execute(c);
            if (moved == 1 && node.clustered()) {
                services(node).set("replication_status", UPDATING).execute(c);
            }
            return moved == 1;
        });
    }

    /**
     * Commits the driver's result in one transaction: {@code updating} at {@code epoch} → its status and active backend
     * (scope row and a cluster's services), its volume updates, and no sync time on any volume (the targets start over
     * with a full copy). False when the scope is no longer {@code updating} at that epoch (another member committed
     * first after taking over a claim this node lost): nothing is written.
     */
    public boolean commit(NodeIdentity node, long epoch, HostReplicationUpdate result) {
        String reason = "updateHostReplication found no copy of the volume on the site " + node.scope()
                + " now serves as its primary.";
        return Transactions.inTransaction(dataSource, c -> {
            if (!moveFromUpdating(c, node, epoch, result.replicationStatus(), result.activeBackendId())) {
                return false;
            }
            List<VolumeUpdate> updates = result.volumeUpdates().stream()
                    .map(u -> new VolumeUpdate(
                            UUID.fromString(u.volumeId()),
                            u.status(),
                            u.replicationStatus(),
                            u.providerLocation(),
                            null))
                    .toList();
            VolumeUpdates.apply(c, node.cluster(), node.clustered() ? null : node.host(), updates, reason);
            VolumeUpdates.forgetSyncTimes(c, node.cluster(), node.clustered() ? null : node.host());
            return true;
        });
    }

    /**
     * The driver failed: {@code updating} → {@code error} (ARCHITECTURE.md's table: an admin retries the promote or
     * runs the reset again). The volumes are left as they were.
     */
    public boolean fail(NodeIdentity node, long epoch, String activeBackendId) {
        return Transactions.inTransaction(dataSource, c -> moveFromUpdating(c, node, epoch, ERROR, activeBackendId));
    }

    private static boolean moveFromUpdating(
            Connection c, NodeIdentity node, long epoch, String status, String activeBackendId) throws SQLException {
        int moved = scopeRow(node)
                .eq("replication_status", UPDATING)
                .eq("epoch", epoch)
                .set("replication_status", status)
                .set("active_backend_id", activeBackendId)
                .execute(c);
        if (moved == 1 && node.clustered()) {
            services(node)
                    .set("replication_status", status)
                    .set("active_backend_id", activeBackendId)
                    .set("epoch", epoch)
                    .execute(c);
        }
        return moved == 1;
    }

    private static ConditionalUpdate scopeRow(NodeIdentity node) {
        if (node.clustered()) {
            return ConditionalUpdate.table("clusters")
                    .eq("name", node.cluster())
                    .eq("binary_name", "volume");
        }
        return ConditionalUpdate.table("services").eq("id", node.serviceId());
    }

    private static ConditionalUpdate services(NodeIdentity node) {
        return ConditionalUpdate.table("services")
                .eq("cluster_name", node.cluster())
                .eq("binary_name", "volume");
    }
}
