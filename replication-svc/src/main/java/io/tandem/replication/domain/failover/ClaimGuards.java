package io.tandem.replication.domain.failover;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.failover.NewFailover;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.replication.domain.liveness.LiveView;
import io.tandem.replication.domain.liveness.Liveness;
import io.tandem.replication.domain.scope.Scope;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The refusals every claim (failover, failback, promote) shares: an unfinished journal row of the scope, and no live
 * member to run the protocol on. Read before the compare-and-swap to answer with a precise message; the
 * compare-and-swap (and the journal's partial unique index) decides.
 */
final class ClaimGuards {
    private final FailoverRepository journal;
    private final Liveness liveness;

    ClaimGuards(FailoverRepository journal, Liveness liveness) {
        this.journal = journal;
        this.liveness = liveness;
    }

    /** The refusal when the scope has an unfinished journal row, naming it. */
    Optional<FailedPreconditionException> unfinished(Scope scope) {
        return journal.unfinished(scope.name())
                .map(row -> new FailedPreconditionException("An unfinished " + row.kind() + " (id " + row.id()
                        + ", phase " + row.phase() + ") exists for " + scope.name() + "."));
    }

    /** A claim's compare-and-swap on the scope, inside the claim's transaction; true when it moved the scope. */
    @FunctionalInterface
    interface ScopeHold {
        boolean apply(Connection c) throws SQLException;
    }

    /**
     * The claim itself, in one transaction: {@code hold} moves the scope, then the journal row is inserted. Empty when
     * the compare-and-swap lost (the caller explains why).
     *
     * @throws FailedPreconditionException when the journal's partial unique index saw an unfinished row that the
     *     compare-and-swap's filter did not (a concurrent claim): the transaction, hold included, rolls back
     */
    Optional<FailoverRow> claim(DataSource dataSource, Scope scope, ScopeHold hold, NewFailover row) {
        return Transactions.inTransaction(dataSource, c -> {
            if (!hold.apply(c)) {
                return Optional.empty();
            }
            Optional<FailoverRow> inserted = FailoverRepository.insert(c, row);
            if (inserted.isEmpty()) {
                throw new FailedPreconditionException(
                        "A concurrent request won the claim of " + scope.name() + "; an unfinished failover exists.");
            }
            return inserted;
        });
    }

    /** Refuses when no member of the scope holds a live lease: nobody could run {@code operation}. */
    void requireLiveMember(Scope scope, String operation) {
        // A null cluster lists the non-clustered nodes.
        LiveView live = liveness.read(Collections.singletonList(scope.cluster()), Set.of());
        boolean up = scope.kind() == Scope.Kind.CLUSTER
                ? !live.members(scope.name()).isEmpty()
                : live.member(null, scope.name()).isPresent();
        if (!up) {
            throw new FailedPreconditionException(
                    "No member of " + scope.name() + " is up to run the " + operation + ".");
        }
    }
}
