package io.tandem.volume.domain.replication;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.volume.domain.node.NodeIdentity;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The node's read of replication-svc's journal ({@code failovers}) before it promotes: the Failover RPC runs only for
 * a row that replication-svc has claimed and driven to phase {@code promoting} for this node's own cluster (or host),
 * so that a late retry of a superseded or finished operation cannot promote anything.
 */
final class FailoverJournal {
    static final String PROMOTING = "promoting";
    // Sorted sets, so that messages list the kinds in a stable order.
    private static final Set<String> FAILOVER_KINDS = new TreeSet<>(Set.of("failover", "failback"));
    private static final Set<String> PROMOTE_KINDS = Set.of("promote");

    private final FailoverRepository journal;

    FailoverJournal(DataSource dataSource) {
        this.journal = new FailoverRepository(dataSource);
    }

    /**
     * The journal row {@code failoverId}, checked: it exists, is a failover or failback of this node's cluster (or,
     * not clustered, of its host), is in phase {@code promoting}, and promotes {@code secondaryBackendId}.
     *
     * @throws FailedPreconditionException naming what does not match (the proto's "superseded or finished")
     */
    FailoverRow promoting(NodeIdentity node, long failoverId, String secondaryBackendId) {
        FailoverRow row = inPhasePromoting(node, failoverId, FAILOVER_KINDS);
        // The row names the backend as requested; empty would mean replication-svc resolved it only in the call.
        if (row.toBackendId() != null
                && !row.toBackendId().isEmpty()
                && !row.toBackendId().equals(secondaryBackendId)) {
            throw new FailedPreconditionException(
                    "Failover " + failoverId + " promotes " + row.toBackendId() + ", not " + secondaryBackendId);
        }
        return row;
    }

    /**
     * The journal row {@code failoverId}, checked: it exists, is a promote of this node's cluster (or host), and is in
     * phase {@code promoting}.
     *
     * @throws FailedPreconditionException naming what does not match
     */
    FailoverRow promotingPromote(NodeIdentity node, long failoverId) {
        return inPhasePromoting(node, failoverId, PROMOTE_KINDS);
    }

    private FailoverRow inPhasePromoting(NodeIdentity node, long failoverId, Set<String> kinds) {
        FailoverRow row = journal.find(failoverId)
                .orElseThrow(() -> new FailedPreconditionException("Failover " + failoverId + " does not exist"));
        String scopeKind = node.clustered() ? "cluster" : "host";
        if (!node.scope().equals(row.target()) || !scopeKind.equals(row.scope())) {
            throw new FailedPreconditionException("Failover " + failoverId + " is for " + row.scope() + " "
                    + row.target() + ", not for " + node.describe());
        }
        if (!kinds.contains(row.kind())) {
            throw new FailedPreconditionException(
                    "Failover " + failoverId + " is a " + row.kind() + ", not a " + String.join(" or ", kinds));
        }
        if (!PROMOTING.equals(row.phase())) {
            throw new FailedPreconditionException("Failover " + failoverId + " is in phase " + row.phase() + ", not "
                    + PROMOTING + "; it was superseded or has moved on");
        }
        return row;
    }
}
