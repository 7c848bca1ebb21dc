package io.tandem.manage.reset;

import io.tandem.manage.RefusedException;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.service.ServiceRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Finds the scope that {@code --cluster} or {@code --backend-host} names. A host that belongs to a cluster stands for
 * its cluster: the cluster row is authoritative for the replication fields, and members of one backend cannot be on
 * different sites (Cinder resets the cluster row in this case too).
 */
final class ScopeResolver {
    static final String VOLUME = "volume";
    private static final String VOLUME_SERVICE = "SELECT * FROM services WHERE host = ? AND binary_name = ?";

    private ScopeResolver() {}

    static Scope resolve(Connection c, ResetRequest request) throws SQLException {
        if (request.cluster() != null) {
            ClusterRow cluster = ClusterRepository.find(c, request.cluster(), VOLUME)
                    .orElseThrow(() -> new RefusedException("no volume cluster named " + request.cluster()
                            + " (cinder cluster-list --detailed lists them); nothing changed"));
            return new Scope(Scope.Kind.CLUSTER, cluster.name(), cluster.id(), null);
        }
        String host = request.backendHost();
        ServiceRow service = volumeService(c, host)
                .orElseThrow(() -> new RefusedException(
                        "no volume service on host " + host + " (cinder service-list lists them); nothing changed"));
        if (service.clusterName() == null) {
            return new Scope(Scope.Kind.HOST, service.host(), service.id(), null);
        }
        ClusterRow cluster = ClusterRepository.find(c, service.clusterName(), VOLUME)
                .orElseThrow(() -> new RefusedException("host " + host + " belongs to cluster " + service.clusterName()
                        + ", which has no cluster row; reset it with --cluster once its services have started once;"
                        + " nothing changed"));
        return new Scope(Scope.Kind.CLUSTER, cluster.name(), cluster.id(), host);
    }

    static Optional<ServiceRow> volumeService(Connection c, String host) throws SQLException {
        return Queries.one(c, VOLUME_SERVICE, ServiceRow::from, host, VOLUME);
    }
}
