package io.tandem.volume.domain.replication;

import io.tandem.driver.VolumeSpec;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.volume.domain.lifecycle.VolumeAccess;
import io.tandem.volume.domain.node.NodeIdentity;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every volume of a node's backend (its cluster's, or its own when not clustered), whatever its status, as the driver's
 * replication calls take them: a failover, a promote or an update decides per volume, so none is left out.
 */
public final class ScopeVolumes {
    private static final String OF_CLUSTER = "SELECT id, size_gb, provider_location, replication_status FROM volumes"
            + " WHERE cluster_name = ? ORDER BY id";
    private static final String OF_HOST = "SELECT id, size_gb, provider_location, replication_status FROM volumes"
            + " WHERE cluster_name IS NULL AND host = ? ORDER BY id";
    private static final String ANY_FAILED_OVER_IN_CLUSTER =
            "SELECT EXISTS (SELECT 1 FROM volumes WHERE cluster_name = ? AND replication_status = 'failed-over')";
    private static final String ANY_FAILED_OVER_OF_HOST = "SELECT EXISTS (SELECT 1 FROM volumes"
            + " WHERE cluster_name IS NULL AND host = ? AND replication_status = 'failed-over')";

    private ScopeVolumes() {}

    /** The volumes of {@code node}'s backend, by id. */
    public static List<VolumeSpec> of(DataSource dataSource, NodeIdentity node) {
        return Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c,
                        node.clustered() ? OF_CLUSTER : OF_HOST,
                        r -> new VolumeSpec(
                                r.getString("id"),
                                r.getInt("size_gb"),
                                r.getString("provider_location"),
                                VolumeAccess.replicated(r.getString("replication_status"))),
                        node.scope()));
    }

    /** True when some volume of {@code node}'s backend is still {@code failed-over}. */
    public static boolean anyFailedOver(DataSource dataSource, NodeIdentity node) {
        return Transactions.withConnection(dataSource, c -> Queries.one(
                        c,
                        node.clustered() ? ANY_FAILED_OVER_IN_CLUSTER : ANY_FAILED_OVER_OF_HOST,
                        r -> r.getBoolean(1),
                        node.scope())
                .orElse(false));
    }
}
