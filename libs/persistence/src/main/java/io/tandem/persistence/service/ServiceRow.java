package io.tandem.persistence.service;

import io.tandem.persistence.jdbc.JdbcValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A row of {@code services}: one running service instance. Its {@code id} is what {@code workers.service_id} and
 * the REST {@code service_id} refer to. For a clustered service the cluster row is authoritative for the
 * replication fields; these copies are kept in step in the same transaction.
 *
 * @param binary the stored binary ({@code volume}, {@code scheduler}, {@code replication}, {@code api}; column
 *     {@code binary_name})
 * @param clusterName the cluster this service belongs to, or null when it is not clustered
 * @param activeBackendId the backend now serving; null means the primary
 */
public record ServiceRow(
        int id,
        String host,
        String binary,
        String clusterName,
        boolean disabled,
        String disabledReason,
        String replicationStatus,
        String activeBackendId,
        boolean frozen,
        long epoch,
        Instant createdAt,
        Instant updatedAt) {

    /** Maps a {@code SELECT * FROM services} row. */
    public static ServiceRow from(ResultSet row) throws SQLException {
        return new ServiceRow(
                row.getInt("id"),
                row.getString("host"),
                row.getString("binary_name"),
                row.getString("cluster_name"),
                row.getBoolean("disabled"),
                row.getString("disabled_reason"),
                row.getString("replication_status"),
                row.getString("active_backend_id"),
                row.getBoolean("frozen"),
                row.getLong("epoch"),
                JdbcValues.instant(row, "created_at"),
                JdbcValues.instant(row, "updated_at"));
    }
}
