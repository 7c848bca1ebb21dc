package io.tandem.scheduler.domain.placement;

import io.tandem.core.ServiceBinary;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads placement targets from {@code clusters} and {@code services}. */
public final class TargetRows {
    private static final String VOLUME = ServiceBinary.VOLUME.stored();
    // FOR SHARE: a freeze, failover claim or disable (an UPDATE of this row) waits for the transaction that places or
    // starts an operation here, and that transaction sees a change committed before it. So a freeze either sees the
    // new workers row (and drains it) or the operation sees the freeze; never neither.
    private static final String LOCK_CLUSTER =
            "SELECT * FROM clusters WHERE name = ? AND binary_name = '" + VOLUME + "' FOR SHARE";
    private static final String LOCK_SERVICE =
            "SELECT * FROM services WHERE host = ? AND binary_name = '" + VOLUME + "' FOR SHARE";
    private static final String NON_CLUSTERED_VOLUME_SERVICES =
            "SELECT * FROM services WHERE binary_name = '" + VOLUME + "' AND cluster_name IS NULL ORDER BY host";

    private final DataSource dataSource;
    private final ClusterRepository clusters;

    public TargetRows(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clusters = new ClusterRepository(dataSource);
    }

    /** Every volume cluster and every non-clustered volume service: the candidates of a placement. */
    public List<Target> candidates() {
        List<Target> targets = new ArrayList<>();
        for (ClusterRow row : clusters.list()) {
            if (VOLUME.equals(row.binary())) {
                targets.add(Target.of(row));
            }
        }
        Transactions.withConnection(dataSource, c -> Queries.list(c, NON_CLUSTERED_VOLUME_SERVICES, ServiceRow::from))
                .forEach(row -> targets.add(Target.of(row)));
        return targets;
    }

    /** The target that manages a volume of {@code clusterName} (or, when null, of non-clustered {@code host}). */
    public Optional<Target> find(String clusterName, String host) {
        if (clusterName != null) {
            return clusters.find(clusterName, VOLUME).map(Target::of);
        }
        if (host == null) {
            return Optional.empty();
        }
        return new ServiceRepository(dataSource).find(host, VOLUME).map(Target::of);
    }

    /** Reads {@code target}'s row again on the caller's transaction and share-locks it until the commit. */
    public static Optional<Target> lockForShare(Connection connection, Target target) throws SQLException {
        if (target.isClustered()) {
            return Queries.one(connection, LOCK_CLUSTER, ClusterRow::from, target.clusterName())
                    .map(Target::of);
        }
        return Queries.one(connection, LOCK_SERVICE, ServiceRow::from, target.host())
                .map(Target::of);
    }
}
