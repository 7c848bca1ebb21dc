package io.tandem.persistence.service;

import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code services} table: registration at start and lookups. Replication fields change by compare-and-swap. */
public final class ServiceRepository {
    // DO UPDATE (not DO NOTHING) so that RETURNING yields the row to every racer in one atomic statement. The
    // configured cluster wins: a node moved to another cluster joins it on its next start.
    private static final String UPSERT = "INSERT INTO services (host, binary_name, cluster_name) VALUES (?, ?, ?)"
            + " ON CONFLICT (host, binary_name) DO UPDATE SET cluster_name = EXCLUDED.cluster_name, updated_at = now()"
            + " RETURNING *";
    private static final String SELECT_ONE = "SELECT * FROM services WHERE host = ? AND binary_name = ?";
    private static final String SELECT_BY_ID = "SELECT * FROM services WHERE id = ?";
    private static final String SELECT_ALL = "SELECT * FROM services ORDER BY host, binary_name";
    private static final String SELECT_BY_CLUSTER = "SELECT * FROM services WHERE cluster_name = ? ORDER BY host";

    private final DataSource dataSource;

    public ServiceRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Registers the service: inserts its row, or on a restart sets its cluster and {@code updated_at}; either way
     * returns the row with its id. Safe under concurrent starts of the same host and binary.
     *
     * @param clusterName the configured cluster, or null for a non-clustered service
     */
    public ServiceRow upsert(String host, String binary, String clusterName) {
        return Transactions.withConnection(dataSource, c -> upsert(c, host, binary, clusterName));
    }

    /** The service, if registered. */
    public Optional<ServiceRow> find(String host, String binary) {
        return Transactions.withConnection(dataSource, c -> Queries.one(c, SELECT_ONE, ServiceRow::from, host, binary));
    }

    /** The service with this id, if registered. */
    public Optional<ServiceRow> findById(int id) {
        return Transactions.withConnection(dataSource, c -> Queries.one(c, SELECT_BY_ID, ServiceRow::from, id));
    }

    /** Every service, by host and binary. */
    public List<ServiceRow> list() {
        return Transactions.withConnection(dataSource, c -> Queries.list(c, SELECT_ALL, ServiceRow::from));
    }

    /** The services of one cluster, by host. */
    public List<ServiceRow> listByCluster(String clusterName) {
        return Transactions.withConnection(
                dataSource, c -> Queries.list(c, SELECT_BY_CLUSTER, ServiceRow::from, clusterName));
    }

    /** {@link #upsert(String, String, String)} on the caller's connection. */
    public static ServiceRow upsert(Connection connection, String host, String binary, String clusterName)
            throws SQLException {
        return Queries.one(connection, UPSERT, ServiceRow::from, host, binary, clusterName)
                .orElseThrow(() -> new IllegalStateException("INSERT … ON CONFLICT DO UPDATE returned no row"));
    }
}
