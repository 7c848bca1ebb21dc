package io.tandem.replication.domain.failover;

import io.tandem.core.retry.Backoff;
import io.tandem.replication.config.ReplicationConfiguration;
import java.time.Duration;

/**
 * The coordinator's timing and retry bounds (from {@code tandem.replication.*}).
 *
 * @param drainTimeout how long the drain waits for in-flight operations before promoting anyway
 * @param drainPollInterval how often the drain looks again
 * @param promoteAttempts rounds over the live members for the promote
 * @param completeAttempts FailoverCompleted calls per member before it is fenced
 * @param retryInitialDelay first backoff bound
 * @param retryMaxDelay backoff cap
 */
public record FailoverSettings(
        Duration drainTimeout,
        Duration drainPollInterval,
        int promoteAttempts,
        int completeAttempts,
        Duration retryInitialDelay,
        Duration retryMaxDelay) {
    public FailoverSettings {
        if (promoteAttempts < 1 || completeAttempts < 1) {
            throw new IllegalArgumentException("promote-attempts and complete-attempts must be at least 1");
        }
    }

    public static FailoverSettings of(ReplicationConfiguration config) {
        return new FailoverSettings(
                config.getDrainTimeout(),
                config.getDrainPollInterval(),
                config.getPromoteAttempts(),
                config.getCompleteAttempts(),
                config.getRetryInitialDelay(),
                config.getRetryMaxDelay());
    }

    Backoff backoff(int attempts) {
        return new Backoff(attempts, retryInitialDelay, retryMaxDelay);
    }
}
