package io.tandem.persistence.workers;

import io.tandem.persistence.jdbc.JdbcValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A row of {@code workers}: the lock a cleanable operation (volume creating, deleting, extending) holds on its
 * resource, and after a crash the note that tells a cleaner what to clean up.
 *
 * @param id the row id
 * @param resourceType the resource's type as stored, e.g. {@value WorkerRows#VOLUME}
 * @param resourceId the resource's id as text
 * @param status the resource status the operation started from
 * @param serviceId the holder's {@code services.id}; null while the scheduler's row awaits its node, or after the
 *     holder's service row was deleted
 * @param racePreventer bumped by every claim; part of the claim's compare-and-swap
 * @param createdAt when the row was inserted
 * @param updatedAt when the row was inserted or last claimed; compared exactly by the claim
 */
public record WorkerRow(
        long id,
        String resourceType,
        String resourceId,
        String status,
        Integer serviceId,
        int racePreventer,
        Instant createdAt,
        Instant updatedAt) {

    /** Maps a {@code SELECT * FROM workers} row. */
    public static WorkerRow from(ResultSet row) throws SQLException {
        return new WorkerRow(
                row.getLong("id"),
                row.getString("resource_type"),
                row.getString("resource_id"),
                row.getString("status"),
                JdbcValues.nullableInt(row, "service_id"),
                row.getInt("race_preventer"),
                JdbcValues.instant(row, "created_at"),
                JdbcValues.instant(row, "updated_at"));
    }

    /** Who holds the row, for messages: {@code "service 7"} or the scheduler's not-yet-taken row. */
    public String holder() {
        return serviceId == null ? "no node yet (scheduled)" : "service " + serviceId;
    }
}
