package io.tandem.replication.domain.clusters;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.replication.domain.Binaries;
import java.util.Objects;

/**
 * The filters of ListClusters (Cinder's, with {@code frozen} parsed as a boolean too); null = no filter. Filters on
 * the row are applied before etcd is asked anything; those on the computed membership after.
 *
 * @param binary stored or Cinder name; an unknown one matches nothing
 * @param replicationStatus as stored, e.g. {@code failed-over}
 * @param activeBackendId exact; the empty string matches clusters on their primary site
 */
public record ClusterFilter(
        String name,
        String binary,
        Boolean up,
        Boolean disabled,
        Integer numHosts,
        Integer numDownHosts,
        String replicationStatus,
        Boolean frozen,
        String activeBackendId) {

    public ClusterFilter {
        if (numHosts != null && numHosts < 0) {
            throw new InvalidArgumentException("num_hosts must not be negative; got " + numHosts + ".");
        }
        if (numDownHosts != null && numDownHosts < 0) {
            throw new InvalidArgumentException("num_down_hosts must not be negative; got " + numDownHosts + ".");
        }
        binary = binary == null ? null : Binaries.storedOrAsGiven(binary);
    }

    /** No filter at all. */
    public static ClusterFilter none() {
        return new ClusterFilter(null, null, null, null, null, null, null, null, null);
    }

    /** Whether the row's own columns match. */
    public boolean matchesRow(ClusterRow row) {
        return (name == null || name.equals(row.name()))
                && (binary == null || binary.equals(row.binary()))
                && (disabled == null || disabled == row.disabled())
                && (replicationStatus == null || replicationStatus.equals(row.replicationStatus()))
                && (frozen == null || frozen == row.frozen())
                && (activeBackendId == null || matchesBackend(row.activeBackendId()));
    }

    /** Whether the membership computed from the services rows and etcd matches. */
    public boolean matchesMembership(ClusterView view) {
        return (up == null || up == view.up())
                && (numHosts == null || numHosts == view.numHosts())
                && (numDownHosts == null || numDownHosts == view.numDownHosts());
    }

    private boolean matchesBackend(String stored) {
        // NULL is how the schema marks the primary; requests name it with the empty string.
        return activeBackendId.isEmpty() ? stored == null : Objects.equals(activeBackendId, stored);
    }
}
