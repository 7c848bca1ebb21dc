package io.tandem.replication.domain.failover;

import io.tandem.core.BackendIds;
import io.tandem.core.error.AbortedException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.failover.NewFailover;
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
 * Step 1 of the protocol, the claim: validates a failover request and, in one transaction, moves the scope (and a
 * cluster's services) to {@code failing-over} by compare-and-swap and inserts the journal row. Every refusal known
 * at once is answered here, with replication.proto's codes; what the checks read is then re-checked by the
 * compare-and-swap itself, so a concurrent change can only make the claim fail, never make a wrong one succeed.
 */
public final class FailoverClaims {
    /** The backend id that names the primary site in a request (a failback). */
    public static final String DEFAULT = BackendIds.PRIMARY;
    /** Statuses a failover or failback may start from (a failover-error is retried by a new request). */
    public static final List<String> CLAIMABLE =
            List.of(ScopeWrites.ENABLED, ScopeWrites.FAILED_OVER, ScopeWrites.FAILOVER_ERROR);

    private final DataSource dataSource;
    private final Scopes scopes;
    private final ReplicationTargetRepository targets;
    private final ClaimGuards guards;
    private final Transitions transitions;
    private final String self;

    /**
     * @param self this instance's host name: the owner of the rows it claims
     */
    public FailoverClaims(DataSource dataSource, Liveness liveness, Transitions transitions, String self) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.scopes = new Scopes(dataSource);
        this.targets = new ReplicationTargetRepository(dataSource);
        this.guards = new ClaimGuards(new FailoverRepository(dataSource), Objects.requireNonNull(liveness, "liveness"));
        this.transitions = Objects.requireNonNull(transitions, "transitions");
        this.self = Objects.requireNonNull(self, "self");
    }

    /**
     * Claims a failover of {@code cluster} or {@code host} (exactly one) to {@code backendId} ({@code default} = fail
     * back; empty = the only target). Returns the journal row in phase {@code claimed}.
     */
    public FailoverRow claim(String cluster, String host, String backendId, String requestedBy, String requestId) {
        Scope scope = scopes.resolve(cluster, host);
        String status = scope.state().status();
        if (ScopeWrites.NOT_CAPABLE.equals(status)) {
            throw new FailedPreconditionException(
                    scope.name() + " is not capable of replication: it has no replication targets.");
        }
        String to = targetOf(scope, backendId == null ? "" : backendId);
        String active = scope.state().activeBackendId();
        if (DEFAULT.equals(to) ? active == null : to.equals(active)) {
            throw new FailedPreconditionException("Backend " + to + " is already active for " + scope.name() + ".");
        }
        guards.unfinished(scope).ifPresent(refusal -> {
            throw refusal;
        });
        if (!CLAIMABLE.contains(status)) {
            throw statusRefusal(scope);
        }
        guards.requireLiveMember(scope, "failover");
        NewFailover row = new NewFailover(
                DEFAULT.equals(to) ? "failback" : "failover",
                scope.kind().stored(),
                scope.name(),
                active == null ? DEFAULT : active,
                to,
                self,
                null,
                requestedBy,
                requestId,
                status,
                scope.state().epoch());
        Optional<FailoverRow> claimed =
                guards.claim(dataSource, scope, c -> ScopeWrites.claim(c, scope, CLAIMABLE), row);
        if (claimed.isEmpty()) {
            throw lostClaim(scope);
        }
        transitions.record(StatusTransition.claimFrom(status));
        return claimed.get();
    }

    /** The requested backend as the journal stores it: a target id, or {@code default}. */
    private String targetOf(Scope scope, String backendId) {
        List<String> ids = targets.sites(scope.name()).stream()
                .filter(site -> !site.primary())
                .map(SiteRow::backendId)
                .sorted()
                .toList();
        if (backendId.isEmpty()) {
            if (ids.size() == 1) {
                return ids.get(0);
            }
            if (ids.isEmpty()) {
                throw new FailedPreconditionException(
                        scope.name() + " is not capable of replication: it has no replication targets.");
            }
            throw new InvalidArgumentException("backend_id must name one of the replication targets of " + scope.name()
                    + " (" + String.join(", ", ids) + "): it has several.");
        }
        if (DEFAULT.equals(backendId) || ids.contains(backendId)) {
            return backendId;
        }
        throw new InvalidArgumentException("Backend id " + backendId + " is not a replication target of " + scope.name()
                + " (targets: " + (ids.isEmpty() ? "none" : String.join(", ", ids)) + "; \"default\" fails back).");
    }

    private static FailedPreconditionException statusRefusal(Scope scope) {
        return new FailedPreconditionException("replication_status in " + scope.name()
                + " must be enabled, failed-over or failover-error and up to failover.");
    }

    /** Why the compare-and-swap did not move the scope, read after the fact. */
    private RuntimeException lostClaim(Scope before) {
        Scope now = scopes.reload(before.kind().stored(), before.name());
        Optional<FailedPreconditionException> unfinished = guards.unfinished(now);
        if (unfinished.isPresent()) {
            return unfinished.get();
        }
        if (!CLAIMABLE.contains(now.state().status())) {
            return statusRefusal(now);
        }
        return new AbortedException(before.name() + " changed while the failover was being claimed (epoch "
                + before.state().epoch() + " -> " + now.state().epoch() + "); retry the request.");
    }
}
