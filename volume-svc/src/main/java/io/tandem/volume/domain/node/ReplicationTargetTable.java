package io.tandem.volume.domain.node;

import io.tandem.driver.ReplicationTarget;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import io.tandem.volume.config.ReplicationTargetConfiguration;
import java.util.ArrayList;
import java.util.List;
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

    /** The sites the driver is built with: the primary's location and the targets, in table order. */
    record Sites(String primaryLocation, List<ReplicationTarget> targets) {}

    private final ReplicationTargetRepository repository;

    ReplicationTargetTable(DataSource dataSource) {
        this.repository = new ReplicationTargetRepository(dataSource);
    }

    /**
     * Seeds the scope with the configured primary (backend id {@code default}, as replication-svc reads it) and
     * targets if the scope has no row yet ({@link ReplicationTargetRepository#seedIfEmpty}: members starting together
     * with the same configuration all succeed and insert each row once).
     */
    void seedIfEmpty(String scope, String primaryLocation, List<ReplicationTargetConfiguration> targets) {
        List<SiteRow> sites = new ArrayList<>();
        if (primaryLocation != null && !primaryLocation.isBlank()) {
            sites.add(new SiteRow(ReplicationTargetConfiguration.PRIMARY_BACKEND_ID, primaryLocation, true));
        }
        for (ReplicationTargetConfiguration target : targets) {
            sites.add(new SiteRow(target.getBackendId(), target.getLocation(), false));
        }
        int inserted = repository.seedIfEmpty(scope, sites);
        if (inserted > 0) {
            LOG.info("Seeded {} replication site(s) of {} from configuration", inserted, scope);
        }
    }

    /**
     * The sites of {@code scope} as the table holds them. The primary's location falls back to the configured one
     * when the table has no primary row (a backend seeded before it had a location, or an in-memory one).
     */
    Sites read(String scope, String configuredPrimaryLocation, List<ReplicationTargetConfiguration> configured) {
        Sites sites = read(scope, configuredPrimaryLocation);
        warnIfConfigurationDiffers(scope, configured, sites.targets());
        return sites;
    }

    /** The sites of {@code scope}; {@code fallbackPrimaryLocation} when the table has no primary row. */
    Sites read(String scope, String fallbackPrimaryLocation) {
        String primary = fallbackPrimaryLocation;
        List<ReplicationTarget> targets = new ArrayList<>();
        for (SiteRow row : repository.sites(scope)) {
            if (row.primary()) {
                primary = row.location();
            } else {
                targets.add(new ReplicationTarget(row.backendId(), row.location()));
            }
        }
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
