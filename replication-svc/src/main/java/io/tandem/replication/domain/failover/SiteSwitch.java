package io.tandem.replication.domain.failover;

import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.volume.VolumeUpdates;
import io.tandem.replication.domain.members.MemberCallException;
import io.tandem.replication.domain.members.MemberCalls;
import io.tandem.replication.domain.members.NodeRef;
import io.tandem.replication.domain.members.PromoteResult;
import io.tandem.replication.domain.scope.Scope;
import io.tandem.replication.domain.scope.ScopeWrites;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The promoting step of a failover or failback: VolumeService.Failover switches the scope to the requested site
 * ({@code default}: back to the primary), and the commit moves the scope to failed-over (enabled after a failback)
 * with the driver's volume updates. Volumes the driver leaves in error get a reason saying why.
 */
final class SiteSwitch implements Promotion {
    static final SiteSwitch INSTANCE = new SiteSwitch();

    private SiteSwitch() {}

    @Override
    public String held() {
        return ScopeWrites.FAILING_OVER;
    }

    @Override
    public PromoteResult ask(MemberCalls calls, NodeRef member, FailoverRow row)
            throws MemberCallException, InterruptedException {
        return calls.promote(member, row.id(), row.toBackendId(), row.claimEpoch(), row.requestId());
    }

    @Override
    public Optional<String> unusable(FailoverRow row, String promoter, PromoteResult result) {
        if (Objects.equals(result.activeBackendId(), active(row))) {
            return Optional.empty();
        }
        return Optional.of("The promote on " + promoter + " switched to " + shown(result.activeBackendId()) + ", not "
                + row.toBackendId() + "; nothing was committed.");
    }

    @Override
    public Commit commit(Connection c, Scope scope, FailoverRow row, PromoteResult result) throws SQLException {
        String active = active(row);
        String status = active == null ? ScopeWrites.ENABLED : ScopeWrites.FAILED_OVER;
        if (!ScopeWrites.commit(c, scope, held(), row.claimEpoch(), status, active)) {
            throw NotCommitted.scopeChanged(scope.name() + " is no longer failing over at epoch " + row.claimEpoch()
                    + " (changed by someone else); nothing was committed.");
        }
        String reason = "Not replicated: left behind when " + scope.name() + " failed over to " + row.toBackendId()
                + " (failover " + row.id() + ").";
        int volumes = VolumeUpdates.apply(c, scope.cluster(), scope.host(), result.volumeUpdates(), reason);
        return new Commit(active == null ? StatusTransition.FAILED_BACK : StatusTransition.PROMOTED, active, volumes);
    }

    @Override
    public Release reverted(FailoverRow row) {
        return new Release(row.previousStatus(), row.previousStatus(), StatusTransition.REVERTED);
    }

    @Override
    public Release failed(FailoverRow row) {
        // A new failover request may retry from failover-error; the members follow the cluster.
        return new Release(ScopeWrites.FAILOVER_ERROR, ScopeWrites.FAILOVER_ERROR, StatusTransition.DRIVER_FAILED);
    }

    /** The backend the row switches to: null for a failback to the primary. */
    private static String active(FailoverRow row) {
        return FailoverClaims.DEFAULT.equals(row.toBackendId()) ? null : row.toBackendId();
    }

    private static String shown(String backendId) {
        return backendId == null ? "the primary site" : backendId;
    }
}
