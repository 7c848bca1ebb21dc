package io.tandem.persistence.workers;

import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Queries;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the workers table on a caller's {@link Connection}, so that it can run inside the caller's transaction
 * (the scheduler inserts a create's row in the same transaction as the volume row). {@link WorkerLocks} wraps these
 * with retries, backoff and error translation for use on a {@code DataSource}.
 */
public final class WorkerRows {
    /** {@code resource_type} of a volume, spelled exactly as the schema's CHECK allows. */
    public static final String VOLUME = "Volume";

    private static final String INSERT = "INSERT INTO workers (resource_type, resource_id, status, service_id)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (resource_type, resource_id) DO NOTHING RETURNING *";

    private WorkerRows() {}

    /**
     * Inserts the row unless the resource already has one; returns the new row, or empty when another operation
     * holds the resource. Uses {@code ON CONFLICT DO NOTHING}, not a caught unique violation, because a violation
     * would abort the caller's whole transaction.
     *
     * @param serviceId the holder, or null for a row the scheduler creates before a node takes it
     */
    public static Optional<WorkerRow> tryInsert(
            Connection connection, String resourceType, String resourceId, String status, Integer serviceId)
            throws SQLException {
        return Queries.one(connection, INSERT, WorkerRow::from, resourceType, resourceId, status, serviceId);
    }

    /**
     * Deletes the row only if {@code serviceId} still holds it, so that a holder that lost its row to a claimer
     * cannot delete the claimer's row. Returns whether a row was deleted.
     */
    public static boolean delete(Connection connection, long id, Integer serviceId) throws SQLException {
        if (serviceId == null) {
            return Queries.update(connection, "DELETE FROM workers WHERE id = ? AND service_id IS NULL", id) == 1;
        }
        return Queries.update(connection, "DELETE FROM workers WHERE id = ? AND service_id = ?", id, serviceId) == 1;
    }

    /**
     * Takes over {@code seen} for {@code claimerServiceId}: a compare-and-swap on (id, service_id, race_preventer,
     * updated_at) as read, setting service_id = claimer, race_preventer + 1 and updated_at = now(). Of several
     * claimers that read the same row exactly one wins; the others get empty, as does anyone whose copy is stale.
     */
    public static Optional<WorkerRow> claim(Connection connection, WorkerRow seen, int claimerServiceId)
            throws SQLException {
        List<WorkerRow> rows = ConditionalUpdate.table("workers")
                .eq("id", seen.id())
                .eq("service_id", seen.serviceId())
                .eq("race_preventer", seen.racePreventer())
                .eq("updated_at", seen.updatedAt())
                .set("service_id", claimerServiceId)
                .setExpression("race_preventer", "race_preventer + 1")
                .executeReturning(connection, WorkerRow::from);
        return rows.stream().findFirst();
    }

    /** The resource's row, if an operation holds it. */
    public static Optional<WorkerRow> findByResource(Connection connection, String resourceType, String resourceId)
            throws SQLException {
        return Queries.one(
                connection,
                "SELECT * FROM workers WHERE resource_type = ? AND resource_id = ?",
                WorkerRow::from,
                resourceType,
                resourceId);
    }

    /** Every row {@code serviceId} holds, oldest first (what a restarted node cleans up). */
    public static List<WorkerRow> listByService(Connection connection, int serviceId) throws SQLException {
        return Queries.list(
                connection, "SELECT * FROM workers WHERE service_id = ? ORDER BY id", WorkerRow::from, serviceId);
    }

    /**
     * Rows held by any of {@code serviceIds} and last updated before {@code before}, oldest first: what a live
     * member may claim from dead members once their leases expired.
     */
    public static List<WorkerRow> listByServicesUpdatedBefore(
            Connection connection, Collection<Integer> serviceIds, Instant before) throws SQLException {
        if (serviceIds.isEmpty()) {
            return List.of();
        }
        Array ids = connection.createArrayOf("integer", serviceIds.toArray());
        return Queries.list(
                connection,
                "SELECT * FROM workers WHERE service_id = ANY (?) AND updated_at < ? ORDER BY id",
                WorkerRow::from,
                ids,
                before);
    }
}
