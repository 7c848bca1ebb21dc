package io.tandem.manage.reset;

import io.tandem.manage.RefusedException;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Everything the checks and the plan look at in the database, read in one snapshot: the scope's row, the volume
 * services of a cluster, the scope's replication_targets rows and its unfinished journal row, if any.
 *
 * @param services the volume services of a cluster, by host; empty for a host scope (its row is {@code row})
 */
public record ScopeSnapshot(
        Scope scope, ScopeRow row, List<ServiceRow> services, List<SiteRow> sites, Optional<JournalRow> unfinished) {

    static final String CLUSTER_SERVICES =
            "SELECT * FROM services WHERE cluster_name = ? AND binary_name = '" + ScopeResolver.VOLUME + "'";
    private static final String CLUSTER_BY_ID = "SELECT * FROM clusters WHERE id = ?";
    private static final String SERVICE_BY_ID = "SELECT * FROM services WHERE id = ?";
    // The journal's target is the cluster name or the host, the same name as the scope.
    private static final String UNFINISHED_JOURNAL_ROW =
            "SELECT id, kind, phase FROM failovers WHERE target = ? AND finished_at IS NULL ORDER BY id LIMIT 1";

    public ScopeSnapshot {
        services = List.copyOf(services);
        sites = List.copyOf(sites);
    }

    /** Reads the snapshot; call it in a repeatable-read transaction so that the parts agree. */
    static ScopeSnapshot read(Connection c, Scope scope) throws SQLException {
        ScopeRow row;
        List<ServiceRow> services = List.of();
        if (scope.isCluster()) {
            row = Queries.one(c, CLUSTER_BY_ID, ClusterRow::from, scope.rowId())
                    .map(ScopeRow::of)
                    .orElseThrow(() -> gone(scope));
            services = Queries.list(c, CLUSTER_SERVICES + " ORDER BY host", ServiceRow::from, scope.name());
        } else {
            ServiceRow service = Queries.one(c, SERVICE_BY_ID, ServiceRow::from, scope.rowId())
                    .orElseThrow(() -> gone(scope));
            if (service.clusterName() != null) {
                throw new RefusedException(scope.describe() + " joined cluster " + service.clusterName()
                        + " meanwhile; nothing changed; run the command again");
            }
            row = ScopeRow.of(service);
        }
        List<SiteRow> sites = ReplicationTargetRepository.sites(c, scope.name());
        Optional<JournalRow> unfinished = Queries.one(
                c,
                UNFINISHED_JOURNAL_ROW,
                r -> new JournalRow(r.getLong("id"), r.getString("kind"), r.getString("phase")),
                scope.name());
        return new ScopeSnapshot(scope, row, services, sites, unfinished);
    }

    /** The first volume service's host, which Cinder's freeze-host and thaw-host accept for the whole cluster. */
    Optional<String> anyHost() {
        if (!scope.isCluster()) {
            return Optional.of(scope.name());
        }
        if (scope.namedHost() != null) {
            return Optional.of(scope.namedHost());
        }
        return services.stream().map(ServiceRow::host).findFirst();
    }

    private static RefusedException gone(Scope scope) {
        return new RefusedException(scope.describe() + " was removed meanwhile; nothing changed");
    }
}
