package io.tandem.manage.reset;

import java.util.Objects;

/**
 * What a reset would do to the scope it read: every value it sets, and whether there is anything to do at all.
 *
 * @param activeBackendId null means none (the primary)
 */
record ResetPlan(ScopeSnapshot before, String replicationStatus, String activeBackendId) {

    /** The epoch the reset moves the scope to: one past the one it read, so that members see a new epoch. */
    long newEpoch() {
        return before.row().epoch() + 1;
    }

    /**
     * True when the scope already is what the reset would make it: its row and every service of a cluster have the
     * requested status and active backend (the services at the scope's epoch) and no replication_targets row is left.
     * A second reset would only move the epoch, so it is left alone; this makes a repeated or raced reset harmless.
     */
    boolean alreadyDone() {
        ScopeRow row = before.row();
        return row.replicationStatus().equals(replicationStatus)
                && Objects.equals(row.activeBackendId(), activeBackendId)
                && before.sites().isEmpty()
                && before.services().stream()
                        .allMatch(s -> s.replicationStatus().equals(replicationStatus)
                                && Objects.equals(s.activeBackendId(), activeBackendId)
                                && s.epoch() == row.epoch());
    }

    /** The rows the reset would change, as read. */
    ResetRows rows() {
        return new ResetRows(
                before.scope(),
                before.row(),
                before.services(),
                before.sites(),
                replicationStatus,
                activeBackendId,
                newEpoch());
    }
}
