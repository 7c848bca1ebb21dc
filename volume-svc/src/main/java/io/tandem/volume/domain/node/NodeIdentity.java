package io.tandem.volume.domain.node;

import java.time.Instant;

/**
 * Who this node is, fixed for the life of the process once its service row is written.
 *
 * @param serviceId its {@code services.id}, the {@code workers.service_id} of the rows it holds
 * @param host its host, {@code <node>@<backend>}
 * @param cluster its cluster, or null when it manages its backend alone
 * @param backend the backend name
 * @param registeredAt the database's clock when the service row was written at this start: own workers rows older
 *     than this are leftovers of a previous run
 */
public record NodeIdentity(int serviceId, String host, String cluster, String backend, Instant registeredAt) {

    public boolean clustered() {
        return cluster != null;
    }

    /**
     * The name replication state is kept under: the cluster, or the host of a non-clustered node (the scope of
     * {@code replication_targets} and of the epoch key).
     */
    public String scope() {
        return clustered() ? cluster : host;
    }

    /** For messages: {@code node n1@fs1 of cluster c1@fs1}, or {@code node solo@fs2}. */
    public String describe() {
        return "node " + host + (clustered() ? " of cluster " + cluster : "");
    }
}
