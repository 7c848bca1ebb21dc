package io.tandem.systemtests;

import io.tandem.proto.v1.Failover;

/** Reading failover journal rows in tests. */
final class FailoverRows {
    private FailoverRows() {}

    /** True once the row reached a phase it never leaves. */
    static boolean isFinal(Failover row) {
        return switch (row.getPhase()) {
            case FAILOVER_PHASE_COMPLETED,
                    FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS,
                    FAILOVER_PHASE_FAILED,
                    FAILOVER_PHASE_REVERTED -> true;
            default -> false;
        };
    }
}
