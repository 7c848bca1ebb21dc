package io.tandem.persistence.failover;

import io.tandem.persistence.jdbc.JdbcValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A row of {@code failover_members}: one member's acknowledgement of a committed failover (FailoverCompleted).
 *
 * @param ackedEpoch the epoch the member acknowledged serving; null until it did
 * @param attempts FailoverCompleted calls made so far
 * @param error the last failed attempt's error; null after a success or before any failure
 * @param fenced true once the member was fenced after exhausting its attempts
 */
public record FailoverMemberRow(
        long failoverId, String host, Long ackedEpoch, Instant ackedAt, int attempts, String error, boolean fenced) {

    /** True once the member acknowledged. */
    public boolean acked() {
        return ackedEpoch != null;
    }

    /** Maps a {@code SELECT * FROM failover_members} row. */
    public static FailoverMemberRow from(ResultSet row) throws SQLException {
        return new FailoverMemberRow(
                row.getLong("failover_id"),
                row.getString("host"),
                JdbcValues.nullableLong(row, "acked_epoch"),
                JdbcValues.instant(row, "acked_at"),
                row.getInt("attempts"),
                row.getString("error"),
                row.getBoolean("fenced"));
    }
}
