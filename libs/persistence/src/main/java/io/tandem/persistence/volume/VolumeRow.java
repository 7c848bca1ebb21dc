package io.tandem.persistence.volume;

import io.tandem.persistence.jdbc.JdbcValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code volumes}.
 *
 * @param clusterName the cluster that manages the volume, or null when its host is not clustered
 * @param host the node that created it ({@code <node>@<backend>}); in a cluster any member may manage it later
 * @param statusReason why the volume is in an error status, for operators; null otherwise
 * @param providerLocation where the driver said the volume lives
 */
public record VolumeRow(
        UUID id,
        String projectId,
        String userId,
        String name,
        String description,
        int sizeGb,
        String status,
        String statusReason,
        String previousStatus,
        String clusterName,
        String host,
        String replicationStatus,
        String replicationDriverData,
        Instant lastSyncAt,
        String providerLocation,
        Instant createdAt,
        Instant updatedAt) {

    /** Maps a {@code SELECT * FROM volumes} row. */
    public static VolumeRow from(ResultSet row) throws SQLException {
        return new VolumeRow(
                row.getObject("id", UUID.class),
                row.getString("project_id"),
                row.getString("user_id"),
                row.getString("name"),
                row.getString("description"),
                row.getInt("size_gb"),
                row.getString("status"),
                row.getString("status_reason"),
                row.getString("previous_status"),
                row.getString("cluster_name"),
                row.getString("host"),
                row.getString("replication_status"),
                row.getString("replication_driver_data"),
                JdbcValues.instant(row, "last_sync_at"),
                row.getString("provider_location"),
                JdbcValues.instant(row, "created_at"),
                JdbcValues.instant(row, "updated_at"));
    }
}
