package io.tandem.manage.reset;

import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The reset's statements, in the caller's transaction. Each is a compare-and-swap on what the checks saw, so that a
 * concurrent writer (another reset, a failover claim, a start's updateHostReplication) makes the whole transaction
 * change nothing instead of being overwritten:
 *
 * <ul>
 *   <li>the scope row: still disabled and frozen, in the replication status, active backend and epoch that were
 *       read (a status no operation holds), and still without an unfinished journal row;
 *   <li>the volume services of a cluster: only while the cluster row holds the epoch this transaction gave it (the
 *       columns ScopeWrites.commit of replication-svc writes: status, active backend, epoch);
 *   <li>the scope's replication_targets rows: deleted, so that the next start seeds them from the configuration.
 * </ul>
 *
 * <p>disabled and frozen are not touched: the operator thaws and enables after the services started (Cinder's flow).
 */
final class ResetWrites {
    private static final String NO_UNFINISHED_JOURNAL_ROW =
            "NOT EXISTS (SELECT 1 FROM failovers f WHERE f.target = ? AND f.finished_at IS NULL)";
    private static final String CLUSTER_AT_EPOCH = "EXISTS (SELECT 1 FROM clusters c WHERE c.id = ? AND c.epoch = ?)";

    /** A statement found the rows changed since they were read: thrown to roll the transaction back. */
    static final class ConcurrentChangeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConcurrentChangeException(String what) {
            super(what, null, false, false);
        }
    }

    private ResetWrites() {}

    /**
     * Applies {@code plan}; returns the rows changed as they were inside the transaction.
     *
     * @throws ConcurrentChangeException when a compare-and-swap found the rows changed (roll back)
     */
    static ResetRows apply(Connection c, ResetPlan plan) throws SQLException {
        Scope scope = plan.before().scope();
        ScopeRow row = plan.before().row();
        long newEpoch = plan.newEpoch();
        int moved = scopeRow(scope)
                .eq("disabled", true)
                .eq("frozen", true)
                .notIn("replication_status", ReplicationStatuses.HELD_BY_AN_OPERATION)
                .eq("replication_status", row.replicationStatus())
                .eq("active_backend_id", row.activeBackendId())
                .eq("epoch", row.epoch())
                .filter(NO_UNFINISHED_JOURNAL_ROW, scope.name())
                .set("replication_status", plan.replicationStatus())
                .set("active_backend_id", plan.activeBackendId())
                .set("epoch", newEpoch)
                .execute(c);
        if (moved != 1) {
            throw new ConcurrentChangeException("its " + scope.kind().table() + " row");
        }
        List<ServiceRow> services = List.of();
        if (scope.isCluster()) {
            // Locked and read for the report; the update below then changes exactly these rows.
            services = Queries.list(
                    c, ScopeSnapshot.CLUSTER_SERVICES + " ORDER BY host FOR UPDATE", ServiceRow::from, scope.name());
            int changed = ConditionalUpdate.table("services")
                    .eq("cluster_name", scope.name())
                    .eq("binary_name", ScopeResolver.VOLUME)
                    .filter(CLUSTER_AT_EPOCH, row.id(), newEpoch)
                    .set("replication_status", plan.replicationStatus())
                    .set("active_backend_id", plan.activeBackendId())
                    .set("epoch", newEpoch)
                    .execute(c);
            if (changed != services.size()) {
                throw new ConcurrentChangeException("its services");
            }
        }
        List<SiteRow> sites = ReplicationTargetRepository.sites(c, scope.name());
        if (ReplicationTargetRepository.deleteScope(c, scope.name()) != sites.size()) {
            throw new ConcurrentChangeException("its replication_targets rows");
        }
        return new ResetRows(scope, row, services, sites, plan.replicationStatus(), plan.activeBackendId(), newEpoch);
    }

    private static ConditionalUpdate scopeRow(Scope scope) {
        if (scope.isCluster()) {
            return ConditionalUpdate.table("clusters").eq("id", scope.rowId()).eq("binary_name", ScopeResolver.VOLUME);
        }
        return ConditionalUpdate.table("services")
                .eq("id", scope.rowId())
                .eq("binary_name", ScopeResolver.VOLUME)
                .eq("cluster_name", null);
    }
}
