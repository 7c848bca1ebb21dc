package io.tandem.replication.domain.services;

import io.tandem.persistence.targets.SiteRow;
import io.tandem.replication.domain.inventory.ServiceRecord;
import java.util.List;

/**
 * A service as the admin RPCs show it.
 *
 * @param record the row and the replication state that applies to it (the cluster's, for a clustered service)
 * @param up whether its etcd key exists
 * @param servedEpoch the epoch a live volume node says it serves in its member key; 0 when down or not a volume node
 * @param sites the sites of a non-clustered volume service; empty otherwise
 */
public record ServiceView(ServiceRecord record, boolean up, long servedEpoch, List<SiteRow> sites) {
    public ServiceView {
        sites = List.copyOf(sites);
    }
}
