package io.tandem.scheduler.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Placement and job distribution settings: {@code tandem.scheduler.*}, or {@code TANDEM_SCHEDULER_*} in the
 * environment (e.g. {@code TANDEM_SCHEDULER_DISPATCH_DEADLINE=10s}).
 */
@ConfigurationProperties("tandem.scheduler")
public class SchedulerConfiguration {
    /** Deadline of one VolumeService call to a member (create, delete, extend), the driver's work included. */
    private Duration dispatchDeadline = Duration.ofSeconds(30);

    /**
     * Calls made for one operation before the scheduler gives up on it; each unanswered call (UNAVAILABLE or
     * DEADLINE_EXCEEDED) moves the operation to another live member. After the last one the workers row stays with
     * the member tried last, whose crash cleanup (or restart) finishes the operation.
     */
    private int dispatchAttempts = 3;

    /** Upper bound of the first pause before a redispatch (exponential backoff with jitter). */
    private Duration dispatchBackoffInitial = Duration.ofMillis(100);

    /** Cap of the pauses between redispatches. */
    private Duration dispatchBackoffMax = Duration.ofSeconds(2);

    /** Threads that run dispatch steps (member choice, the compare-and-swap of a redispatch); calls are async. */
    private int dispatchThreads = 4;

    /**
     * Dispatch steps that may wait for a thread; beyond it the caller runs the step itself (backpressure, never a
     * dropped operation).
     */
    private int dispatchQueueCapacity = 10_000;

    /** How long an unused channel to a volume node keeps its connection. */
    private Duration channelIdleTimeout = Duration.ofMinutes(5);

    /** How old the capacity stats read from etcd may be before a placement reads them again (bounded staleness). */
    private Duration statsRefreshInterval = Duration.ofSeconds(1);

    /**
     * How long the scheduler remembers the capacity it placed on a cluster when no newer stats arrive. Placements
     * after a member's stats count against them (Cinder's consume_from_volume), so that concurrent creates do not
     * all pick one cluster on the same stale numbers.
     */
    private Duration capacityLedgerRetention = Duration.ofMinutes(10);

    /** Placements tried for one create when the chosen target changes (frozen, failover) before the insert. */
    private int placementAttempts = 3;

    /** Page size of ListVolumes when the request gives none (Cinder's osapi_max_limit). */
    private int defaultListLimit = 1000;

    /** Largest page ListVolumes returns; larger requested limits are lowered to it. */
    private int maxListLimit = 1000;

    public Duration getDispatchDeadline() {
        return dispatchDeadline;
    }

    public void setDispatchDeadline(Duration dispatchDeadline) {
        this.dispatchDeadline = dispatchDeadline;
    }

    public int getDispatchAttempts() {
        return dispatchAttempts;
    }

    public void setDispatchAttempts(int dispatchAttempts) {
        this.dispatchAttempts = dispatchAttempts;
    }

    public Duration getDispatchBackoffInitial() {
        return dispatchBackoffInitial;
    }

    public void setDispatchBackoffInitial(Duration dispatchBackoffInitial) {
        this.dispatchBackoffInitial = dispatchBackoffInitial;
    }

    public Duration getDispatchBackoffMax() {
        return dispatchBackoffMax;
    }

    public void setDispatchBackoffMax(Duration dispatchBackoffMax) {
        this.dispatchBackoffMax = dispatchBackoffMax;
    }

    public int getDispatchThreads() {
        return dispatchThreads;
    }

    public void setDispatchThreads(int dispatchThreads) {
        this.dispatchThreads = dispatchThreads;
    }

    public int getDispatchQueueCapacity() {
        return dispatchQueueCapacity;
    }

    public void setDispatchQueueCapacity(int dispatchQueueCapacity) {
        this.dispatchQueueCapacity = dispatchQueueCapacity;
    }

    public Duration getStatsRefreshInterval() {
        return statsRefreshInterval;
    }

    public void setStatsRefreshInterval(Duration statsRefreshInterval) {
        this.statsRefreshInterval = statsRefreshInterval;
    }

    public Duration getCapacityLedgerRetention() {
        return capacityLedgerRetention;
    }

    public void setCapacityLedgerRetention(Duration capacityLedgerRetention) {
        this.capacityLedgerRetention = capacityLedgerRetention;
    }

    public int getPlacementAttempts() {
        return placementAttempts;
    }

    public void setPlacementAttempts(int placementAttempts) {
        this.placementAttempts = placementAttempts;
    }

    public int getDefaultListLimit() {
        return defaultListLimit;
    }

    public void setDefaultListLimit(int defaultListLimit) {
        this.defaultListLimit = defaultListLimit;
    }

    public int getMaxListLimit() {
        return maxListLimit;
    }

    public void setMaxListLimit(int maxListLimit) {
        this.maxListLimit = maxListLimit;
    }

    public Duration getChannelIdleTimeout() {
        return channelIdleTimeout;
    }

    public void setChannelIdleTimeout(Duration channelIdleTimeout) {
        this.channelIdleTimeout = channelIdleTimeout;
    }
}
