package io.tandem.replication.domain.inventory;

import io.tandem.persistence.service.ServiceRow;

/**
 * A services row together with the replication state that applies to it (see {@link ReplicationState}).
 *
 * @param row the row as stored
 * @param effective the cluster's replication fields for a clustered service whose cluster row exists, else the row's
 */
public record ServiceRecord(ServiceRow row, ReplicationState effective) {
    /** True when the service belongs to a cluster. */
    public boolean clustered() {
        return row.clusterName() != null;
    }
}
