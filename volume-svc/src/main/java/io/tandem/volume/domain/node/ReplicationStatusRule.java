package io.tandem.volume.domain.node;

import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start rows of ARCHITECTURE.md's replication state table: a backend with replication targets (and a driver that
 * replicates) is {@code enabled}, one without is {@code not-capable}. Applied at every start, after the targets are
 * seeded, as a compare-and-swap from exactly the other value, so that every other status (failed-over, failing-over,
 * error, …) belongs to replication-svc and is left alone, and members starting together apply it once. The cluster row
 * and its services change in one transaction (a non-clustered node: its own row).
 */
final class ReplicationStatusRule {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationStatusRule.class);
    static final String ENABLED = "enabled";
    static final String NOT_CAPABLE = "not-capable";

    private static final String CLUSTER = "UPDATE clusters SET replication_status = ?, updated_at = now()"
            + " WHERE name = ? AND binary_name = 'volume' AND replication_status = ?";
    private static final String CLUSTER_SERVICES = "UPDATE services SET replication_status = ?, updated_at = now()"
            + " WHERE cluster_name = ? AND binary_name = 'volume' AND replication_status = ?";
    private static final String OWN_ROW = "UPDATE services SET replication_status = ?, updated_at = now()"
            + " WHERE id = ? AND replication_status = ?";

    private final DataSource dataSource;

    ReplicationStatusRule(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param replicates the backend has targets and its driver replicates
     */
    void apply(NodeIdentity node, boolean replicates) {
        String from = replicates ? NOT_CAPABLE : ENABLED;
        String to = replicates ? ENABLED : NOT_CAPABLE;
        int changed = Transactions.inTransaction(dataSource, c -> {
            if (!node.clustered()) {
                return Queries.update(c, OWN_ROW, to, node.serviceId(), from);
            }
            int cluster = Queries.update(c, CLUSTER, to, node.cluster(), from);
            Queries.update(c, CLUSTER_SERVICES, to, node.cluster(), from);
            return cluster;
        });
        if (changed > 0) {
            LOG.info(
                    "Replication of {} is now {} ({})",
                    node.scope(),
                    to,
                    replicates ? "replication targets are configured" : "no replication target");
        }
    }
}
