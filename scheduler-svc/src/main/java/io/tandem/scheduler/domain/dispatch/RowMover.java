package io.tandem.scheduler.domain.dispatch;

import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Moves an operation that its member did not answer to another member (volume-protocol.md, "Redispatch"): the workers
 * row changes holder by compare-and-swap on (id, service_id, race_preventer, updated_at) as the scheduler last wrote
 * it ({@link WorkerRows#claim}), and for a create {@code volumes.host} follows in the same transaction. The swap loses
 * when the member has claimed the row meanwhile (it is running the operation: a slow answer, not a dead member) or
 * the operation has ended; then nothing changes.
 *
 * <p>Only a create moves {@code volumes.host}: there the scheduler set the host to the chosen member. A delete or
 * extend runs on any member of the volume's cluster and leaves the host (the member that created it) alone.
 */
public final class RowMover {
    private final DataSource dataSource;
    private final ServiceIds serviceIds;

    public RowMover(DataSource dataSource, ServiceIds serviceIds) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.serviceIds = Objects.requireNonNull(serviceIds, "serviceIds");
    }

    /** The row as moved to {@code toHost}, or empty when the swap lost (see the class comment). */
    public Optional<WorkerRow> move(Dispatcher.Job job, WorkerRow seen, String fromHost, String toHost) {
        int toServiceId = serviceIds.of(toHost);
        return Transactions.inTransaction(dataSource, c -> move(c, job, seen, fromHost, toHost, toServiceId));
    }

    private static Optional<WorkerRow> move(
            Connection c, Dispatcher.Job job, WorkerRow seen, String fromHost, String toHost, int toServiceId)
            throws SQLException {
        Optional<WorkerRow> claimed = WorkerRows.claim(c, seen, toServiceId);
        if (claimed.isEmpty() || job.operation() != Operation.CREATE) {
            return claimed;
        }
        int moved = ConditionalUpdate.table("volumes")
                .eq("id", job.volumeId())
                .eq("status", Operation.CREATE.status())
                .eq("host", fromHost)
                .set("host", toHost)
                .execute(c);
        if (moved != 1) {
            // The row was unclaimed, so the volume cannot have moved on; if it did anyway, change nothing.
            c.rollback();
            return Optional.empty();
        }
        return claimed;
    }
}
