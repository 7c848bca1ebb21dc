package io.tandem.replication.domain.failover;

import io.tandem.persistence.failover.FailoverRow;
import io.tandem.replication.domain.members.MemberCallException;
import io.tandem.replication.domain.members.MemberCalls;
import io.tandem.replication.domain.members.NodeRef;
import io.tandem.replication.domain.members.PromoteResult;
import io.tandem.replication.domain.scope.Scope;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What the promoting step does for one kind of journal row. The coordinator does everything else the same way for
 * every kind (member choice, retry rounds, the journal's compare-and-swaps, the drain and the complete step); a kind
 * decides which member call runs, what its answer must say to be committed, what the commit writes besides the
 * journal, and what a claim that commits nothing leaves behind.
 */
interface Promotion {
    /** The kind of {@code row}: a promote changes the primary, failover and failback switch the served site. */
    static Promotion of(FailoverRow row) {
        return PrimaryChange.KIND.equals(row.kind()) ? PrimaryChange.INSTANCE : SiteSwitch.INSTANCE;
    }

    /** The status the claim holds the scope in; the commit and the release compare-and-swap from it. */
    String held();

    /** The member's side of the promoting step, on {@code member}. */
    PromoteResult ask(MemberCalls calls, NodeRef member, FailoverRow row)
            throws MemberCallException, InterruptedException;

    /** Why the member's answer cannot be committed (it did something other than asked), or empty. */
    Optional<String> unusable(FailoverRow row, String promoter, PromoteResult result);

    /**
     * The commit's writes besides the journal, in the caller's transaction: the scope from {@link #held()} at the
     * claim's epoch to its new state at the next epoch, and whatever else the kind changes.
     *
     * @throws NotCommitted when the commit cannot be made; the caller rolls the transaction back
     */
    Commit commit(Connection c, Scope scope, FailoverRow row, PromoteResult result) throws SQLException;

    /** What a request the member rejected as invalid leaves: the status before the claim. */
    Release reverted(FailoverRow row);

    /** What a request the member failed (or nobody could run) leaves. */
    Release failed(FailoverRow row);

    /**
     * A commit's outcome.
     *
     * @param transition the status transition it made
     * @param activeBackendId the backend served from now on; null = the primary
     * @param volumesChanged volume rows the member's updates changed
     */
    record Commit(StatusTransition transition, String activeBackendId, int volumesChanged) {}

    /**
     * What a release writes.
     *
     * @param status the scope row's status
     * @param memberStatus the status of a cluster's volume services that the claim moved
     * @param transition the transition it makes
     */
    record Release(String status, String memberStatus, StatusTransition transition) {}

    /**
     * The commit cannot be made: it is rolled back and the row ends failed with this message. When the scope is no
     * longer held at the claim's epoch, someone else changed it and it is left alone; when it still is (the answer
     * cannot be applied to what the database holds), it is released as {@link #failed} says, so that it is not left
     * held by a finished row.
     */
    final class NotCommitted extends RuntimeException {
        private final boolean scopeStillHeld;

        private NotCommitted(String message, boolean scopeStillHeld) {
            super(message, null, false, false);
            this.scopeStillHeld = scopeStillHeld;
        }

        /** The scope was no longer held at the claim's epoch. */
        static NotCommitted scopeChanged(String message) {
            return new NotCommitted(message, false);
        }

        /** The scope is still held, but what the commit needs besides it is not there. */
        static NotCommitted cannotApply(String message) {
            return new NotCommitted(message, true);
        }

        boolean scopeStillHeld() {
            return scopeStillHeld;
        }
    }
}
