package io.tandem.manage.reset;

import java.util.List;

/** Cinder's replication statuses as the reset sees them: the ones it may set, and the ones an operation holds. */
public final class ReplicationStatuses {
    /** What Cinder's promote design resets to: replication off until the restarted service turns it on. */
    public static final String DEFAULT = "disabled";

    /** The statuses the reset may set: none of them claims the backend for an operation. */
    public static final List<String> SETTABLE =
            List.of("disabled", "enabled", "not-capable", "failed-over", "failover-error", "error");

    /**
     * The statuses that mean an operation holds the backend (a failover, a start's updateHostReplication, a change of
     * targets): the reset neither sets them nor goes behind them.
     */
    public static final List<String> HELD_BY_AN_OPERATION =
            List.of("updating", "failing-over", "enabling", "disabling");

    private ReplicationStatuses() {}
}
