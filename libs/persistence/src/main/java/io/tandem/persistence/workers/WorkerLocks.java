package io.tandem.persistence.workers;

import io.tandem.core.error.AbortedException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.retry.Backoff;
import io.tandem.persistence.jdbc.Transactions;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers table as the lock of cleanable operations (Cinder's Active/Active design, without a lock manager):
 * acquire is a conditional insert retried with bounded backoff, release deletes the own row, and a dead holder's row
 * is taken over by compare-and-swap so that exactly one claimer wins. Each call runs on its own auto-committed
 * connection; {@link WorkerRows} has the same SQL for use inside a caller's transaction.
 *
 * <p>The lock is not re-entrant: a node that already holds a resource cannot acquire it again, which keeps two
 * operations of the same node on one volume apart as well.
 */
public final class WorkerLocks {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLocks.class);

    private final DataSource dataSource;
    private final Backoff backoff;

    /** @param backoff how often and how long {@link #acquire} retries while another operation holds the resource */
    public WorkerLocks(DataSource dataSource, Backoff backoff) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Takes the lock on the resource for {@code serviceId}, retrying with backoff while another operation holds it.
     *
     * @param status the resource status the operation starts from (what a cleaner must clean up after a crash)
     * @return the inserted row; pass it to {@link #release(WorkerRow)}
     * @throws FailedPreconditionException when the resource is still held after every attempt; names the resource
     *     and its holder
     * @throws AbortedException when interrupted while waiting (the interrupt flag stays set)
     */
    public WorkerRow acquire(String resourceType, String resourceId, String status, int serviceId) {
        for (int attempt = 1; ; attempt++) {
            Optional<WorkerRow> inserted = Transactions.withConnection(
                    dataSource, c -> WorkerRows.tryInsert(c, resourceType, resourceId, status, serviceId));
            if (inserted.isPresent()) {
                return inserted.get();
            }
            if (attempt >= backoff.maxAttempts()) {
                throw busy(resourceType, resourceId, attempt);
            }
            LOG.debug(
                    "{} {} is held by another operation; attempt {}/{} for service {}",
                    resourceType,
                    resourceId,
                    attempt,
                    backoff.maxAttempts(),
                    serviceId);
            pause(attempt, resourceType, resourceId);
        }
    }

    /** Releases {@code row} if its holder still holds it; see {@link #release(long, Integer)}. */
    public boolean release(WorkerRow row) {
        return release(row.id(), row.serviceId());
    }

    /**
     * Deletes row {@code id} only while {@code serviceId} holds it (null: the unclaimed scheduler row). Returns false
     * when the row is gone or another service claimed it; the claimer's row is never deleted.
     */
    public boolean release(long id, Integer serviceId) {
        return Transactions.withConnection(dataSource, c -> WorkerRows.delete(c, id, serviceId));
    }

    /**
     * Takes over {@code seen} (a dead holder's row, or the scheduler's unclaimed row) for {@code claimerServiceId}.
     * Returns the claimed row, or empty when another claimer won or the row changed since it was read.
     */
    public Optional<WorkerRow> claim(WorkerRow seen, int claimerServiceId) {
        return Transactions.withConnection(dataSource, c -> WorkerRows.claim(c, seen, claimerServiceId));
    }

    /** The resource's row, if an operation holds it. */
    public Optional<WorkerRow> findByResource(String resourceType, String resourceId) {
        return Transactions.withConnection(dataSource, c -> WorkerRows.findByResource(c, resourceType, resourceId));
    }

    /** Every row {@code serviceId} holds, oldest first. */
    public List<WorkerRow> listByService(int serviceId) {
        return Transactions.withConnection(dataSource, c -> WorkerRows.listByService(c, serviceId));
    }

    /** Rows held by any of {@code serviceIds} and last updated before {@code before}, oldest first. */
    public List<WorkerRow> listByServicesUpdatedBefore(Collection<Integer> serviceIds, Instant before) {
        return Transactions.withConnection(
                dataSource, c -> WorkerRows.listByServicesUpdatedBefore(c, serviceIds, before));
    }

    private FailedPreconditionException busy(String resourceType, String resourceId, int attempts) {
        String holder = findByResource(resourceType, resourceId)
                .map(row ->
                        row.holder() + " (operation from status " + row.status() + " since " + row.createdAt() + ")")
                .orElse("another operation that has just finished");
        return new FailedPreconditionException(resourceType + " " + resourceId + " is busy: held by " + holder
                + "; gave up after " + attempts + " attempt(s)");
    }

    private void pause(int attempt, String resourceType, String resourceId) {
        try {
            backoff.pauseAfter(attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AbortedException(
                    "interrupted while waiting for the lock on " + resourceType + " " + resourceId, e);
        }
    }
}
