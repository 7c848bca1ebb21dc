package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.volume.domain.node.NodeIdentity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The replication fields of the row that is authoritative for a node: its cluster's row, or its own service row when
 * it is not clustered (ARCHITECTURE.md, data model rules); and whether replication-svc has fenced this member.
 *
 * @param activeBackendId null for the primary site
 * @param memberFenced this clustered node's own service row is in replication status {@code error} while its cluster's
 *     is not: replication-svc gave up on its FailoverCompleted, so it takes no management operation until it restarts
 *     or a FailoverCompleted succeeds. A cluster in {@code error} (a failed replication update) fences no member: its
 *     data path still works. A non-clustered node is fenced by its epoch alone (its row is the scope row).
 */
public record ScopeState(
        long epoch, String activeBackendId, String replicationStatus, boolean frozen, boolean memberFenced) {
    /** The replication status replication-svc gives a member whose FailoverCompleted kept failing. */
    public static final String FENCED_MEMBER = "error";

    private static final String SERVICE_BY_ID = "SELECT * FROM services WHERE id = ?";
    // One round trip for both rows: the cluster's fields and this member's own replication status.
    private static final String CLUSTER_AND_OWN_STATUS =
            "SELECT c.epoch, c.active_backend_id, c.replication_status, c.frozen,"
                    + " (SELECT s.replication_status FROM services s WHERE s.id = ?) AS own_status"
                    + " FROM clusters c WHERE c.name = ? AND c.binary_name = 'volume'";

    /** Reads the authoritative row of {@code node}. */
    public static ScopeState read(DataSource dataSource, NodeIdentity node) {
        return Transactions.withConnection(dataSource, c -> read(c, node));
    }

    /** {@link #read(DataSource, NodeIdentity)} on the caller's connection. */
    public static ScopeState read(Connection connection, NodeIdentity node) throws SQLException {
        if (node.clustered()) {
            return Queries.one(
                            connection,
                            CLUSTER_AND_OWN_STATUS,
                            r -> new ScopeState(
                                    r.getLong("epoch"),
                                    r.getString("active_backend_id"),
                                    r.getString("replication_status"),
                                    r.getBoolean("frozen"),
                                    FENCED_MEMBER.equals(r.getString("own_status"))
                                            && !FENCED_MEMBER.equals(r.getString("replication_status"))),
                            node.serviceId(),
                            node.cluster())
                    .orElseThrow(() -> new FailedPreconditionException(
                            "Cluster " + node.cluster() + " of " + node.describe() + " no longer exists"));
        }
        ServiceRow own = ownServiceRow(connection, node);
        return new ScopeState(own.epoch(), own.activeBackendId(), own.replicationStatus(), own.frozen(), false);
    }

    /** The node's own service row (for a clustered node, a copy of the cluster's fields plus its own fencing). */
    public static ServiceRow ownServiceRow(Connection connection, NodeIdentity node) throws SQLException {
        return Queries.one(connection, SERVICE_BY_ID, ServiceRow::from, node.serviceId())
                .orElseThrow(() -> new FailedPreconditionException(
                        "The service row " + node.serviceId() + " of " + node.describe() + " no longer exists"));
    }

    /** True when the scope serves {@code epoch} on {@code activeBackendId} (null = the primary). */
    public boolean serves(long epoch, String activeBackendId) {
        return this.epoch == epoch && Objects.equals(this.activeBackendId, activeBackendId);
    }
}
