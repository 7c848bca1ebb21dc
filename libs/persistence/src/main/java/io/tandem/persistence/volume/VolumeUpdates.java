package io.tandem.persistence.volume;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Applies many {@link VolumeUpdate}s in one statement ({@code UPDATE … FROM unnest(arrays)}), inside the caller's
 * transaction: the failover commit writes every volume of a cluster with the cluster row and the epoch, and 10,000
 * volumes must cost one round trip, not 10,000.
 */
public final class VolumeUpdates {
    private static final String UPDATE = "UPDATE volumes v SET"
            + " status = COALESCE(u.status, v.status),"
            + " status_reason = CASE WHEN u.status = 'error' AND v.status <> 'error' THEN CAST(? AS text)"
            + " ELSE v.status_reason END,"
            + " replication_status = COALESCE(u.replication_status, v.replication_status),"
            + " provider_location = COALESCE(u.provider_location, v.provider_location),"
            + " replication_driver_data = COALESCE(u.replication_driver_data, v.replication_driver_data),"
            + " updated_at = now()"
            + " FROM unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),"
            + " CAST(? AS text[])) AS u (id, status, replication_status, provider_location, replication_driver_data)"
            + " WHERE v.id = u.id AND ";
    private static final String OF_CLUSTER = "v.cluster_name = ?";
    private static final String OF_HOST = "v.cluster_name IS NULL AND v.host = ?";

    private VolumeUpdates() {}

    /**
     * Applies {@code updates} to the volumes of one cluster ({@code clusterName} set) or of one non-clustered host
     * ({@code clusterName} null, {@code host} set); an update naming a volume outside that scope changes nothing.
     * When one volume has several updates, the last one wins.
     *
     * @param errorReason the {@code status_reason} of volumes the updates move into {@code error}; null = none
     * @return the number of volume rows changed
     */
    public static int apply(
            Connection connection,
            String clusterName,
            String host,
            Collection<VolumeUpdate> updates,
            String errorReason)
            throws SQLException {
        if (clusterName == null && host == null) {
            throw new IllegalArgumentException("a cluster or a host is required");
        }
        Map<UUID, VolumeUpdate> last = new LinkedHashMap<>();
        updates.forEach(u -> last.put(u.volumeId(), u));
        if (last.isEmpty()) {
            return 0;
        }
        int n = last.size();
        Object[] ids = new Object[n];
        String[] statuses = new String[n];
        String[] replication = new String[n];
        String[] locations = new String[n];
        String[] driverData = new String[n];
        int i = 0;
        for (VolumeUpdate u : last.values()) {
            ids[i] = u.volumeId();
            statuses[i] = u.status();
            replication[i] = u.replicationStatus();
            locations[i] = u.providerLocation();
            driverData[i] = u.replicationDriverData();
            i++;
        }
        String sql = UPDATE + (clusterName != null ? OF_CLUSTER : OF_HOST);
        Array[] arrays = {
            connection.createArrayOf("uuid", ids),
            connection.createArrayOf("text", statuses),
            connection.createArrayOf("text", replication),
            connection.createArrayOf("text", locations),
            connection.createArrayOf("text", driverData)
        };
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, errorReason);
            for (int a = 0; a < arrays.length; a++) {
                statement.setArray(2 + a, arrays[a]);
            }
            statement.setString(2 + arrays.length, clusterName != null ? clusterName : host);
            return statement.executeUpdate();
        } finally {
            for (Array array : arrays) {
                array.free();
            }
        }
    }

    /**
     * Clears {@code last_sync_at} of every volume of one cluster ({@code clusterName} set) or non-clustered host, in
     * the caller's transaction: after a promote or a reset the targets are new (or start over with a full copy), so
     * no volume has a copy on them yet until the next replication cycle says so.
     *
     * @return the number of volume rows changed
     */
    public static int forgetSyncTimes(Connection connection, String clusterName, String host) throws SQLException {
        if (clusterName == null && host == null) {
            throw new IllegalArgumentException("a cluster or a host is required");
        }
        String sql = "UPDATE volumes v SET last_sync_at = NULL, updated_at = now() WHERE v.last_sync_at IS NOT NULL"
                + " AND " + (clusterName != null ? OF_CLUSTER : OF_HOST);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, clusterName != null ? clusterName : host);
            return statement.executeUpdate();
        }
    }
}
