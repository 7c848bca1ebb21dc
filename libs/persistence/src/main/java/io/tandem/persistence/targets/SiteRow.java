package io.tandem.persistence.targets;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One row of {@code replication_targets}: a site of a backend, its primary or one of its replication targets.
 *
 * @param backendId the site's backend id as stored ({@code default} may name the configured primary)
 * @param location where the site is, opaque to the control plane
 * @param primary whether this is the backend's primary site (column {@code role = 'primary'}; else a replication
 *     target, {@code role = 'target'})
 */
public record SiteRow(String backendId, String location, boolean primary) {
    static final String PRIMARY = "primary";
    static final String TARGET = "target";

    /** The stored {@code role}. */
    String role() {
        return primary ? PRIMARY : TARGET;
    }

    /** Maps a row with the columns {@code backend_id}, {@code location} and {@code role}. */
    static SiteRow from(ResultSet row) throws SQLException {
        return new SiteRow(
                row.getString("backend_id"), row.getString("location"), PRIMARY.equals(row.getString("role")));
    }
}
