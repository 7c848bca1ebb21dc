package io.tandem.core.error;

/**
 * A member serves an older cluster epoch than the database holds: it missed a failover and must converge (re-read the
 * cluster row, switch its driver) before it may change anything.
 */
public final class StaleEpochException extends FailedPreconditionException {
    public StaleEpochException(String scope, long servedEpoch, long currentEpoch) {
        super("Member of " + scope + " serves epoch " + servedEpoch + " but the current epoch is " + currentEpoch
                + "; it refuses management operations until it has converged.");
    }
}
