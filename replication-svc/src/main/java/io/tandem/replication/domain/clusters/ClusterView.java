package io.tandem.replication.domain.clusters;

import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.targets.SiteRow;
import java.time.Instant;
import java.util.List;

/**
 * A cluster as the admin RPCs show it: its row, and its membership computed from the services rows and etcd.
 *
 * @param row the cluster row, authoritative for the replication fields
 * @param numHosts services rows that name this cluster (and binary)
 * @param numDownHosts those of them without a live member key
 * @param up whether at least one of them is up
 * @param lastHeartbeat most recent sign of life of a member, null when none was ever seen: for a cluster that is up,
 *     the moment etcd showed a live member (a live key means its lease was renewed within the TTL, Cinder's notion of
 *     a recent heartbeat); for one that is down, the newest {@code updated_at} of its members' rows, which each node
 *     writes when it registers at start
 * @param sites the backend's primary and replication targets
 */
public record ClusterView(
        ClusterRow row, int numHosts, int numDownHosts, boolean up, Instant lastHeartbeat, List<SiteRow> sites) {
    public ClusterView {
        sites = List.copyOf(sites);
    }
}
