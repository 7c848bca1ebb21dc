package io.tandem.replication.domain.scope;

import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.replication.domain.Binaries;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The compare-and-swaps on a scope's replication fields, inside the caller's transaction. For a cluster the cluster
 * row is authoritative and decides (its row count is the answer); its volume services follow in the same
 * transaction. For a non-clustered host the service row itself is the scope row.
 *
 * <p>A member whose service row is in {@code error} (fenced after a failed FailoverCompleted) keeps it through a
 * claim and a rollback of one: only a commit, which every member is then told about, or the member's own
 * convergence clears it.
 */
public final class ScopeWrites {
    public static final String ENABLED = "enabled";
    public static final String FAILING_OVER = "failing-over";
    public static final String FAILED_OVER = "failed-over";
    public static final String FAILOVER_ERROR = "failover-error";
    public static final String ERROR = "error";
    public static final String NOT_CAPABLE = "not-capable";

    private static final String CLUSTERS = "clusters";
    private static final String SERVICES = "services";
    private static final String NO_UNFINISHED_JOURNAL_ROW =
            "NOT EXISTS (SELECT 1 FROM failovers f WHERE f.target = ? AND f.finished_at IS NULL)";

    private ScopeWrites() {}

    /**
     * The claim: the scope moves to {@code failing-over} only from one of {@code allowedFrom}, only while its active
     * backend and epoch are still those in {@code scope.state()} (what the request was validated against), and only
     * when no unfinished journal row exists for it. Returns whether the scope row moved.
     */
    public static boolean claim(Connection c, Scope scope, Collection<String> allowedFrom) throws SQLException {
        int moved = scopeRow(scope)
                .in("replication_status", allowedFrom)
                .eq("active_backend_id", scope.state().activeBackendId())
                .eq("epoch", scope.state().epoch())
                .filter(NO_UNFINISHED_JOURNAL_ROW, scope.name())
                .set("replication_status", FAILING_OVER)
                .execute(c);
        if (moved == 1 && scope.kind() == Scope.Kind.CLUSTER) {
            unfencedMembers(scope).set("replication_status", FAILING_OVER).execute(c);
        }
        return moved == 1;
    }

    /**
     * The commit: {@code failing-over} at {@code claimEpoch} → {@code status} serving {@code activeBackendId} (null =
     * the primary) at {@code claimEpoch + 1}, and every volume service of a cluster with it. Returns whether the scope
     * row moved (false: it is no longer failing over at that epoch).
     */
    public static boolean commit(Connection c, Scope scope, long claimEpoch, String status, String activeBackendId)
            throws SQLException {
        int moved = scopeRow(scope)
                .eq("replication_status", FAILING_OVER)
                .eq("epoch", claimEpoch)
                .set("replication_status", status)
                .set("active_backend_id", activeBackendId)
                .set("epoch", claimEpoch + 1)
                .execute(c);
        if (moved == 1 && scope.kind() == Scope.Kind.CLUSTER) {
            members(scope)
                    .set("replication_status", status)
                    .set("active_backend_id", activeBackendId)
                    .set("epoch", claimEpoch + 1)
                    .execute(c);
        }
        return moved == 1;
    }

    /**
     * Ends a claim that committed nothing: {@code failing-over} at {@code claimEpoch} → {@code status} (the status
     * before the claim, or {@code failover-error}); active backend and epoch unchanged. Returns whether it moved.
     */
    public static boolean release(Connection c, Scope scope, long claimEpoch, String status) throws SQLException {
        int moved = scopeRow(scope)
                .eq("replication_status", FAILING_OVER)
                .eq("epoch", claimEpoch)
                .set("replication_status", status)
                .execute(c);
        if (moved == 1 && scope.kind() == Scope.Kind.CLUSTER) {
            unfencedMembers(scope)
                    .eq("replication_status", FAILING_OVER)
                    .set("replication_status", status)
                    .execute(c);
        }
        return moved == 1;
    }

    /**
     * Fences a member that kept failing FailoverCompleted: its volume service row goes to {@code error} (it gets no
     * work and refuses management calls until it converges). Only while its row holds the committed {@code epoch},
     * so a late fence cannot undo a newer failover's state.
     */
    public static boolean fenceMember(Connection c, String host, long epoch) throws SQLException {
        return ConditionalUpdate.table(SERVICES)
                        .eq("host", host)
                        .eq("binary_name", Binaries.VOLUME)
                        .eq("epoch", epoch)
                        .set("replication_status", ERROR)
                        .execute(c)
                == 1;
    }

    /** Sets {@code frozen} on the scope (and every service of a cluster) if it is not already; returns whether it did. */
    public static boolean setFrozen(Connection c, Scope scope, boolean frozen) throws SQLException {
        int moved = scopeRow(scope).eq("frozen", !frozen).set("frozen", frozen).execute(c);
        if (moved == 1 && scope.kind() == Scope.Kind.CLUSTER) {
            members(scope).set("frozen", frozen).execute(c);
        }
        return moved == 1;
    }

    private static ConditionalUpdate scopeRow(Scope scope) {
        if (scope.kind() == Scope.Kind.CLUSTER) {
            return ConditionalUpdate.table(CLUSTERS).eq("id", scope.rowId());
        }
        return ConditionalUpdate.table(SERVICES).eq("id", scope.rowId()).eq("cluster_name", null);
    }

    private static ConditionalUpdate members(Scope scope) {
        return ConditionalUpdate.table(SERVICES)
                .eq("cluster_name", scope.name())
                .eq("binary_name", Binaries.VOLUME);
    }

    private static ConditionalUpdate unfencedMembers(Scope scope) {
        return members(scope).notEq("replication_status", ERROR);
    }
}
