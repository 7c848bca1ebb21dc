package io.tandem.replication.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** replication-svc's own settings: {@code tandem.replication.*}, or {@code TANDEM_REPLICATION_*} in the environment. */
@ConfigurationProperties("tandem.replication")
public class ReplicationConfiguration {
    /** Deadline of one call to a volume node (e.g. CleanupWorkers); a node that has not answered by then is skipped. */
    private Duration nodeCallTimeout = Duration.ofSeconds(10);

    /** How long a channel to a volume node may sit unused before it drops its connection (reopened on next use). */
    private Duration nodeChannelIdleTimeout = Duration.ofMinutes(5);

    /** At shutdown, how long in-flight calls to volume nodes may finish before their channels are cut. */
    private Duration nodeChannelShutdownTimeout = Duration.ofSeconds(5);

    /**
     * How long a failover waits, after its claim, for in-flight operations (workers rows) on the backend to finish
     * before it promotes anyway; a dead node's row must not hold a disaster failover back forever.
     */
    private Duration drainTimeout = Duration.ofSeconds(30);

    /** How often the drain looks at the workers rows again. */
    private Duration drainPollInterval = Duration.ofMillis(250);

    /**
     * Deadline of one VolumeService.Failover call (the driver's promote; a failback resyncs first, so it may be
     * long), and of one VolumeService.UpdateHostReplication call (a promote's member step, over every volume). A
     * member that misses it counts as unreachable and the next one is asked.
     */
    private Duration promoteCallTimeout = Duration.ofMinutes(5);

    /**
     * Rounds over the live members for the promote step before the row ends FAILED (failover-error after a failover,
     * error after a promote; a new request may retry either) when no member could be reached or none serves the
     * current epoch.
     */
    private int promoteAttempts = 3;

    /** Deadline of one VolumeService.FailoverCompleted call to a member. */
    private Duration completeCallTimeout = Duration.ofSeconds(30);

    /** FailoverCompleted calls per member before it is fenced (its service row goes to error). */
    private int completeAttempts = 5;

    /**
     * Upper bound of the first backoff between attempts (promote rounds, FailoverCompleted calls); doubles up
     * to retry-max-delay, with full jitter.
     */
    private Duration retryInitialDelay = Duration.ofMillis(200);

    /** Cap of the backoff between attempts. */
    private Duration retryMaxDelay = Duration.ofSeconds(5);

    /**
     * How often this instance looks for unfinished journal rows whose owner is gone (or that it owns and is not
     * running, e.g. after a restart or an error) and resumes them. Also done once at start.
     */
    private Duration resumeInterval = Duration.ofSeconds(5);

    /** Failovers of different backends that may run at the same time on this instance; more wait in a queue. */
    private int failoverThreads = 4;

    /** Largest answer accepted from a volume node: a promote lists one update per volume (about 100 bytes each). */
    private int nodeMaxMessageBytes = 64 * 1024 * 1024;

    /**
     * At shutdown, how long running failover steps may take to stop; an interrupted row stays owned by this
     * instance and is resumed by the next one (or by this one when it restarts).
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    public Duration getNodeCallTimeout() {
        return nodeCallTimeout;
    }

    public void setNodeCallTimeout(Duration nodeCallTimeout) {
        this.nodeCallTimeout = nodeCallTimeout;
    }

    public Duration getNodeChannelIdleTimeout() {
        return nodeChannelIdleTimeout;
    }

    public void setNodeChannelIdleTimeout(Duration nodeChannelIdleTimeout) {
        this.nodeChannelIdleTimeout = nodeChannelIdleTimeout;
    }

    public Duration getNodeChannelShutdownTimeout() {
        return nodeChannelShutdownTimeout;
    }

    public void setNodeChannelShutdownTimeout(Duration nodeChannelShutdownTimeout) {
        this.nodeChannelShutdownTimeout = nodeChannelShutdownTimeout;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public Duration getDrainPollInterval() {
        return drainPollInterval;
    }

    public void setDrainPollInterval(Duration drainPollInterval) {
        this.drainPollInterval = drainPollInterval;
    }

    public Duration getPromoteCallTimeout() {
        return promoteCallTimeout;
    }

    public void setPromoteCallTimeout(Duration promoteCallTimeout) {
        this.promoteCallTimeout = promoteCallTimeout;
    }

    public int getPromoteAttempts() {
        return promoteAttempts;
    }

    public void setPromoteAttempts(int promoteAttempts) {
        this.promoteAttempts = promoteAttempts;
    }

    public Duration getCompleteCallTimeout() {
        return completeCallTimeout;
    }

    public void setCompleteCallTimeout(Duration completeCallTimeout) {
        this.completeCallTimeout = completeCallTimeout;
    }

    public int getCompleteAttempts() {
        return completeAttempts;
    }

    public void setCompleteAttempts(int completeAttempts) {
        this.completeAttempts = completeAttempts;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public Duration getResumeInterval() {
        return resumeInterval;
    }

    public void setResumeInterval(Duration resumeInterval) {
        this.resumeInterval = resumeInterval;
    }

    public int getFailoverThreads() {
        return failoverThreads;
    }

    public void setFailoverThreads(int failoverThreads) {
        this.failoverThreads = failoverThreads;
    }

    public int getNodeMaxMessageBytes() {
        return nodeMaxMessageBytes;
    }

    public void setNodeMaxMessageBytes(int nodeMaxMessageBytes) {
        this.nodeMaxMessageBytes = nodeMaxMessageBytes;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }
}
