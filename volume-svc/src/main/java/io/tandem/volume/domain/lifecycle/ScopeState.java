package io.tandem.volume.domain.lifecycle;

import io.tandem.core.ServiceBinary;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.volume.domain.node.NodeIdentity;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The replication fields of the row that is authoritative for a node: its cluster's row, or its own service row when
 * it is not clustered (ARCHITECTURE.md, data model rules).
 *
 * @param activeBackendId null for the primary site
 */
public record ScopeState(long epoch, String activeBackendId, String replicationStatus, boolean frozen) {
    private static final String VOLUME = ServiceBinary.VOLUME.stored();
    private static final String SERVICE_BY_ID = "SELECT * FROM services WHERE id = ?";

    /** Reads the authoritative row of {@code node}. */
    public static ScopeState read(DataSource dataSource, NodeIdentity node) {
        return Transactions.withConnection(dataSource, c -> read(c, node));
    }

    /** {@link #read(DataSource, NodeIdentity)} on the caller's connection. */
    public static ScopeState read(Connection connection, NodeIdentity node) throws SQLException {
        if (node.clustered()) {
            return ClusterRepository.find(connection, node.cluster(), VOLUME)
                    .map(c -> new ScopeState(c.epoch(), c.activeBackendId(), c.replicationStatus(), c.frozen()))
                    .orElseThrow(() -> new FailedPreconditionException(
                            "Cluster " + node.cluster() + " of " + node.describe() + " no longer exists"));
        }
        ServiceRow own = ownServiceRow(connection, node);
        return new ScopeState(own.epoch(), own.activeBackendId(), own.replicationStatus(), own.frozen());
    }

    /** The node's own service row (for a clustered node, a copy of the cluster's fields plus its own fencing). */
    public static ServiceRow ownServiceRow(Connection connection, NodeIdentity node) throws SQLException {
        return Queries.one(connection, SERVICE_BY_ID, ServiceRow::from, node.serviceId())
                .orElseThrow(() -> new FailedPreconditionException(
                        "The service row " + node.serviceId() + " of " + node.describe() + " no longer exists"));
    }
}
