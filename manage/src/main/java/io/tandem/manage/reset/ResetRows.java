package io.tandem.manage.reset;

import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.targets.SiteRow;
import java.util.List;

/**
 * The rows a reset changes, as they were before it, with the values it sets: what a dry run shows and what a reset
 * reports having changed.
 *
 * @param services the volume services of a cluster that take the scope's values (empty for a host scope)
 * @param sites the replication_targets rows deleted
 * @param activeBackendId null means none (the primary)
 */
public record ResetRows(
        Scope scope,
        ScopeRow scopeRow,
        List<ServiceRow> services,
        List<SiteRow> sites,
        String replicationStatus,
        String activeBackendId,
        long newEpoch) {
    public ResetRows {
        services = List.copyOf(services);
        sites = List.copyOf(sites);
    }
}
