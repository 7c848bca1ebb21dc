package io.tandem.replication.domain.freeze;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.TandemException;
import io.tandem.core.error.UnavailableException;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.replication.domain.failover.StatusTransition;
import io.tandem.replication.domain.failover.Transitions;
import io.tandem.replication.domain.liveness.LiveView;
import io.tandem.replication.domain.liveness.Liveness;
import io.tandem.replication.domain.members.MemberCallException;
import io.tandem.replication.domain.members.MemberCalls;
import io.tandem.replication.domain.members.NodeRef;
import io.tandem.replication.domain.scope.Scope;
import io.tandem.replication.domain.scope.ScopeWrites;
import io.tandem.replication.domain.scope.Scopes;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freeze and thaw of a cluster (all its services) or a non-clustered host. Freeze writes the flag first (the flag is
 * what refuses management operations) and then tells one member's driver; thaw asks one member's driver first and
 * clears the flag only when it succeeded, so a failed thaw leaves the database frozen.
 */
@Singleton
public class FreezeThaw {
    private static final Logger LOG = LoggerFactory.getLogger(FreezeThaw.class);

    private final DataSource dataSource;
    private final Scopes scopes;
    private final Liveness liveness;
    private final MemberCalls calls;
    private final Transitions transitions;

    public FreezeThaw(DataSource dataSource, Liveness liveness, MemberCalls calls, Transitions transitions) {
        this.dataSource = dataSource;
        this.scopes = new Scopes(dataSource);
        this.liveness = liveness;
        this.calls = calls;
        this.transitions = transitions;
    }

    /** Freezes {@code cluster} or {@code host} (exactly one). */
    public void freeze(String cluster, String host, String requestId) {
        Scope scope = scopes.resolve(cluster, host);
        boolean frozen = Transactions.inTransaction(dataSource, c -> ScopeWrites.setFrozen(c, scope, true));
        if (!frozen) {
            throw new FailedPreconditionException("frozen in " + scope.name() + " must be False to freeze.");
        }
        transitions.record(StatusTransition.FROZEN);
        long epoch = scope.state().epoch();
        for (NodeRef member : members(scope)) {
            try {
                calls.freeze(member, epoch, requestId);
                LOG.info("Froze {}; {} told its driver", scope.describe(), member.host());
                return;
            } catch (MemberCallException e) {
                LOG.warn("Freeze of {}: {} could not tell its driver: {}", scope.name(), member.host(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // The flag is what refuses operations (Cinder's rule): frozen it is, the driver hears of it later or never.
        LOG.warn("Froze {} in the database; no member's driver could be told", scope.describe());
    }

    /** Thaws {@code cluster} or {@code host} (exactly one): the driver first, then the flag. */
    public void thaw(String cluster, String host, String requestId) {
        Scope scope = scopes.resolve(cluster, host);
        if (!scope.state().frozen()) {
            throw notFrozen(scope);
        }
        long epoch = scope.state().epoch();
        String lastError = "no member is up";
        boolean thawed = false;
        for (NodeRef member : members(scope)) {
            try {
                calls.thaw(member, epoch, requestId);
                thawed = true;
                break;
            } catch (MemberCallException e) {
                if (e.outcome() != MemberCallException.Outcome.TRY_ANOTHER) {
                    LOG.warn("Thaw of {}: the driver of {} failed: {}", scope.name(), member.host(), e.getMessage());
                    transitions.record(StatusTransition.THAW_FAILED_STAYS_FROZEN);
                    throw new FailedPreconditionException("Backend reported error during thaw_host operation.");
                }
                lastError = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("Interrupted while thawing " + scope.name() + "; it is still frozen.");
            }
        }
        if (!thawed) {
            transitions.record(StatusTransition.THAW_FAILED_STAYS_FROZEN);
            throw new UnavailableException("No member of " + scope.name() + " could thaw its backend (" + lastError
                    + "); it is still frozen. Retry.");
        }
        boolean cleared = Transactions.inTransaction(dataSource, c -> ScopeWrites.setFrozen(c, scope, false));
        if (!cleared) {
            throw notFrozen(scope);
        }
        transitions.record(StatusTransition.THAWED);
        LOG.info("Thawed {}", scope.describe());
    }

    /** Live members, those serving the scope's epoch first (the others would refuse the expected epoch). */
    private List<NodeRef> members(Scope scope) {
        List<MemberInfo> live;
        try {
            LiveView view = liveness.read(Collections.singletonList(scope.cluster()), Set.of());
            live = scope.kind() == Scope.Kind.CLUSTER
                    ? view.members(scope.name())
                    : view.member(null, scope.name()).stream().toList();
        } catch (TandemException e) {
            LOG.warn("Members of {} unknown: {}", scope.name(), e.getMessage());
            return List.of();
        }
        long epoch = scope.state().epoch();
        return live.stream()
                .map(NodeRef::of)
                .sorted(Comparator.comparing((NodeRef n) -> n.servedEpoch() != epoch)
                        .thenComparing(NodeRef::host))
                .toList();
    }

    private static FailedPreconditionException notFrozen(Scope scope) {
        return new FailedPreconditionException("frozen in " + scope.name() + " must be True to thaw.");
    }
}
