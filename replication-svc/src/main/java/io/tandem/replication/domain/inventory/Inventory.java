package io.tandem.replication.domain.inventory;

import io.tandem.persistence.jdbc.JdbcValues;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The database reads the admin RPCs share. Services are read joined with their cluster row in one statement, so that
 * a listing never pairs a service with the cluster state of another moment.
 */
public final class Inventory {
    private static final String SERVICES = "SELECT s.*, c.id AS c_id, c.replication_status AS c_replication_status,"
            + " c.active_backend_id AS c_active_backend_id, c.frozen AS c_frozen, c.epoch AS c_epoch"
            + " FROM services s LEFT JOIN clusters c ON c.name = s.cluster_name AND c.binary_name = s.binary_name"
            + " WHERE (CAST(? AS text) IS NULL OR s.host = ?) AND (CAST(? AS text) IS NULL OR s.binary_name = ?)"
            + " ORDER BY s.host, s.binary_name";
    private static final String CLUSTER_MEMBERS =
            "SELECT * FROM services WHERE cluster_name IS NOT NULL ORDER BY cluster_name, host";

    private final DataSource dataSource;

    public Inventory(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Services by host then binary; a null argument is no filter on that column. */
    public List<ServiceRecord> services(String host, String binary) {
        return Transactions.withConnection(
                dataSource, c -> Queries.list(c, SERVICES, Inventory::record, host, host, binary, binary));
    }

    /** Every service that belongs to a cluster, by cluster then host. */
    public List<ServiceRow> clusterMembers() {
        return Transactions.withConnection(dataSource, c -> Queries.list(c, CLUSTER_MEMBERS, ServiceRow::from));
    }

    /** The workers rows of one resource, of any type when {@code resourceType} is null. */
    public List<WorkerRow> workersOf(String resourceId, String resourceType) {
        return Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c,
                        "SELECT * FROM workers WHERE resource_id = ? AND (CAST(? AS text) IS NULL OR resource_type = ?)"
                                + " ORDER BY id",
                        WorkerRow::from,
                        resourceId,
                        resourceType,
                        resourceType));
    }

    /** Rows held by {@code serviceIds} and last updated before {@code until}. */
    public List<WorkerRow> workersHeldBy(Collection<Integer> serviceIds, Instant until) {
        return Transactions.withConnection(
                dataSource, c -> WorkerRows.listByServicesUpdatedBefore(c, serviceIds, until));
    }

    /**
     * The database's clock. Workers rows are stamped by it, so "rows older than this request" must be measured on it,
     * not on this process's clock.
     */
    public Instant now() {
        return Transactions.withConnection(
                dataSource, c -> Queries.one(c, "SELECT now() AS now", r -> JdbcValues.instant(r, "now"))
                        .orElseThrow());
    }

    private static ServiceRecord record(ResultSet r) throws SQLException {
        ServiceRow row = ServiceRow.from(r);
        boolean ownState = row.clusterName() == null || JdbcValues.nullableLong(r, "c_id") == null;
        ReplicationState state = ownState
                // A clustered service whose cluster row is missing (never the case once its node has started) falls
                // back to its own copy rather than showing nothing.
                ? new ReplicationState(row.replicationStatus(), row.activeBackendId(), row.frozen(), row.epoch())
                : new ReplicationState(
                        r.getString("c_replication_status"),
                        r.getString("c_active_backend_id"),
                        r.getBoolean("c_frozen"),
                        r.getLong("c_epoch"));
        return new ServiceRecord(row, state);
    }
}
