package io.tandem.persistence.failover;

import io.tandem.persistence.jdbc.JdbcValues;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A row of the failover journal ({@code failovers}): one failover, failback or promote of a cluster or non-clustered
 * host, advanced phase by phase by compare-and-swap on {@code phase} and {@code owner}.
 *
 * @param kind {@code failover}, {@code failback} or {@code promote}
 * @param scope {@code cluster} or {@code host}
 * @param target the cluster name, or the host of a non-clustered backend
 * @param fromBackendId the backend active at the claim; {@code default} names the primary (never null once written)
 * @param toBackendId the backend requested; {@code default} for a failback
 * @param epoch the epoch the commit wrote; null until the commit
 * @param owner the replication-svc instance (its host name) driving the row; null once the row is final
 * @param previousStatus the scope's replication status before the claim, restored when the promote is rejected
 * @param claimEpoch the scope's epoch at the claim; the commit moves it to {@code claimEpoch + 1}
 * @param promoterHost the member asked to run the promote (last asked, until it answered)
 * @param finishedAt set exactly when the phase is final
 * @param newTargets the replication targets a promote sets, in request order (empty: none); null for a failover or
 *     failback
 */
public record FailoverRow(
        long id,
        String kind,
        String scope,
        String target,
        String fromBackendId,
        String toBackendId,
        Long epoch,
        String phase,
        String owner,
        Long ownerLease,
        String requestedBy,
        String requestId,
        Instant claimedAt,
        Instant promotedAt,
        Instant committedAt,
        Instant completedAt,
        Instant finishedAt,
        String error,
        String previousStatus,
        Long claimEpoch,
        String promoterHost,
        Instant createdAt,
        Instant updatedAt,
        List<NewTarget> newTargets) {

    public FailoverRow {
        newTargets = newTargets == null ? null : List.copyOf(newTargets);
    }

    /** True once the row has reached a final phase. */
    public boolean finished() {
        return finishedAt != null;
    }

    /**
     * Maps a row of {@link FailoverRepository}'s reads: every column of {@code failovers}, with {@code new_targets}
     * also as the two parallel arrays {@code new_target_ids} and {@code new_target_locations}.
     */
    public static FailoverRow from(ResultSet row) throws SQLException {
        return new FailoverRow(
                row.getLong("id"),
                row.getString("kind"),
                row.getString("scope"),
                row.getString("target"),
                row.getString("from_backend_id"),
                row.getString("to_backend_id"),
                JdbcValues.nullableLong(row, "epoch"),
                row.getString("phase"),
                row.getString("owner"),
                JdbcValues.nullableLong(row, "owner_lease"),
                row.getString("requested_by"),
                row.getString("request_id"),
                JdbcValues.instant(row, "claimed_at"),
                JdbcValues.instant(row, "promoted_at"),
                JdbcValues.instant(row, "committed_at"),
                JdbcValues.instant(row, "completed_at"),
                JdbcValues.instant(row, "finished_at"),
                row.getString("error"),
                row.getString("previous_status"),
                JdbcValues.nullableLong(row, "claim_epoch"),
                row.getString("promoter_host"),
                JdbcValues.instant(row, "created_at"),
                JdbcValues.instant(row, "updated_at"),
                newTargets(row));
    }

    private static List<NewTarget> newTargets(ResultSet row) throws SQLException {
        if (row.getString("new_targets") == null) {
            return null;
        }
        String[] ids = strings(row.getArray("new_target_ids"));
        String[] locations = strings(row.getArray("new_target_locations"));
        List<NewTarget> targets = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            targets.add(new NewTarget(ids[i], locations[i]));
        }
        return targets;
    }

    private static String[] strings(Array array) throws SQLException {
        try {
            return (String[]) array.getArray();
        } finally {
            array.free();
        }
    }
}
