package io.tandem.replication.domain.scope;

import io.tandem.persistence.cas.Condition;
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
 * <p>A claim holds the scope in a status of its kind: {@code failing-over} for a failover or failback, {@code
 * updating} for a promote. The commit and the release compare-and-swap from that held status at the claim's epoch.
 *
 * <p>A member whose service row is in {@code error} (fenced after a failed FailoverCompleted) keeps it through a
 * claim and a rollback of one: only a commit, which every member is then told about, or the member's own
 * convergence clears it.
 */
public final class ScopeWrites {
    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    public static final String UPDATING = "updating";
    public static final String FAILING_OVER = "failing-over";
    public static final String FAILED_OVER = "failed-over";
    public static final String FAILOVER_ERROR = "failover-error";
    public static final String ERROR = "error";
    public static final String NOT_CAPABLE = "not-capable";

    private static final String CLUSTERS = "clusters";
    private static final String SERVICES = "services";
    private static final String NO_UNFINISHED_JOURNAL_ROW =
            "NOT EXISTS (SELECT 1 FROM failovers f WHERE f.target = ? AND f.finished_at IS NULL)";
    // A promote starts from enabled or failed-over, or from error left by a promote: the scope's newest journal row is
    // a promote that failed, or one that was reverted to error (a retry with targets the driver rejected). An error of
    // any other origin is not a promote's to clear. PromoteClaims explains a refusal with the same rule.
    // A backend whose replication is disabled (a promote without targets, a reset) may be given targets again, on
    // its primary.
    private static final String PROMOTABLE = "replication_status IN ('" + ENABLED + "', '" + FAILED_OVER + "')"
            + " OR (replication_status = '" + DISABLED + "' AND active_backend_id IS NULL)"
            + " OR (replication_status = '" + ERROR + "' AND EXISTS (SELECT 1 FROM failovers l WHERE l.id ="
            + " (SELECT max(m.id) FROM failovers m WHERE m.target = ?) AND l.kind = 'promote'"
            + " AND (l.phase = 'failed' OR (l.phase = 'reverted' AND l.previous_status = '" + ERROR + "'))))";

    private ScopeWrites() {}

    /**
     * The claim of a failover or failback: the scope moves to {@code failing-over} only from one of {@code
     * allowedFrom}; see {@link #hold}. Returns whether the scope row moved.
     */
    public static boolean claim(Connection c, Scope scope, Collection<String> allowedFrom) throws SQLException {
        return hold(c, scope, Condition.in("replication_status", allowedFrom), FAILING_OVER);
    }

    /**
     * The claim of a promote: the scope moves to {@code updating} from {@code enabled} or {@code failed-over}, or from
     * {@code error} left by a promote (the scope's newest journal row failed, or was reverted to error); see {@link
     * #hold}.
     */
    public static boolean claimForPromote(Connection c, Scope scope) throws SQLException {
        return hold(c, scope, Condition.sql(PROMOTABLE, scope.name()), UPDATING);
    }

    /**
     * Moves the scope to {@code held} only when {@code allowedFrom} holds, only while its active backend and epoch are
     * still those in {@code scope.state()} (what the request was validated against), and only when no unfinished
     * journal row exists for it; its unfenced volume services follow. Returns whether the scope row moved.
     */
    private static boolean hold(Connection c, Scope scope, Condition allowedFrom, String held) throws SQLException {
        int moved = scopeRow(scope)
                .where(allowedFrom)
                .eq("active_backend_id", scope.state().activeBackendId())
                .eq("epoch", scope.state().epoch())
                .filter(NO_UNFINISHED_JOURNAL_ROW, scope.name())
                .set("replication_status", held)
                .execute(c);
        if (moved == 1 && scope.kind() == Scope.Kind.CLUSTER) {
            unfencedMembers(scope).set("replication_status", held).execute(c);
        }
        return moved == 1;
    }

    /**
     * The commit: {@code held} at {@code claimEpoch} → {@code status} serving {@code activeBackendId} (null = the
     * primary) at {@code claimEpoch + 1}, and every volume service of a cluster with it. Returns whether the scope
     * row moved (false: it is no longer held at that epoch).
     */
    public static boolean commit(
            Connection c, Scope scope, String held, long claimEpoch, String status, String activeBackendId)
            throws SQLException {
        int moved = scopeRow(scope)
                .eq("replication_status", held)
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
     * Ends a claim that committed nothing: {@code held} at {@code claimEpoch} → {@code status} on the scope row, and
     * {@code memberStatus} on the cluster's unfenced volume services that the claim moved; active backend and epoch
     * unchanged. The two differ after a failed promote: the cluster row says {@code error}, but a member's row in
     * {@code error} would mean that member is fenced, and nothing was done to the members. Returns whether it moved.
     */
    public static boolean release(
            Connection c, Scope scope, String held, long claimEpoch, String status, String memberStatus)
            throws SQLException {
        int moved = scopeRow(scope)
                .eq("replication_status", held)
                .eq("epoch", claimEpoch)
                .set("replication_status", status)
                .execute(c);
        if (moved == 1 && scope.kind() == Scope.Kind.CLUSTER) {
            unfencedMembers(scope)
                    .eq("replication_status", held)
                    .set("replication_status", memberStatus)
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
