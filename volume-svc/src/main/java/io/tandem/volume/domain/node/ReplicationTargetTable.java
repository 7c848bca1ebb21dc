package io.tandem.volume.domain.node;

import io.tandem.driver.ReplicationTarget;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.volume.config.ReplicationTargetConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's sites in {@code replication_targets}, under the scope of the cluster (or of the host when not
 * clustered). Configuration seeds the table once, at the first start of the backend; from then on the table is
 * authoritative and is what the driver is built with, because promote changes it online (A → B → C) and a node
 * restarting with its old configuration must not bring the old sites back.
 */
final class ReplicationTargetTable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationTargetTable.class);
    private static final String PRIMARY = "primary";
    private static final String TARGET = "target";
    private static final String SELECT =
            "SELECT backend_id, location, role FROM replication_targets WHERE scope = ? ORDER BY role, id";

    /** The sites the driver is built with: the primary's location and the targets, in table order. */
    record Sites(String primaryLocation, List<ReplicationTarget> targets) {}

    private final DataSource dataSource;

    ReplicationTargetTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Seeds the scope with the configured primary (backend id {@code default}, as replication-svc reads it) and
     * targets if the scope has no row yet. One statement, {@code INSERT … SELECT … WHERE NOT EXISTS … ON CONFLICT DO
     * NOTHING}: members starting together with the same configuration all succeed and insert each row once.
     */
    void seedIfEmpty(String scope, String primaryLocation, List<ReplicationTargetConfiguration> targets) {
        List<Object> params = new ArrayList<>();
        StringJoiner values = new StringJoiner(", ");
        if (primaryLocation != null && !primaryLocation.isBlank()) {
            values.add("(?, ?, ?, ?)");
            params.addAll(List.of(scope, ReplicationTargetConfiguration.PRIMARY_BACKEND_ID, primaryLocation, PRIMARY));
        }
        for (ReplicationTargetConfiguration target : targets) {
            values.add("(?, ?, ?, ?)");
            params.addAll(List.of(scope, target.getBackendId(), target.getLocation(), TARGET));
        }
        if (params.isEmpty()) {
            return;
        }
        params.add(scope);
        String sql = "INSERT INTO replication_targets (scope, backend_id, location, role)"
                + " SELECT * FROM (VALUES " + values + ") AS seed (scope, backend_id, location, role)"
                + " WHERE NOT EXISTS (SELECT 1 FROM replication_targets t WHERE t.scope = ?)"
                + " ON CONFLICT DO NOTHING";
        int inserted = Transactions.withConnection(dataSource, c -> Queries.update(c, sql, params.toArray()));
        if (inserted > 0) {
            LOG.info("Seeded {} replication site(s) of {} from configuration", inserted, scope);
        }
    }

    /**
     * The sites of {@code scope} as the table holds them. The primary's location falls back to the configured one
     * when the table has no primary row (a backend seeded before it had a location, or an in-memory one).
     */
    Sites read(String scope, String configuredPrimaryLocation, List<ReplicationTargetConfiguration> configured) {
        List<String[]> rows = Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c,
                        SELECT,
                        r -> new String[] {r.getString("backend_id"), r.getString("location"), r.getString("role")},
                        scope));
        String primary = configuredPrimaryLocation;
        List<ReplicationTarget> targets = new ArrayList<>();
        for (String[] row : rows) {
            if (PRIMARY.equals(row[2])) {
                primary = row[1];
            } else {
                targets.add(new ReplicationTarget(row[0], row[1]));
            }
        }
        warnIfConfigurationDiffers(scope, configured, targets);
        return new Sites(primary, List.copyOf(targets));
    }

    private static void warnIfConfigurationDiffers(
            String scope, List<ReplicationTargetConfiguration> configured, List<ReplicationTarget> table) {
        List<ReplicationTarget> fromConfig = configured.stream()
                .map(t -> new ReplicationTarget(t.getBackendId(), t.getLocation()))
                .toList();
        if (!fromConfig.isEmpty() && !fromConfig.equals(table)) {
            LOG.warn(
                    "The replication targets configured for {} ({}) differ from the table ({}); the table is"
                            + " authoritative after the first start",
                    scope,
                    fromConfig,
                    table);
        }
    }
}
