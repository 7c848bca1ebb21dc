package io.tandem.replication.domain.failover;

import io.tandem.persistence.failover.FailoverMemberRow;
import io.tandem.persistence.failover.FailoverRow;
import java.time.Duration;
import java.util.List;

/**
 * A journal row with its per-member acknowledgements, as GetFailover and ListFailovers show it.
 *
 * @param members one row per member live at the commit, by host; empty before the commit
 */
public record FailoverView(FailoverRow row, List<FailoverMemberRow> members) {
    public FailoverView {
        members = List.copyOf(members);
    }

    /** completed_at - claimed_at (the recovery time the control plane measured), or null while unfinished. */
    public Duration duration() {
        if (row.completedAt() == null || row.claimedAt() == null) {
            return null;
        }
        return Duration.between(row.claimedAt(), row.completedAt());
    }
}
