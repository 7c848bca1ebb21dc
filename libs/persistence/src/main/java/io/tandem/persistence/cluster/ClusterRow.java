package io.tandem.persistence.cluster;

import io.tandem.persistence.jdbc.JdbcValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A row of {@code clusters}. For a clustered service this row, not the service rows, is authoritative for the
 * replication fields.
 *
 * @param binary the stored binary ({@code volume}, …; column {@code binary_name})
 * @param activeBackendId the backend now serving; null means the primary
 * @param epoch incremented by every committed failover, failback and promote
 */
public record ClusterRow(
        long id,
        String name,
        String binary,
        boolean disabled,
        String disabledReason,
        String replicationStatus,
        String activeBackendId,
        boolean frozen,
        long epoch,
        Instant createdAt,
        Instant updatedAt) {

    /** Maps a {@code SELECT * FROM clusters} row. */
    public static ClusterRow from(ResultSet row) throws SQLException {
        return new ClusterRow(
                row.getLong("id"),
                row.getString("name"),
                row.getString("binary_name"),
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
