package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.BackendBusyException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.FrozenBackendException;
import io.tandem.core.error.StaleEpochException;
import io.tandem.core.error.TandemException;
import io.tandem.persistence.cas.Condition;
import io.tandem.volume.domain.node.NodeIdentity;
import io.tandem.volume.domain.node.ServingNode;
import java.util.List;
import java.util.Optional;

/**
 * The conditions every write of this node carries (docs/volume-protocol.md, "Fencing" and "Frozen"): the authoritative
 * row (cluster, or own service row) still holds the epoch the node serves; and, for the step that starts a management
 * operation, the backend is neither frozen nor failing over nor updating, and replication-svc has not fenced this
 * member (its own service row in replication status {@code error}). A write that matches nothing is then explained by
 * {@link #refusal}, which only chooses the message: the compare-and-swap has already decided.
 */
public final class EpochFence {
    // replication-svc's claim moves the cluster to one of these; in-flight operations drain, new ones are refused.
    private static final String BUSY = "'failing-over', 'updating'";
    private static final String CLUSTER_EPOCH =
            "SELECT 1 FROM clusters c WHERE c.name = ? AND c.binary_name = 'volume' AND c.epoch = ?";
    private static final String SERVICE_EPOCH = "SELECT 1 FROM services c WHERE c.id = ? AND c.epoch = ?";
    private static final String MANAGEABLE = " AND NOT c.frozen AND c.replication_status NOT IN (" + BUSY + ")";
    // A member is fenced when its own row is in error while its cluster's is not (ScopeState#memberFenced).
    private static final String MEMBER_NOT_FENCED =
            " AND NOT EXISTS (SELECT 1 FROM services f WHERE f.id = ? AND f.replication_status = '"
                    + ScopeState.FENCED_MEMBER + "' AND f.cluster_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                    + " clusters k WHERE k.name = f.cluster_name AND k.binary_name = 'volume' AND"
                    + " k.replication_status = '" + ScopeState.FENCED_MEMBER + "'))";

    private final NodeIdentity identity;
    private final long epoch;

    private EpochFence(NodeIdentity identity, long epoch) {
        this.identity = identity;
        this.epoch = epoch;
    }

    public static EpochFence of(ServingNode node) {
        return new EpochFence(node.identity(), node.served().epoch());
    }

    /** The authoritative row still holds the served epoch. */
    public Condition servedEpoch() {
        return Condition.sql(servedEpochSql(), servedEpochParams());
    }

    /**
     * As {@link #servedEpoch}, and the backend takes management operations (not frozen, failing over, updating) and
     * this member is not fenced.
     */
    public Condition acceptsManagement() {
        Object[] scope = servedEpochParams();
        return Condition.sql(
                "EXISTS (" + scopeQuery() + MANAGEABLE + ")" + MEMBER_NOT_FENCED,
                scope[0],
                scope[1],
                identity.serviceId());
    }

    /** {@link #servedEpoch} as SQL text, for statements the compare-and-swap helper does not build (DELETE). */
    public String servedEpochSql() {
        return "EXISTS (" + scopeQuery() + ")";
    }

    public Object[] servedEpochParams() {
        return new Object[] {identity.clustered() ? identity.cluster() : identity.serviceId(), epoch};
    }

    /** The volume is managed by this node: one of its cluster's, or (not clustered) its own host's. */
    public Condition[] volumeBelongs() {
        if (identity.clustered()) {
            return new Condition[] {Condition.eq("cluster_name", identity.cluster())};
        }
        return new Condition[] {Condition.eq("cluster_name", null), Condition.eq("host", identity.host())};
    }

    /** {@link #volumeBelongs} as SQL text with its parameters appended to {@code params}. */
    public String volumeBelongsSql(List<Object> params) {
        if (identity.clustered()) {
            params.add(identity.cluster());
            return "cluster_name = ?";
        }
        params.add(identity.host());
        return "cluster_name IS NULL AND host = ?";
    }

    /**
     * Why the authoritative row refuses this node's writes, if it does: a newer epoch ({@link StaleEpochException}),
     * this member fenced, frozen ({@link FrozenBackendException}, Cinder's message) or busy failing over or updating.
     * With {@code management} false only the epoch counts (finishing an operation already running is not a new one).
     */
    public Optional<TandemException> refusal(ScopeState scope, boolean management) {
        if (scope.epoch() != epoch) {
            return Optional.of(new StaleEpochException(identity.scope(), epoch, scope.epoch()));
        }
        if (!management) {
            return Optional.empty();
        }
        if (scope.memberFenced()) {
            return Optional.of(memberFenced());
        }
        if (scope.frozen()) {
            return Optional.of(new FrozenBackendException());
        }
        if (BUSY.contains("'" + scope.replicationStatus() + "'")) {
            return Optional.of(new BackendBusyException((identity.clustered() ? "Cluster " : "Backend ")
                    + identity.scope() + " is " + scope.replicationStatus()
                    + "; management operations are refused until it has finished"));
        }
        return Optional.empty();
    }

    /**
     * Why this node may not act for its backend at all, if it may not: it serves an older epoch than the database
     * ({@link StaleEpochException}), or replication-svc fenced it. What the proto calls "stale or fenced", for calls
     * that are not volume operations (Failover, Freeze, Thaw, CleanupWorkers, InitializeConnection).
     */
    public Optional<TandemException> fenced(ScopeState scope) {
        if (scope.epoch() != epoch) {
            return Optional.of(new StaleEpochException(identity.scope(), epoch, scope.epoch()));
        }
        return scope.memberFenced() ? Optional.of(memberFenced()) : Optional.empty();
    }

    private FailedPreconditionException memberFenced() {
        return new FailedPreconditionException(identity.describe() + " is fenced: its service row is in replication"
                + " status error because it did not acknowledge a failover; it takes no management call until it"
                + " restarts or a FailoverCompleted succeeds");
    }

    private String scopeQuery() {
        return identity.clustered() ? CLUSTER_EPOCH : SERVICE_EPOCH;
    }
}
