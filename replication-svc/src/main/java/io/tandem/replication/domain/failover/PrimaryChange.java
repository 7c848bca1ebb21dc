package io.tandem.replication.domain.failover;

import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.failover.NewTarget;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import io.tandem.persistence.volume.VolumeUpdates;
import io.tandem.replication.domain.members.MemberCallException;
import io.tandem.replication.domain.members.MemberCalls;
import io.tandem.replication.domain.members.NodeRef;
import io.tandem.replication.domain.members.PromoteResult;
import io.tandem.replication.domain.scope.Scope;
import io.tandem.replication.domain.scope.ScopeWrites;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The promoting step of a promote: VolumeService.UpdateHostReplication makes the site the scope serves its primary
 * with the row's new targets, and the commit writes the result: the scope to the member's status (enabled, or
 * disabled without targets) on the primary (active backend none), the member's volume updates, every volume's sync
 * time forgotten (the new targets hold no copy yet), and the scope's sites replaced by the promoted site as primary
 * plus the new targets.
 *
 * <p>The promoted site keeps its backend id as the primary row's (common.proto: "the id the site had as a target
 * before a promote"), so a listing still shows which site it was; a request names the primary {@code default} either
 * way.
 */
final class PrimaryChange implements Promotion {
    static final String KIND = "promote";
    static final PrimaryChange INSTANCE = new PrimaryChange();

    private PrimaryChange() {}

    @Override
    public String held() {
        return ScopeWrites.UPDATING;
    }

    @Override
    public PromoteResult ask(MemberCalls calls, NodeRef member, FailoverRow row)
            throws MemberCallException, InterruptedException {
        return calls.updateHostReplication(member, row.id(), row.newTargets(), row.claimEpoch(), row.requestId());
    }

    @Override
    public Optional<String> unusable(FailoverRow row, String promoter, PromoteResult result) {
        String answered = "The promote on " + promoter + " answered ";
        if (result.activeBackendId() != null) {
            return Optional.of(answered + "active backend " + result.activeBackendId()
                    + ", but a promote makes the served site the primary; nothing was committed.");
        }
        String status = result.replicationStatus();
        if (!ScopeWrites.ENABLED.equals(status) && !ScopeWrites.DISABLED.equals(status)) {
            return Optional.of(answered + "replication status " + status
                    + ", but only enabled or disabled can follow a promote; nothing was committed.");
        }
        if (ScopeWrites.ENABLED.equals(status) && row.newTargets().isEmpty()) {
            return Optional.of(answered + "enabled, but the promote leaves no target to replicate to; nothing was"
                    + " committed.");
        }
        return Optional.empty();
    }

    @Override
    public Commit commit(Connection c, Scope scope, FailoverRow row, PromoteResult result) throws SQLException {
        String status = result.replicationStatus();
        if (!ScopeWrites.commit(c, scope, held(), row.claimEpoch(), status, null)) {
            throw NotCommitted.scopeChanged(scope.name() + " is no longer updating at epoch " + row.claimEpoch()
                    + " (changed by someone else); nothing was committed.");
        }
        // Read in the commit's transaction: the claim checked the site exists, but only this write may rely on it.
        SiteRow promoted = ServedSite.among(ReplicationTargetRepository.sites(c, scope.name()), row.fromBackendId())
                .orElseThrow(() -> NotCommitted.cannotApply(ServedSite.describe(row.fromBackendId()) + " of "
                        + scope.name() + " is gone from replication_targets; nothing was committed."));
        List<SiteRow> sites = new ArrayList<>();
        sites.add(new SiteRow(promoted.backendId(), promoted.location(), true));
        for (NewTarget target : row.newTargets()) {
            sites.add(new SiteRow(target.backendId(), target.location(), false));
        }
        ReplicationTargetRepository.replace(c, scope.name(), sites);
        String reason = "Left in error when " + scope.name() + " promoted its active site to primary (promote "
                + row.id() + ").";
        int volumes = VolumeUpdates.apply(c, scope.cluster(), scope.host(), result.volumeUpdates(), reason);
        VolumeUpdates.forgetSyncTimes(c, scope.cluster(), scope.host());
        return new Commit(
                ScopeWrites.ENABLED.equals(status)
                        ? StatusTransition.PROMOTE_ENABLED
                        : StatusTransition.PROMOTE_DISABLED,
                null,
                volumes);
    }

    @Override
    public Release reverted(FailoverRow row) {
        return new Release(row.previousStatus(), serving(row), StatusTransition.PROMOTE_REVERTED);
    }

    /**
     * The scope goes to error (the admin retries the promote, or resets offline); its members do not: nothing was
     * done to them, they still serve the same site at the same epoch, and a member's row in error would mean that
     * member is fenced (refusing the very retry that would clear it).
     */
    @Override
    public Release failed(FailoverRow row) {
        return new Release(ScopeWrites.ERROR, serving(row), StatusTransition.PROMOTE_FAILED);
    }

    /** The status of a member serving the site it served at the claim, which nothing committed changed. */
    private static String serving(FailoverRow row) {
        return FailoverClaims.DEFAULT.equals(row.fromBackendId()) ? ScopeWrites.ENABLED : ScopeWrites.FAILED_OVER;
    }
}
