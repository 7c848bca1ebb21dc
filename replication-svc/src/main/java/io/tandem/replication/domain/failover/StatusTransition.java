package io.tandem.replication.domain.failover;

import java.util.Objects;

/**
 * The replication-status transitions that failover, failback, promote, freeze and thaw make, one entry per row of the
 * table "Replication status (Cinder's values) and transitions" in docs/architecture.md whose "by" column is
 * replication-svc (a claim row once per status it starts from), plus the frozen flag, which that table does not list.
 * The rows volume-svc makes (a member's start) are not here: volume-svc's tests cover them. Every write that makes one of them records it
 * ({@link Transitions}), so that tests can prove each one is exercised and operators can count them.
 *
 * @param from the status before, as the table says it
 * @param docEvent the "event" column of the table's row, verbatim; null for the frozen flag (not in the table)
 * @param to the status after
 */
public enum StatusTransition {
    CLAIM_FROM_ENABLED("enabled", "failover/failback claimed", "failing-over"),
    CLAIM_FROM_FAILED_OVER("failed-over", "failover/failback claimed", "failing-over"),
    CLAIM_FROM_FAILOVER_ERROR("failover-error", "failover/failback claimed", "failing-over"),
    PROMOTED("failing-over", "promote ok, target \u2260 `default`", "failed-over"),
    FAILED_BACK("failing-over", "failback ok (`default`)", "enabled"),
    REVERTED("failing-over", "target invalid for the driver", "the status before the claim"),
    DRIVER_FAILED("failing-over", "driver error", "failover-error"),
    PROMOTE_CLAIM_FROM_ENABLED("enabled", PromoteEvents.CLAIMED, "updating"),
    PROMOTE_CLAIM_FROM_FAILED_OVER("failed-over", PromoteEvents.CLAIMED, "updating"),
    PROMOTE_CLAIM_FROM_DISABLED("disabled", PromoteEvents.CLAIMED, "updating"),
    PROMOTE_CLAIM_FROM_ERROR("error", PromoteEvents.CLAIMED, "updating"),
    PROMOTE_ENABLED("updating", "promote ok (the member reports enabled)", "enabled"),
    PROMOTE_DISABLED("updating", "promote ok, no targets (the member reports disabled)", "disabled"),
    PROMOTE_REVERTED("updating", "promote targets invalid for the driver", "the status before the claim"),
    PROMOTE_FAILED("updating", "promote driver error", "error"),
    MEMBER_FENCED("a member (service row)", "its FailoverCompleted still failing after retries", "error"),
    FROZEN("frozen false", null, "frozen true"),
    THAWED("frozen true", null, "frozen false"),
    THAW_FAILED_STAYS_FROZEN("frozen true", null, "frozen true");

    private final String from;
    private final String docEvent;
    private final String to;

    StatusTransition(String from, String docEvent, String to) {
        this.from = from;
        this.docEvent = docEvent;
        this.to = to;
    }

    public String from() {
        return from;
    }

    public String docEvent() {
        return docEvent;
    }

    public String to() {
        return to;
    }

    /** The claim transition of a failover or failback from {@code status} (enabled, failed-over or failover-error). */
    public static StatusTransition claimFrom(String status) {
        return from("CLAIM_FROM_", status);
    }

    /** The claim transition of a promote from {@code status} (enabled, failed-over or error). */
    public static StatusTransition promoteClaimFrom(String status) {
        return from("PROMOTE_CLAIM_FROM_", status);
    }

    private static StatusTransition from(String prefix, String status) {
        for (StatusTransition t : values()) {
            if (t.name().startsWith(prefix) && Objects.equals(t.from, status)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no " + prefix + " transition from " + status);
    }

    /** Event texts shared by several entries (an enum constant cannot refer to a static field of its own enum). */
    private static final class PromoteEvents {
        static final String CLAIMED =
                "promote claimed (from disabled only on the primary, from error only after a failed promote)";
    }
}
