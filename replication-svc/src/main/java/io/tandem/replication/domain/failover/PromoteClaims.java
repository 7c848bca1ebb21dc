package io.tandem.replication.domain.failover;

import io.tandem.core.error.AbortedException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.failover.NewFailover;
import io.tandem.persistence.failover.NewTarget;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import io.tandem.replication.domain.liveness.Liveness;
import io.tandem.replication.domain.scope.Scope;
import io.tandem.replication.domain.scope.ScopeWrites;
import io.tandem.replication.domain.scope.Scopes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Step 1 of a promote, the claim: validates the request and, in one transaction, moves the scope (and a cluster's
 * unfenced services) to {@code updating} by compare-and-swap and inserts the journal row of kind {@code promote} with
 * its new targets. As for a failover, every refusal known at once is answered here, and the compare-and-swap decides:
 * a concurrent change can only make the claim fail.
 *
 * <p>A promote starts from {@code enabled} or {@code failed-over}, and from {@code error} when a promote left it there
 * (the scope's newest journal row is a failed promote, or a retry of one that the member rejected), so that the admin
 * can retry online; any other {@code error} is for {@code tandem-manage db reset-active-backend}. Frozen does not
 * matter: an admin may promote a frozen backend, and the flag stays.
 */
public final class PromoteClaims {
    private final DataSource dataSource;
    private final Scopes scopes;
    private final ReplicationTargetRepository sites;
    private final FailoverRepository journal;
    private final ClaimGuards guards;
    private final Transitions transitions;
    private final String self;

    /**
     * @param self this instance's host name: the owner of the rows it claims
     */
    public PromoteClaims(DataSource dataSource, Liveness liveness, Transitions transitions, String self) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.scopes = new Scopes(dataSource);
        this.sites = new ReplicationTargetRepository(dataSource);
        this.journal = new FailoverRepository(dataSource);
        this.guards = new ClaimGuards(journal, Objects.requireNonNull(liveness, "liveness"));
        this.transitions = Objects.requireNonNull(transitions, "transitions");
        this.self = Objects.requireNonNull(self, "self");
    }

    /**
     * Claims a promote of {@code cluster} or {@code host} (exactly one) to the primary with {@code targets} (empty:
     * none). Returns the journal row in phase {@code claimed}.
     */
    public FailoverRow claim(
            String cluster, String host, List<NewTarget> targets, String requestedBy, String requestId) {
        Scope scope = scopes.resolve(cluster, host);
        PromoteTargets.checkEach(targets);
        String active = scope.state().activeBackendId();
        SiteRow promoted = ServedSite.among(sites.sites(scope.name()), active)
                .orElseThrow(() -> new FailedPreconditionException(scope.name() + " has no row for "
                        + ServedSite.describe(active) + ", the site it serves, in replication_targets: a backend"
                        + " without sites cannot be promoted."));
        PromoteTargets.checkAgainst(targets, promoted, scope.name());
        guards.unfinished(scope).ifPresent(refusal -> {
            throw refusal;
        });
        String status = scope.state().status();
        if (!promotable(scope)) {
            throw statusRefusal(scope);
        }
        guards.requireLiveMember(scope, "promote");
        NewFailover row = new NewFailover(
                PrimaryChange.KIND,
                scope.kind().stored(),
                scope.name(),
                active == null ? FailoverClaims.DEFAULT : active,
                // The promoted site becomes the primary: the row ends on "default", as a failback does.
                FailoverClaims.DEFAULT,
                self,
                null,
                requestedBy,
                requestId,
                status,
                scope.state().epoch(),
                targets);
        Optional<FailoverRow> claimed =
                guards.claim(dataSource, scope, c -> ScopeWrites.claimForPromote(c, scope), row);
        if (claimed.isEmpty()) {
            throw lostClaim(scope);
        }
        transitions.record(StatusTransition.promoteClaimFrom(status));
        return claimed.get();
    }

    /** The rule of {@link ScopeWrites#claimForPromote}, read ahead to explain a refusal. */
    private boolean promotable(Scope scope) {
        String status = scope.state().status();
        if (ScopeWrites.ENABLED.equals(status) || ScopeWrites.FAILED_OVER.equals(status)) {
            return true;
        }
        if (ScopeWrites.DISABLED.equals(status)) {
            return scope.state().activeBackendId() == null;
        }
        return ScopeWrites.ERROR.equals(status)
                && journal.last(scope.name()).filter(PromoteClaims::leftError).isPresent();
    }

    /** A promote that ended in error: failed, or a retry from error that the member rejected (reverted to error). */
    private static boolean leftError(FailoverRow row) {
        return PrimaryChange.KIND.equals(row.kind())
                && (Phase.FAILED.stored().equals(row.phase())
                        || (Phase.REVERTED.stored().equals(row.phase())
                                && ScopeWrites.ERROR.equals(row.previousStatus())));
    }

    private static FailedPreconditionException statusRefusal(Scope scope) {
        return new FailedPreconditionException("replication_status in " + scope.name()
                + " must be enabled, failed-over or disabled (or error after a failed promote) to promote.");
    }

    /** Why the compare-and-swap did not move the scope, read after the fact. */
    private RuntimeException lostClaim(Scope before) {
        Scope now = scopes.reload(before.kind().stored(), before.name());
        Optional<FailedPreconditionException> unfinished = guards.unfinished(now);
        if (unfinished.isPresent()) {
            return unfinished.get();
        }
        if (!promotable(now)) {
            return statusRefusal(now);
        }
        return new AbortedException(before.name() + " changed while the promote was being claimed (epoch "
                + before.state().epoch() + " -> " + now.state().epoch() + "); retry the request.");
    }
}
