package io.tandem.volume.domain.node;

import io.tandem.persistence.jdbc.Queries;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A clustered node's own service row keeps a copy of its cluster's replication fields (ARCHITECTURE.md, data model),
 * plus one field of its own: replication-svc sets its replication status to {@code error} when the member did not
 * acknowledge a failover, which fences it. A node that has converged on the cluster's epoch (at start, or after a
 * FailoverCompleted) copies the cluster's fields into its row, which is also what lifts that fence.
 */
final class OwnServiceRow {
    // Guarded by the epoch the node converged on: a newer failover committed meanwhile wins, and the node (stale
    // again) leaves its row alone. Rows already equal are not written.
    private static final String TAKE_CLUSTER_FIELDS = "UPDATE services s SET replication_status = c.replication_status,"
            + " active_backend_id = c.active_backend_id, epoch = c.epoch, updated_at = now()"
            + " FROM clusters c WHERE s.id = ? AND c.name = ? AND c.binary_name = 'volume' AND c.epoch = ?"
            + " AND (s.replication_status, s.active_backend_id, s.epoch)"
            + " IS DISTINCT FROM (c.replication_status, c.active_backend_id, c.epoch)";

    private OwnServiceRow() {}

    /**
     * Copies the cluster's replication fields into {@code node}'s own row if the cluster still holds {@code epoch}.
     * A non-clustered node's own row is the authoritative one: nothing to copy.
     *
     * @return true when the row changed
     */
    static boolean takeClusterFields(Connection connection, NodeIdentity node, long epoch) throws SQLException {
        if (!node.clustered()) {
            return false;
        }
        return Queries.update(connection, TAKE_CLUSTER_FIELDS, node.serviceId(), node.cluster(), epoch) > 0;
    }
}
