package io.tandem.manage.reset;

import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;

/**
 * The authoritative row of a scope, whichever table holds it: what the checks read and what the reset's
 * compare-and-swap expects to find unchanged.
 *
 * @param activeBackendId null means the primary
 */
public record ScopeRow(
        String table,
        long id,
        String name,
        boolean disabled,
        boolean frozen,
        String replicationStatus,
        String activeBackendId,
        long epoch) {

    static ScopeRow of(ClusterRow row) {
        return new ScopeRow(
                Scope.Kind.CLUSTER.table(),
                row.id(),
                row.name(),
                row.disabled(),
                row.frozen(),
                row.replicationStatus(),
                row.activeBackendId(),
                row.epoch());
    }

    static ScopeRow of(ServiceRow row) {
        return new ScopeRow(
                Scope.Kind.HOST.table(),
                row.id(),
                row.host(),
                row.disabled(),
                row.frozen(),
                row.replicationStatus(),
                row.activeBackendId(),
                row.epoch());
    }
}
