package io.tandem.replication.domain.scope;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.replication.domain.Binaries;
import io.tandem.replication.domain.inventory.ReplicationState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Resolves the target of a Failover, Freeze or Thaw request to its {@link Scope}, and reloads the scope of a journal
 * row. Unknown names are INVALID_ARGUMENT for these RPCs (REST 400, as Cinder), not NOT_FOUND.
 */
public final class Scopes {
    /** Cinder's wording when a request names neither or both. */
    public static final String ONE_TARGET = "One and only one of cluster and host must be set.";

    private static final String SERVICE =
            "SELECT * FROM services WHERE host = ? AND binary_name = '" + Binaries.VOLUME + "'";

    private final DataSource dataSource;

    public Scopes(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The scope a request names: exactly one of {@code cluster} and {@code host} (null or empty = not given). A host
     * that belongs to a cluster stands for its cluster.
     */
    public Scope resolve(String cluster, String host) {
        boolean byCluster = cluster != null && !cluster.isEmpty();
        boolean byHost = host != null && !host.isEmpty();
        if (byCluster == byHost) {
            throw new InvalidArgumentException(ONE_TARGET);
        }
        return Transactions.withConnection(dataSource, c -> byCluster ? cluster(c, cluster) : host(c, host));
    }

    /** The scope of a journal row ({@code scope}, {@code target}), read now. */
    public Scope reload(String storedKind, String target) {
        Scope.Kind kind = Scope.Kind.of(storedKind);
        return Transactions.withConnection(dataSource, c -> {
            if (kind == Scope.Kind.CLUSTER) {
                return ClusterRepository.find(c, target, Binaries.VOLUME)
                        .map(Scopes::of)
                        .orElseThrow(() -> new FailedPreconditionException("Cluster " + target + " no longer exists."));
            }
            return service(c, target)
                    .filter(s -> s.clusterName() == null)
                    .map(Scopes::of)
                    .orElseThrow(() -> new FailedPreconditionException(
                            "Host " + target + " no longer exists as a non-clustered volume service."));
        });
    }

    private static Scope cluster(Connection c, String name) throws SQLException {
        return ClusterRepository.find(c, name, Binaries.VOLUME)
                .map(Scopes::of)
                .orElseThrow(() -> new InvalidArgumentException("Cluster " + name + " could not be found."));
    }

    private static Scope host(Connection c, String host) throws SQLException {
        ServiceRow service = service(c, host)
                .orElseThrow(() -> new InvalidArgumentException("Host " + host + " could not be found."));
        if (service.clusterName() == null) {
            return of(service);
        }
        return ClusterRepository.find(c, service.clusterName(), Binaries.VOLUME)
                .map(Scopes::of)
                .orElseThrow(() -> new InvalidArgumentException(
                        "Cluster " + service.clusterName() + " of host " + host + " could not be found."));
    }

    private static Optional<ServiceRow> service(Connection c, String host) throws SQLException {
        return Queries.one(c, SERVICE, ServiceRow::from, host);
    }

    private static Scope of(ClusterRow row) {
        return new Scope(
                Scope.Kind.CLUSTER,
                row.name(),
                row.id(),
                new ReplicationState(row.replicationStatus(), row.activeBackendId(), row.frozen(), row.epoch()));
    }

    private static Scope of(ServiceRow row) {
        return new Scope(
                Scope.Kind.HOST,
                row.host(),
                row.id(),
                new ReplicationState(row.replicationStatus(), row.activeBackendId(), row.frozen(), row.epoch()));
    }
}
