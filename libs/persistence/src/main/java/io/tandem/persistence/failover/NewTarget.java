package io.tandem.persistence.failover;

import java.util.Objects;

/**
 * One replication target a promote sets (column {@code failovers.new_targets}): the site's backend id and where it
 * is. Its role is always {@code target}; the promoted site becomes the primary.
 *
 * @param backendId the target's backend id, never empty nor {@code default}
 * @param location where the site is, opaque to the control plane
 */
public record NewTarget(String backendId, String location) {
    public NewTarget {
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(location, "location");
    }
}
